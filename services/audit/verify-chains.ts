// Recomputes every complaint's event chain (services/audit/event-hash.ts) and compares it with
// what the database holds: positions 1…n without gaps, each prev_hash equal to the hash before it,
// each hash equal to the recomputed one, and the chain's end equal to the head the insert trigger
// kept (complaint_audit_head) — so edits, deletions (also of the newest events), insertions and
// reordering made past the triggers are all found. Streams: complaints in keyset batches, so memory
// stays flat over millions of events.
import { createHash } from 'node:crypto';
import type { Client, Pool } from 'pg';
import { hashEvent, type ChainedEventRow } from './event-hash';

export interface AuditProblem {
  complaintNumber: string;
  complaintId: string;
  /** The event where the chain breaks (for missing newest events: the last one still there). */
  eventId: string | null;
  problem: string;
}

export interface AuditResult {
  complaints: number;
  events: number;
  problems: AuditProblem[];
  /** sha256 over "complaint_id event_count head_hash\n" of every complaint in id order. */
  headsDigest: string;
}

export interface VerifyOptions {
  db: Pick<Client | Pool, 'query'>;
  /** Only this complaint (its number, e.g. TS20261128…). */
  complaintNumber?: string;
  /** Complaints per query (their events come in one query with them). */
  batchSize?: number;
  onProblem?: (problem: AuditProblem) => void;
  /** Called after each batch with the running totals. */
  onProgress?: (totals: { complaints: number; events: number }) => void;
  /** Heads recorded earlier and kept outside the database (by complaint number): the chain must still pass through them. */
  anchors?: Map<string, AnchoredHead>;
  /** Each intact complaint's head, e.g. to be written to an anchor file. */
  onHead?: (head: AnchoredHead & { complaintNumber: string }) => void;
}

export interface AnchoredHead { seq: number; hash: string }

interface ComplaintRow { id: string; number: string; head_count: number | null; head_hash: string | null }
interface EventDbRow {
  complaint_id: string; seq: number | null; id: string; type: string; actor_type: string; actor_id: string | null;
  channel: string | null; payload_text: string; occurred_at: Date; prev_hash: string | null; hash: string | null;
}

const COMPLAINTS_SQL = `
  SELECT c."id", c."number", h."event_count" AS head_count, h."head_hash"
  FROM "complaint" c LEFT JOIN "complaint_audit_head" h ON h."complaint_id" = c."id"`;

const EVENTS_SQL = `
  SELECT "complaint_id", "seq", "id"::text AS id, "type", "actor_type"::text AS actor_type, "actor_id", "channel",
         "payload"::text AS payload_text, "occurred_at", "prev_hash", "hash"
  FROM "complaint_event" WHERE "complaint_id" = ANY($1::uuid[])
  ORDER BY "complaint_id", "seq" NULLS LAST, "id"`;

export async function verifyAuditChains(options: VerifyOptions): Promise<AuditResult> {
  const { db, complaintNumber, batchSize = 500 } = options;
  const digest = createHash('sha256');
  const result: AuditResult = { complaints: 0, events: 0, problems: [], headsDigest: '' };
  let after: string | null = null;
  const unseenAnchors = new Set(complaintNumber ? [] : options.anchors?.keys() ?? []);
  for (;;) {
    const complaints: ComplaintRow[] = complaintNumber
      ? (await db.query<ComplaintRow>(`${COMPLAINTS_SQL} WHERE c."number" = $1`, [complaintNumber])).rows
      : (await db.query<ComplaintRow>(`${COMPLAINTS_SQL} WHERE ($1::uuid IS NULL OR c."id" > $1::uuid) ORDER BY c."id" LIMIT $2`, [after, batchSize])).rows;
    if (complaints.length === 0) break;
    const events = (await db.query<EventDbRow>(EVENTS_SQL, [complaints.map((c) => c.id)])).rows;
    let i = 0;
    for (const complaint of complaints) {
      const start = i;
      while (i < events.length && events[i]!.complaint_id === complaint.id) i++;
      const chain = events.slice(start, i);
      unseenAnchors.delete(complaint.number);
      const { problem, lastHash } = checkChain(complaint, chain, options.anchors?.get(complaint.number));
      if (problem) {
        result.problems.push(problem);
        options.onProblem?.(problem);
      }
      digest.update(`${complaint.id} ${chain.length} ${lastHash ?? '-'}\n`);
      if (lastHash) options.onHead?.({ complaintNumber: complaint.number, seq: chain.length, hash: lastHash });
      result.complaints++;
      result.events += chain.length;
    }
    options.onProgress?.({ complaints: result.complaints, events: result.events });
    if (complaintNumber || complaints.length < batchSize) break;
    after = complaints[complaints.length - 1]!.id;
  }
  for (const number of unseenAnchors) {
    const problem = { complaintNumber: number, complaintId: '', eventId: null, problem: 'the complaint in the anchor file no longer exists (deleted)' };
    result.problems.push(problem);
    options.onProblem?.(problem);
  }
  result.headsDigest = digest.digest('hex');
  return result;
}

function checkChain(complaint: ComplaintRow, chain: EventDbRow[], anchor: AnchoredHead | undefined): { problem: AuditProblem | null; lastHash: string | null } {
  const fail = (eventId: string | null, problem: string) => ({
    problem: { complaintNumber: complaint.number, complaintId: complaint.id, eventId, problem },
    lastHash: null,
  });
  let prev: string | null = null;
  for (const [index, e] of chain.entries()) {
    const position = index + 1;
    if (e.seq === null) return fail(e.id, 'event has no place in the chain: it was inserted past the audit trigger');
    if (e.seq > position) return fail(e.id, `event ${position} of the chain is missing before this one (deleted)`);
    if (e.seq < position) return fail(e.id, `position ${e.seq} is taken twice (an event was inserted or reordered)`);
    if (e.prev_hash !== prev) return fail(e.id, 'event does not follow the event before it (prev_hash differs): an event was deleted, inserted or reordered');
    if (hashEvent(toChainedRow(e)) !== e.hash) return fail(e.id, 'event content differs from what was recorded (hash mismatch): it was edited');
    prev = e.hash;
  }
  const last = chain.at(-1);
  if (complaint.head_count === null) {
    return fail(last?.id ?? null, chain.length ? 'the chain has no head: it was written past the audit trigger' : 'the complaint has no recorded events (its history was deleted)');
  }
  if (complaint.head_count !== chain.length || complaint.head_hash !== prev) {
    const missing = complaint.head_count - chain.length;
    return fail(
      last?.id ?? null,
      missing > 0
        ? `the newest ${missing} event(s)${last ? ' after this one' : ''} were deleted (head records ${complaint.head_count}, found ${chain.length})`
        : `the chain does not end where its head says (head records ${complaint.head_count} events, found ${chain.length})`,
    );
  }
  if (anchor && chain[anchor.seq - 1]?.hash !== anchor.hash) {
    return fail(chain[anchor.seq - 1]?.id ?? last?.id ?? null, `the history differs from the anchored head (event ${anchor.seq} was ${anchor.hash.slice(0, 12)}…): it was rewritten`);
  }
  return { problem: null, lastHash: prev };
}

function toChainedRow(e: EventDbRow): ChainedEventRow {
  return {
    complaintId: e.complaint_id, seq: e.seq, id: e.id, type: e.type, actorType: e.actor_type, actorId: e.actor_id,
    channel: e.channel, payloadText: e.payload_text, occurredAt: e.occurred_at, prevHash: e.prev_hash,
  };
}
