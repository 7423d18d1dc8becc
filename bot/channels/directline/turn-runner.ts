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
import { DIRECTLINE_CHANNEL_ID } from './incoming-activity';
import { NO_TURN_LOCK, type HeldTurnLock, type TurnLock } from '../../../services/turn-lock/turn-lock';
import { rememberHeldTurnLock } from '../../turn-session';

const LOCK_MS = 60_000;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export class TurnRunner {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      activityLog: ActivityLog; adapter: DirectLineAdapter; redis: Redis; log: Logger;
      bot: { run(context: TurnContext): Promise<void> };
      /** While Redis is unreachable the conversation's PostgreSQL turn lock runs the turns instead. */
      turnLock?: TurnLock;
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
      let taken: boolean;
      try {
        taken = (await (await redisReady(redis)).set(lockKey, owner, 'PX', LOCK_MS, 'NX')) === 'OK';
      } catch (err) {
        // Redis unreachable: the customer still gets answers, in order, under PostgreSQL's lock.
        this.deps.log.warn({ conversationId, ...safeErrorFields(err) }, 'directline: Redis unreachable, turns run under the PostgreSQL turn lock');
        return this.runPendingWithoutRedis(conversationId);
      }
      if (!taken) return;
      try {
        await this.runAllPending(conversationId, () => redis.eval(EXTEND, 1, lockKey, owner, String(LOCK_MS)).catch(() => undefined));
      } finally {
        await redis.eval(RELEASE, 1, lockKey, owner).catch(() => undefined); // unreachable: it expires
      }
      // An activity appended after our last look, by a request that found the lock still taken.
      if (!(await activityLog.nextPendingTurn(conversationId))) return;
    }
  }

  /** `held`: the conversation's turn lock, when this runner holds it (the bot's turn runs inside it). */
  private async runAllPending(conversationId: string, afterEach: () => Promise<unknown>, held?: HeldTurnLock | null): Promise<void> {
    const { activityLog } = this.deps;
    for (let next = await activityLog.nextPendingTurn(conversationId); next; next = await activityLog.nextPendingTurn(conversationId)) {
      await this.deps.adapter.processActivity(next.activity, (context) => {
        if (held) rememberHeldTurnLock(context, held);
        return this.deps.bot.run(context);
      });
      await activityLog.markTurnDone(conversationId, next.seq);
      await afterEach();
    }
  }

  /** The same loop under the conversation's PostgreSQL turn lock (the key ComplaintBot.run takes, so it is held once). */
  private async runPendingWithoutRedis(conversationId: string): Promise<void> {
    const lock = this.deps.turnLock ?? NO_TURN_LOCK;
    for (;;) {
      const ran = await lock.tryRunExclusive(`${DIRECTLINE_CHANNEL_ID}/${conversationId}`, (held) => this.runAllPending(conversationId, async () => {}, held));
      if (!ran || !(await this.deps.activityLog.nextPendingTurn(conversationId))) return;
    }
  }
}
