// Runs the bot's turns of a conversation one at a time and in order, whichever instance received
// the customer's activities: the instance that takes the conversation's lock in Redis runs every
// pending turn (activities after turn_seq in the log), then lets go. The others only append; a
// POST never waits for a turn. If an instance dies mid-turn, the lock expires and the next activity
// of that conversation picks the work up again.
import { randomBytes } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Redis } from '../../../services/redis';
import type { Logger } from '../../../services/logger';
import { safeErrorFields } from '../../../services/safe-error';
import type { ActivityLog } from './activity-log';
import type { DirectLineAdapter } from './directline-adapter';
import { redisReady } from './redis-ready';

const LOCK_MS = 60_000;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export class TurnRunner {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      activityLog: ActivityLog; adapter: DirectLineAdapter; redis: Redis; log: Logger;
      bot: { run(context: TurnContext): Promise<void> };
    },
  ) {}

  /** Starts running the conversation's pending turns in the background (no-op if another runner has them). */
  kick(conversationId: string): void {
    const run = this.runPending(conversationId).catch((err) => {
      this.deps.log.error({ conversationId, ...safeErrorFields(err) }, 'directline: could not run pending turns');
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Resolves when every turn started on this instance has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async runPending(conversationId: string): Promise<void> {
    const { redis, activityLog } = this.deps;
    const lockKey = `directline:turn-lock:${conversationId}`;
    for (;;) {
      const owner = randomBytes(12).toString('hex');
      if ((await (await redisReady(redis)).set(lockKey, owner, 'PX', LOCK_MS, 'NX')) !== 'OK') return;
      try {
        for (let next = await activityLog.nextPendingTurn(conversationId); next; next = await activityLog.nextPendingTurn(conversationId)) {
          await this.deps.adapter.processActivity(next.activity, (context) => this.deps.bot.run(context));
          await activityLog.markTurnDone(conversationId, next.seq);
          await redis.eval(EXTEND, 1, lockKey, owner, String(LOCK_MS));
        }
      } finally {
        await redis.eval(RELEASE, 1, lockKey, owner);
      }
      // An activity appended after our last look, by a request that found the lock still taken.
      if (!(await activityLog.nextPendingTurn(conversationId))) return;
    }
  }
}
