// When Redis comes back after an outage, the SLA timers are made whole at once instead of at the next
// scheduled reconcile: complaints filed while it was away have no timers (their scheduling failed and
// was logged), and a Redis that restarted without its data has lost every timer *and* the reconcile
// job scheduler itself — nothing would ever run the scheduled reconcile again until a process
// restarted. So on each return: the job scheduler is upserted again (where workers run), and one
// process of all those that saw the return runs a full reconcile (a short NX claim in Redis).
//
// A connection of its own watches Redis: ioredis reconnects by itself and says so with 'ready'.
import { createRedis } from '../redis';
import type { Logger } from '../logger';

const CLAIM_SECONDS = 15;

export interface RedisReturnWatch {
  close(): Promise<void>;
}

export function reconcileOnRedisReturn({
  redisUrl, claimKey, log, recover,
}: {
  redisUrl: string;
  /** Key of the claim that lets one process reconcile per return (under the queue's prefix). */
  claimKey: string;
  log: Logger;
  /** Re-creates the scheduler (always) and reconciles (when `reconcile` is true). */
  recover: (options: { reconcile: boolean }) => Promise<void>;
}): RedisReturnWatch {
  const watcher = createRedis(redisUrl, { lazyConnect: false });
  let lost = false;
  let closing = false;
  let running: Promise<void> = Promise.resolve();
  watcher.on('error', () => {}); // 'close' says it; ioredis keeps retrying
  watcher.on('close', () => {
    if (!lost && !closing) log.warn({}, 'Redis connection lost: SLA timers of complaints filed meanwhile are scheduled when it returns');
    lost = !closing;
  });
  watcher.on('ready', () => {
    if (!lost) return;
    lost = false;
    running = running.then(() => recoverWithRetries());
  });

  // The queue's own connections reconnect on their own schedule: a few tries, a little apart.
  async function recoverWithRetries(): Promise<void> {
    let claimed: boolean | null = null;
    for (let attempt = 1; !closing; attempt++) {
      try {
        claimed ??= (await watcher.set(claimKey, String(process.pid), 'EX', CLAIM_SECONDS, 'NX')) === 'OK';
        await recover({ reconcile: claimed });
        log.info({ reconciled: claimed }, claimed ? 'Redis is back: SLA job scheduler restored and timers reconciled' : 'Redis is back: SLA job scheduler restored');
        return;
      } catch (err) {
        if (attempt >= 10) {
          log.error({ errName: (err as Error).name, errMessage: (err as Error).message }, 'SLA recovery after Redis returned failed; the scheduled reconcile will retry');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
      }
    }
  }
  return {
    close: async () => {
      closing = true;
      await running;
      await watcher.quit().catch(() => watcher.disconnect());
    },
  };
}
