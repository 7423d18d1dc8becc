// A step the system itself completes: forwarding to the supervisor is done when the supervisor
// acknowledges the intake alert; forwarding to the leadership group is done when the ladder alerts
// them. Marking the deadline met stops its warning and breach (their jobs find metAt set and do nothing).
import type { Prisma } from '../db/client';
import { recordComplaintEvent } from '../complaints/record-event';
import type { DeadlineKindName } from './compute-deadlines';

export async function markStepMet(
  tx: Prisma.TransactionClient,
  { complaintId, kind, by, now }: { complaintId: string; kind: DeadlineKindName; by: string; now: Date },
): Promise<boolean> {
  const deadline = await tx.complaintDeadline.findUnique({ where: { complaintId_kind: { complaintId, kind } }, select: { id: true, dueAt: true, metAt: true } });
  if (!deadline || deadline.metAt) return false;
  const { count } = await tx.complaintDeadline.updateMany({ where: { id: deadline.id, metAt: null }, data: { metAt: now } });
  if (count === 0) return false;
  await recordComplaintEvent(tx, {
    complaintId, type: 'deadline.met', actor: { type: 'system', id: 'sla-clock' }, occurredAt: now,
    payload: { kind, by, late: now.getTime() > deadline.dueAt.getTime() },
  });
  return true;
}
