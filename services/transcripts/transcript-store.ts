// The chat transcript: every message of a conversation, in order, linked to its complaint once one is
// filed there. The text is personal data: phones, ID, card, account numbers and e-mail addresses are
// redacted before it is stored (redact-personal-data.ts; the complaint row keeps the real values,
// encrypted); it is shown to staff through the role-checked API, and never logged or put on Redis —
// subscribers are told only "row N was added to conversation X" and read the row from PostgreSQL.
import { type Database } from '../db/client';
import type { SqlStatement } from '../db/sql';
import { redactPersonalData } from './redact-personal-data';

export type TranscriptDirection = 'inbound' | 'outbound' | 'internal';
export type TranscriptActorType = 'customer' | 'bot' | 'staff' | 'system';

export interface ConversationKey {
  channelId: string;
  conversationId: string;
}

export interface NewTranscriptMessage extends ConversationKey {
  direction: TranscriptDirection;
  actorType: TranscriptActorType;
  actorId?: string | null;
  activityId?: string | null;
  text: string;
  occurredAt: Date;
}

export interface TranscriptEntry {
  /** Increasing per database: the order of the conversation, and the SSE event id. */
  id: string;
  channelId: string;
  conversationId: string;
  complaintId: string | null;
  direction: TranscriptDirection;
  actorType: TranscriptActorType;
  actorId: string | null;
  text: string;
  occurredAt: string;
}

/** Told after a row is committed; must not throw (errors are the caller's to log, without the text). */
export type TranscriptAppended = (key: ConversationKey, id: string) => void | Promise<void>;

/** One stable string per conversation, for unique keys and pub/sub channel names. */
export function conversationKeyOf({ channelId, conversationId }: ConversationKey): string {
  return `${channelId}/${conversationId}`;
}

/**
 * Appends one message. The complaint is the conversation's latest filed complaint (its stored
 * conversation reference), looked up in the same statement; messages before the filing are linked by
 * the filing (`linkConversationStatement`).
 */
export async function appendTranscriptMessage(db: Database, message: NewTranscriptMessage): Promise<string> {
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO "transcript_message"
      ("channel_id", "conversation_id", "complaint_id", "direction", "actor_type", "actor_id", "activity_id", "text", "occurred_at")
    VALUES (
      ${message.channelId}, ${message.conversationId},
      (SELECT r."complaint_id" FROM "conversation_reference" r
        WHERE r."channel_id" = ${message.channelId} AND r."conversation_id" = ${message.conversationId}
        ORDER BY r."updated_at" DESC LIMIT 1),
      ${message.direction}::"transcript_direction", ${message.actorType}::"actor_type",
      ${message.actorId ?? null}, ${message.activityId ?? null}, ${redactPersonalData(message.text)}, ${message.occurredAt}
    )
    RETURNING "id"`;
  return String(rows[0]!.id);
}

/**
 * Links the conversation's messages that have no complaint yet (the intake before filing) to it: a
 * chat filing sends this with its own writes (services/complaints/create-complaint.ts).
 */
export function linkConversationStatement(key: ConversationKey & { complaintId: string }): SqlStatement {
  return {
    text: 'UPDATE transcript_message SET complaint_id = $3::uuid WHERE channel_id = $1 AND conversation_id = $2 AND complaint_id IS NULL',
    values: [key.channelId, key.conversationId, key.complaintId],
  };
}

const entrySelect = {
  id: true, channelId: true, conversationId: true, complaintId: true, direction: true, actorType: true, actorId: true, text: true, occurredAt: true,
} as const;

type Row = { id: bigint; channelId: string; conversationId: string; complaintId: string | null; direction: TranscriptDirection; actorType: TranscriptActorType; actorId: string | null; text: string; occurredAt: Date };

function toEntry(row: Row): TranscriptEntry {
  return { ...row, id: String(row.id), occurredAt: row.occurredAt.toISOString() };
}

/** The conversation's messages after `afterId` (exclusive), oldest first, at most `limit`. */
export async function readConversationTranscript(db: Database, key: ConversationKey, afterId = 0n, limit = 500): Promise<TranscriptEntry[]> {
  const rows = await db.transcriptMessage.findMany({
    where: { channelId: key.channelId, conversationId: key.conversationId, id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take: limit,
    select: entrySelect,
  });
  return rows.map(toEntry);
}

/** Every message linked to the complaint, oldest first. */
export async function readComplaintTranscript(db: Database, complaintId: string): Promise<TranscriptEntry[]> {
  const rows = await db.transcriptMessage.findMany({ where: { complaintId }, orderBy: { id: 'asc' }, select: entrySelect });
  return rows.map(toEntry);
}
