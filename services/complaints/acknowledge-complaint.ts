// The customer has been told the number and the feedback date in the same conversation: the
// complaint moves received → acknowledged. Idempotent, so a retried turn acknowledges once.
import type { Database } from '../db/client';
import { changeComplaintStatusInTransaction } from './change-complaint-status';
import type { Actor } from './record-event';

export async function acknowledgeComplaint({ db, complaintId, actor, now }: { db: Database; complaintId: string; actor: Actor; now: Date }): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const current = await tx.complaint.findUnique({ where: { id: complaintId }, select: { status: true } });
    if (current?.status !== 'received') return false;
    await changeComplaintStatusInTransaction(tx, { complaintId, to: 'acknowledged', actor, now, payload: { via: actor.channel ?? null } });
    return true;
  });
}
