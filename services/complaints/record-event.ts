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

export async function recordComplaintEvent(tx: Prisma.TransactionClient, event: ComplaintEventInput): Promise<void> {
  await tx.complaintEvent.create({
    data: {
      complaintId: event.complaintId,
      type: event.type,
      actorType: event.actor.type,
      actorId: event.actor.id ?? null,
      channel: event.actor.channel ?? null,
      payload: (event.payload ?? {}) as Prisma.InputJsonValue,
      ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
    },
  });
}
