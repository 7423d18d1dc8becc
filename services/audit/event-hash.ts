// The hash of one complaint event, recomputed in Node exactly as the database trigger
// complaint_event_chain computes it (prisma/migrations/20261128159000_audit_chain): sha256 over
// the jsonb text of ["v1", complaint_id, seq, id, type, actor_type, actor_id, channel, payload,
// occurred_at (UTC, milliseconds), prev_hash]. jsonb prints arrays as `[a, b, …]` and strings
// with JSON.stringify's escapes; the payload is taken as PostgreSQL prints it (payload::text),
// which is canonical (keys sorted by jsonb), so no JSON number or key order is re-interpreted here.
import { createHash } from 'node:crypto';

export const CHAIN_VERSION = 'v1';

export interface ChainedEventRow {
  complaintId: string;
  seq: number | null;
  /** bigint as its decimal text. */
  id: string;
  type: string;
  actorType: string;
  actorId: string | null;
  channel: string | null;
  /** payload::text as PostgreSQL prints it. */
  payloadText: string;
  occurredAt: Date;
  prevHash: string | null;
}

function jsonString(value: string | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}

/** The canonical text the hash covers (exported so tests can compare it with PostgreSQL's). */
export function canonicalEventText(e: ChainedEventRow): string {
  return `[${[
    jsonString(CHAIN_VERSION),
    jsonString(e.complaintId),
    e.seq === null ? 'null' : String(e.seq),
    e.id,
    jsonString(e.type),
    jsonString(e.actorType),
    jsonString(e.actorId),
    jsonString(e.channel),
    e.payloadText,
    jsonString(e.occurredAt.toISOString()),
    jsonString(e.prevHash),
  ].join(', ')}]`;
}

export function hashEvent(e: ChainedEventRow): string {
  return createHash('sha256').update(canonicalEventText(e), 'utf8').digest('hex');
}
