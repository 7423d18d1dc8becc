// A turn's own reads and writes in as few statements as possible, on the turn lock's connection
// (services/turn-lock): one statement before the dialogs (the conversation state and the open handoff)
// and one after them (every transcript message of the turn and the new state), both in the lock's
// transaction. Plain `pg` SQL: on the hot path a statement through Prisma costs the process several
// times the CPU of the same statement here (npm run bench, docs/benchmarks.md).
//
// The same rules as the one-at-a-time paths they stand in for: the state is sealed and opened as in
// bot-state-store.ts, written only if it still has the ETag it was read with; transcript text is
// redacted and linked to the conversation's latest complaint as in transcript-store.ts.
import type { PiiKeyring } from '../pii/pii-keys';
import { conversationKeyOf, type ConversationKey, type NewTranscriptMessage } from '../transcripts/transcript-store';
import { redactPersonalData } from '../transcripts/redact-personal-data';
import { insertFirstState, openStateTextWith, parseEtag, sealStateWith, upsertState, type StateWriteCondition, type StoredState } from './bot-state-store';
import type { SqlQueryable, SqlStatement } from '../db/sql';
import { openHandoffOf, type OpenHandoff } from '../takeover/handoffs';

export type Queryable = SqlQueryable;

export interface TurnStart {
  /** The conversation state as stored (null: none yet). */
  state: StoredState | null;
  /** The conversation's open handoff (requested or accepted), if any. */
  handoff: OpenHandoff | null;
}

/** The statement that reads the conversation state row and the open handoff (readTurnStart, or with the turn lock). */
export function turnStartQuery(stateKey: string, conversation: ConversationKey): SqlStatement {
  return {
    text: `SELECT s.data, s.etag::text AS etag, h.id::text AS handoff_id, h.status::text AS handoff_status, h.accepted_by::text AS accepted_by
             FROM (SELECT 1) AS one
             LEFT JOIN bot_state s ON s.key = $1
             LEFT JOIN handoff_request h ON h.open_conversation_key = $2`,
    values: [stateKey, conversationKeyOf(conversation)],
  };
}

type TurnStartRow = { data: unknown; etag: string | null; handoff_id: string | null; handoff_status: string | null; accepted_by: string | null };

/** What turnStartQuery read, opened. */
export function parseTurnStart(keyring: PiiKeyring, stateKey: string, rows: readonly Record<string, unknown>[]): TurnStart {
  const row = rows[0] as TurnStartRow | undefined;
  const opened = row?.etag != null ? openStateTextWith(keyring, stateKey, row.data) : null;
  const state = opened ? { data: opened.data, etag: row!.etag!, ...(opened.json !== null ? { json: opened.json } : {}) } : null;
  const handoff = openHandoffOf(row && { id: row.handoff_id, status: row.handoff_status, accepted_by: row.accepted_by });
  return { state, handoff };
}

/** The conversation state row and the open handoff, in one statement. */
export async function readTurnStart(db: Queryable, keyring: PiiKeyring, stateKey: string, conversation: ConversationKey): Promise<TurnStart> {
  const { text, values } = turnStartQuery(stateKey, conversation);
  return parseTurnStart(keyring, stateKey, (await db.query<TurnStartRow>(text, values)).rows);
}

export type TranscriptLine = Omit<NewTranscriptMessage, keyof ConversationKey>;

export interface TurnWrites {
  conversation: ConversationKey;
  transcript: TranscriptLine[];
  /** `json`: JSON.stringify(data), when the caller already made it. */
  state?: { key: string; data: Record<string, unknown>; json?: string; condition: StateWriteCondition };
}

export interface TurnWritten {
  /** The transcript rows' ids, in the order given. */
  transcriptIds: string[];
  /** The state's new ETag; null when the state had moved on (ETag conflict); undefined when none was written. */
  etag?: string | null;
}

/** The turn lock's last statement with its COMMIT (HeldTurnLock.queryAndCommit). */
export interface Committing {
  queryAndCommit<R extends Record<string, unknown>>(text: string, values: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Every transcript line of the turn and the conditional state write in one statement (a second one
 * only for a conversation's first state, or an unconditional write).
 */
export async function writeTurn(db: Queryable, keyring: PiiKeyring, writes: TurnWrites, options: { commit?: Committing } = {}): Promise<TurnWritten> {
  const { conversation, transcript, state } = writes;
  const expected = state?.condition.kind === 'etag' ? parseEtag(state.condition.etag) : null;
  const conditional = state !== undefined && expected !== null && expected > 0n;
  const sealed = state ? sealStateWith(keyring, state.key, state.data, state.json) : null;
  // Sent with the COMMIT when asked, unless a second statement has to follow (a first or unconditional state).
  const send = options.commit && (!state || conditional) ? options.commit.queryAndCommit : db.query.bind(db);
  const { rows } = await send<{ ids: string[] | null; etag: string | null }>(
    `WITH lines AS (
       INSERT INTO transcript_message
         (channel_id, conversation_id, complaint_id, direction, actor_type, actor_id, activity_id, text, occurred_at)
       SELECT $1, $2,
              (SELECT r.complaint_id FROM conversation_reference r
                WHERE r.channel_id = $1 AND r.conversation_id = $2 ORDER BY r.updated_at DESC LIMIT 1),
              m.direction::transcript_direction, m.actor_type::actor_type, m.actor_id, m.activity_id, m.text, m.occurred_at
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[]) WITH ORDINALITY
              AS m(direction, actor_type, actor_id, activity_id, text, occurred_at, n)
        ORDER BY m.n
       RETURNING id
     ), saved AS (
       UPDATE bot_state SET data = $9::jsonb, etag = etag + 1, updated_at = now()
        WHERE $10 AND key = $11 AND etag = $12 RETURNING etag
     )
     SELECT (SELECT array_agg(id::text ORDER BY id) FROM lines) AS ids, (SELECT etag::text FROM saved) AS etag`,
    [
      conversation.channelId, conversation.conversationId,
      transcript.map((l) => l.direction), transcript.map((l) => l.actorType), transcript.map((l) => l.actorId ?? null),
      transcript.map((l) => l.activityId ?? null), transcript.map((l) => redactPersonalData(l.text)), transcript.map((l) => l.occurredAt),
      sealed, conditional, state?.key ?? '', (expected ?? 0n).toString(),
    ],
  );
  const transcriptIds = rows[0]?.ids ?? [];
  if (!state) return { transcriptIds };
  if (conditional && rows[0]?.etag) return { transcriptIds, etag: rows[0].etag };
  if (state.condition.kind === 'any') return { transcriptIds, etag: await upsertState(db, state.key, sealed!) };
  return { transcriptIds, etag: await insertFirstState(db, state.key, sealed!) };
}
