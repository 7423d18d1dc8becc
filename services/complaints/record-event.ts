// R-RECORD: every step of a complaint is an event — who, what, when, from which channel.
// Payloads carry facts and field names, never personal data values.
import type { Prisma } from '../db/client';
import type { SqlQueryable, SqlStatement } from '../db/sql';

export type ActorTypeName = 'customer' | 'bot' | 'staff' | 'system';

export interface Actor {
  type: ActorTypeName;
  /** Staff id, channel user id or system component name. */
  id?: string | null;
  channel?: string | null;
}

export interface ComplaintEventInput {
  complaintId: string;
  type: string;
  actor: Actor;
  payload?: Record<string, unknown>;
  occurredAt?: Date;
}

function eventRow(event: ComplaintEventInput) {
  return {
    complaintId: event.complaintId,
    type: event.type,
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    channel: event.actor.channel ?? null,
    payload: (event.payload ?? {}) as Prisma.InputJsonValue,
    ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
  };
}

export async function recordComplaintEvent(tx: Prisma.TransactionClient, event: ComplaintEventInput): Promise<void> {
  await tx.complaintEvent.create({ data: eventRow(event) });
}

/**
 * Several events in one statement, in the order given (the audit chain's trigger links them row by
 * row in that order): the filing's five or six on plain SQL.
 */
export async function insertEvents(sql: SqlQueryable, events: ComplaintEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const { text, values } = insertEventsStatement(events);
  await sql.query(text, values);
}

/**
 * insertEvents' statement. `fillComplaintNumber`: a payload whose `number` is null gets its complaint's
 * number, read when the statement runs (the filing sends its events with the statement that numbers
 * the complaint, in one round trip).
 */
export function insertEventsStatement(events: ComplaintEventInput[], options: { fillComplaintNumber?: boolean } = {}): SqlStatement {
  const payload = options.fillComplaintNumber
    ? `CASE WHEN e.payload->'number' = 'null'::jsonb
            THEN jsonb_set(e.payload, '{number}', to_jsonb((SELECT k.number FROM complaint k WHERE k.id = e.complaint_id)))
            ELSE e.payload END`
    : 'e.payload';
  return {
    text: `INSERT INTO complaint_event (complaint_id, type, actor_type, actor_id, channel, payload, occurred_at)
     SELECT e.complaint_id, e.type, e.actor_type::actor_type, e.actor_id, e.channel, ${payload}, coalesce(e.occurred_at, now())
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb)
              AS (complaint_id uuid, type text, actor_type text, actor_id text, channel text, payload jsonb, occurred_at timestamptz))
            WITH ORDINALITY AS e(complaint_id, type, actor_type, actor_id, channel, payload, occurred_at, n)
      ORDER BY e.n`,
    values: [JSON.stringify(events.map((event) => ({
      complaint_id: event.complaintId, type: event.type, actor_type: event.actor.type, actor_id: event.actor.id ?? null,
      channel: event.actor.channel ?? null, payload: event.payload ?? {}, occurred_at: event.occurredAt?.toISOString() ?? null,
    })))],
  };
}
