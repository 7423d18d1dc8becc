// The alert_delivery row of one alert and one path. A sender claims it with a conditional write
// (insert, or take over a row not yet sent whose lease has run out), so two jobs for the same alert —
// a retry, a duplicate, a second worker — never send the same path twice. If a sender dies mid-send,
// its lease runs out and a later retry sends again: at least once, never twice while a sender lives.
import type { Database } from '../../db/client';
import { recordComplaintEvent } from '../../complaints/record-event';
import type { AlertPathError, ContactKindName } from './transport';

/** Longer than the slowest send (3 webhook requests of 5 s plus backoff; SMTP timeouts of 10 s). */
export const DEFAULT_DELIVERY_LEASE_MS = 2 * 60_000;

export type DeliveryClaim = { claimed: true; attemptsBefore: number } | { claimed: false; status: 'sent' | 'in_progress' };

export async function claimDelivery(
  db: Database,
  { alertId, kind, now, leaseMs }: { alertId: string; kind: ContactKindName; now: Date; leaseMs: number },
): Promise<DeliveryClaim> {
  const claimedUntil = new Date(now.getTime() + leaseMs);
  const inserted = await db.alertDelivery.createMany({ data: [{ alertId, kind, status: 'pending', claimedUntil }], skipDuplicates: true });
  if (inserted.count === 1) return { claimed: true, attemptsBefore: 0 };
  const [taken] = await db.alertDelivery.updateManyAndReturn({
    where: { alertId, kind, status: { not: 'sent' }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    data: { status: 'pending', claimedUntil },
    select: { attempts: true },
  });
  if (taken) return { claimed: true, attemptsBefore: taken.attempts };
  const current = await db.alertDelivery.findUnique({ where: { alertId_kind: { alertId, kind } }, select: { status: true } });
  return { claimed: false, status: current?.status === 'sent' ? 'sent' : 'in_progress' };
}

interface Outcome {
  alertId: string;
  complaintId: string;
  kind: ContactKindName;
  /** Tries for this path so far, this one included. */
  attempts: number;
  now: Date;
}

export async function recordDeliverySent(db: Database, o: Outcome): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.alertDelivery.update({
      where: { alertId_kind: { alertId: o.alertId, kind: o.kind } },
      data: { status: 'sent', attempts: o.attempts, sentAt: o.now, lastError: null, claimedUntil: null },
    });
    await recordComplaintEvent(tx, {
      complaintId: o.complaintId, type: 'alert.delivered', occurredAt: o.now,
      actor: { type: 'system', id: 'alert-delivery', channel: o.kind },
      payload: { alertId: o.alertId, path: o.kind, attempt: o.attempts },
    });
  });
}

export async function recordDeliveryFailed(db: Database, o: Outcome & { error: AlertPathError }): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.alertDelivery.update({
      where: { alertId_kind: { alertId: o.alertId, kind: o.kind } },
      data: { status: 'failed', attempts: o.attempts, lastError: o.error.message.slice(0, 200), claimedUntil: null, permanent: !o.error.retryable },
    });
    await recordComplaintEvent(tx, {
      complaintId: o.complaintId, type: 'alert.delivery_failed', occurredAt: o.now,
      actor: { type: 'system', id: 'alert-delivery', channel: o.kind },
      payload: { alertId: o.alertId, path: o.kind, attempt: o.attempts, errorClass: o.error.errorClass, retryable: o.error.retryable },
    });
  });
}
