// Works through the WeChat inbox: after a message is stored, `kick` drains that follower's messages
// in order under the follower's lease; a sweep every few seconds picks up followers nobody is
// working on (the instance that stored the message crashed, or a failed message's back-off is over).
// A failed message stops its follower's queue (order matters in a dialog) and is retried with a
// growing back-off, then marked failed after MAX_ATTEMPTS so one bad message cannot block a follower.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client';
import type { Logger } from '../../logger';
import { safeErrorFields } from '../../safe-error';
import {
  claimFollower, countAttempt, followersWithWaitingMessages, hasPendingMessages, markMessageDone, markMessageFailed,
  nextPendingMessage, purgeProcessedMessages, releaseFollower, renewFollowerLease, type PendingMessage,
} from './wechat-inbox';

const PURGE_EVERY_MS = 10 * 60_000;
const KEEP_PROCESSED_MS = 7 * 24 * 3600_000;

export const MAX_ATTEMPTS = 5;

export interface Follower {
  wechatUserId: string;
  openId: string;
}

export interface InboxProcessorOptions {
  db: Database;
  log: Logger;
  /** The Official Account whose followers the sweep looks after. */
  appId: string;
  /** Runs one message (the dialog turn and its replies). Throwing means: try again later. */
  handle: (message: PendingMessage, follower: Follower) => Promise<void>;
  leaseMs?: number;
  sweepIntervalMs?: number;
  /** Back-off before retry n (1-based). */
  backoffMs?: (attempt: number) => number;
  clock?: () => Date;
}

export class InboxProcessor {
  private readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private lastPurge = 0;
  private readonly leaseMs: number;
  private readonly clock: () => Date;
  private readonly backoffMs: (attempt: number) => number;

  constructor(private readonly options: InboxProcessorOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.clock = options.clock ?? (() => new Date());
    this.backoffMs = options.backoffMs ?? ((attempt) => Math.min(2 ** attempt * 1000, 60_000));
  }

  /** Starts the sweep for followers nobody is working on. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs ?? 5_000);
    this.timer.unref();
  }

  /** Processes the follower's waiting messages in the background (no-op if another holder has them). */
  kick(wechatUserId: string): void {
    if (this.closed) return;
    const work = this.drain(wechatUserId).catch((err: unknown) => {
      this.options.log.error({ wechatUserId, ...safeErrorFields(err) }, 'wechat inbox: draining failed; the sweep will retry');
    });
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  async sweep(): Promise<void> {
    if (this.closed) return;
    try {
      const followers = await followersWithWaitingMessages({ db: this.options.db, appId: this.options.appId, now: this.clock(), limit: 50 });
      for (const id of followers) this.kick(id);
      if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
        this.lastPurge = Date.now();
        await purgeProcessedMessages({ db: this.options.db, before: new Date(Date.now() - KEEP_PROCESSED_MS) });
      }
    } catch (err) {
      this.options.log.warn({ ...safeErrorFields(err) }, 'wechat inbox: sweep failed');
    }
  }

  /** Stops the sweep and waits for the messages being processed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running]);
  }

  private async drain(wechatUserId: string): Promise<void> {
    const { db } = this.options;
    for (;;) {
      const claimed = await claimFollower({ db, wechatUserId, holder: this.holder, leaseMs: this.leaseMs, now: this.clock() });
      if (!claimed) return; // someone else is on it (or it is backing off)
      const retryAt = await this.processClaimed({ wechatUserId, openId: claimed.openId });
      await releaseFollower({ db, wechatUserId, holder: this.holder, notBefore: retryAt ?? undefined });
      // A message stored while we held the lease found it taken: look again now that it is free.
      if (retryAt || this.closed || !(await hasPendingMessages({ db, wechatUserId }))) return;
    }
  }

  /** Processes messages until none are left; returns when to retry if one failed. */
  private async processClaimed(follower: Follower): Promise<Date | null> {
    const { db, log } = this.options;
    const renewal = setInterval(() => {
      void renewFollowerLease({ db, wechatUserId: follower.wechatUserId, holder: this.holder, leaseMs: this.leaseMs, now: this.clock() })
        .then((kept) => { if (!kept) log.warn({ wechatUserId: follower.wechatUserId }, 'wechat inbox: lease lost while processing'); })
        .catch(() => {});
    }, Math.max(1_000, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    try {
      while (!this.closed) {
        const message = await nextPendingMessage({ db, wechatUserId: follower.wechatUserId });
        if (!message) return null;
        await countAttempt({ db, id: message.id });
        const attempt = message.attempts + 1;
        try {
          await this.options.handle(message, follower);
          await markMessageDone({ db, id: message.id, now: this.clock() });
        } catch (err) {
          const fields = safeErrorFields(err);
          const error = [fields.errName, fields.errCode].filter((v) => v !== undefined).join(':');
          const final = attempt >= MAX_ATTEMPTS;
          await markMessageFailed({ db, id: message.id, error, final, now: this.clock() });
          log.error({ wechatUserId: follower.wechatUserId, messageId: String(message.id), attempt, final, ...fields }, 'wechat inbox: message failed');
          if (!final) return new Date(this.clock().getTime() + this.backoffMs(attempt));
        }
      }
      return null;
    } finally {
      clearInterval(renewal);
    }
  }
}
