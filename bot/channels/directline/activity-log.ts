// The Direct Line activity log in PostgreSQL, the truth every bot instance reads. Appending bumps
// the conversation's last_seq under its row lock in the same statement as the insert, so one
// conversation's activities get consecutive sequence numbers, become visible in that order, and
// the sequence number is the watermark. After a commit, Redis pub/sub wakes the instances holding
// that conversation's WebSockets (stream-hub.ts); a lost wake-up loses nothing but time.
//
// An activity holds what the customer typed (names, phone and ID numbers) until the conversation is
// purged (DIRECTLINE_RETENTION_DAYS): each is stored sealed — compressed and encrypted under the
// personal-data keys, its conversation bound in (services/pii/sealed-document.ts) — and opened when
// read; its id is made from the sequence number on the way out. Rows stored before encryption read as
// they are.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../../services/db/client';
import { clientKeyring } from '../../../services/pii/encrypting-client';
import { openDocument, sealDocument } from '../../../services/pii/sealed-document';
import { activityLocation as locationOf } from '../../../services/channels/directline/sealed-activities';
import type { Redis } from '../../../services/redis';
import type { Logger } from '../../../services/logger';
import { redisReady } from './redis-ready';

/** A Direct Line activity as stored and sent to clients (plain JSON). */
export type StoredActivity = Record<string, unknown> & { id: string; type: string };

export interface Conversation {
  id: string;
  userId: string;
  locale: string;
}

export class ConversationNotFoundError extends Error {
  constructor(readonly conversationId: string) {
    super('Direct Line conversation not found');
    this.name = 'ConversationNotFoundError';
  }
}

export const wakeChannel = (conversationId: string) => `directline:activity:${conversationId}`;

/** Activity ids as the Azure service makes them: `<conversation>|<7-digit seq>`. */
export const activityIdFor = (conversationId: string, seq: number) => `${conversationId}|${String(seq).padStart(7, '0')}`;

export class ActivityLog {
  constructor(private readonly deps: { db: Database; redis: Redis; log: Logger }) {}

  private get keyring() {
    return clientKeyring(this.deps.db);
  }

  /** A stored activity, opened, with its id from the sequence number. */
  private opened(conversationId: string, seq: number, stored: unknown): StoredActivity {
    const activity = openDocument(this.keyring, locationOf(conversationId), stored) as StoredActivity;
    return { ...activity, id: activityIdFor(conversationId, seq) };
  }

  async createConversation(locale: string): Promise<Conversation> {
    const conversation = { id: randomBytes(16).toString('base64url'), userId: `dl_${randomBytes(12).toString('base64url')}`, locale };
    await this.deps.db.directLineConversation.create({ data: conversation });
    return conversation;
  }

  async findConversation(id: string): Promise<Conversation | null> {
    return this.deps.db.directLineConversation.findUnique({ where: { id }, select: { id: true, userId: true, locale: true } });
  }

  /**
   * Appends one activity; `activity.id` is set from the sequence number. Throws
   * ConversationNotFoundError when the conversation does not exist.
   */
  async append(conversationId: string, activity: Omit<StoredActivity, 'id'>, forBot: boolean): Promise<{ id: string; seq: number }> {
    const rows = await this.deps.db.$queryRaw<{ seq: number }[]>`
      WITH next AS (
        UPDATE directline_conversation SET last_seq = last_seq + 1, updated_at = now()
        WHERE id = ${conversationId} RETURNING last_seq
      )
      INSERT INTO directline_activity (conversation_id, seq, for_bot, activity)
      SELECT ${conversationId}, last_seq, ${forBot}, ${sealDocument(this.keyring, locationOf(conversationId), activity)}::jsonb
      FROM next
      RETURNING seq`;
    const seq = rows[0]?.seq;
    if (seq === undefined) throw new ConversationNotFoundError(conversationId);
    await this.wake(conversationId, seq);
    return { id: activityIdFor(conversationId, seq), seq };
  }

  /** Activities after `watermark`, oldest first, at most `limit`. */
  async readAfter(conversationId: string, watermark: number, limit = 100): Promise<{ activities: StoredActivity[]; watermark: number }> {
    const rows = await this.deps.db.directLineActivity.findMany({
      where: { conversationId, seq: { gt: watermark } },
      orderBy: { seq: 'asc' },
      take: limit,
      select: { seq: true, activity: true },
    });
    return { activities: rows.map((r) => this.opened(conversationId, r.seq, r.activity)), watermark: rows.at(-1)?.seq ?? watermark };
  }

  /** The oldest customer activity whose turn has not run yet. */
  async nextPendingTurn(conversationId: string): Promise<{ seq: number; activity: StoredActivity } | null> {
    const rows = await this.deps.db.$queryRaw<{ seq: number; activity: unknown }[]>`
      SELECT a.seq, a.activity FROM directline_activity a
      JOIN directline_conversation c ON c.id = a.conversation_id
      WHERE a.conversation_id = ${conversationId} AND a.for_bot AND a.seq > c.turn_seq
      ORDER BY a.seq LIMIT 1`;
    const row = rows[0];
    return row ? { seq: row.seq, activity: this.opened(conversationId, row.seq, row.activity) } : null;
  }

  async markTurnDone(conversationId: string, seq: number): Promise<void> {
    await this.deps.db.directLineConversation.updateMany({ where: { id: conversationId, turnSeq: { lt: seq } }, data: { turnSeq: seq } });
  }

  /** Deletes conversations (and their activities) with nothing new since `before`; returns how many. */
  async purgeIdle(before: Date): Promise<number> {
    const { count } = await this.deps.db.directLineConversation.deleteMany({ where: { updatedAt: { lt: before } } });
    return count;
  }

  private async wake(conversationId: string, seq: number): Promise<void> {
    try {
      await (await redisReady(this.deps.redis)).publish(wakeChannel(conversationId), String(seq));
    } catch (err) {
      // The activity is committed: streams catch up when Redis is back (stream-hub re-reads on reconnect).
      this.deps.log.warn({ conversationId, errName: (err as Error).name }, 'directline: could not publish a wake-up');
    }
  }
}
