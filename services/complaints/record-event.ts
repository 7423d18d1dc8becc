// R-RECORD: every step of a complaint is an event — who, what, when, from which channel.
// Payloads carry facts and field names, never personal data values.
import type { Prisma } from '../db/client';

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

/** Transactions whose events are being gathered (withEventsBatched), with the events so far. */
const batches = new WeakMap<Prisma.TransactionClient, ComplaintEventInput[]>();

export async function recordComplaintEvent(tx: Prisma.TransactionClient, event: ComplaintEventInput): Promise<void> {
  const batch = batches.get(tx);
  if (batch) {
    batch.push(event);
    return;
  }
  await tx.complaintEvent.create({ data: eventRow(event) });
}

/**
 * Runs `work` with the events it records in `tx` gathered and written at its end in one statement, in
 * the order recorded (the audit chain's trigger links them row by row in that order). For work that
 * does not read its own events back (the filing: five events in one statement instead of five).
 */
export async function withEventsBatched<T>(tx: Prisma.TransactionClient, work: () => Promise<T>): Promise<T> {
  if (batches.has(tx)) return work();
  const batch: ComplaintEventInput[] = [];
  batches.set(tx, batch);
  let result: T;
  try {
    result = await work();
  } finally {
    batches.delete(tx);
  }
  if (batch.length > 0) await tx.complaintEvent.createMany({ data: batch.map(eventRow) });
  return result;
}
