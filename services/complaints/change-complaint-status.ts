// Moves a complaint along its life cycle. The conditional update on (id, status, version) makes the
// change safe under retries and races: the loser sees count 0 and gets a CONFLICT.
import type { Database, Prisma } from '../db/client';
import { AppError } from '../errors';
import { checkStatusTransition, type ComplaintStatusName } from './status-model';
import { recordComplaintEvent, type Actor } from './record-event';

export interface ChangeStatusOptions {
  db: Database;
  complaintId: string;
  to: ComplaintStatusName;
  actor: Actor;
  reason?: string;
  payload?: Record<string, unknown>;
  now: Date;
  /** The status the caller acted on (what the agent saw on screen). When the complaint has moved on
   *  since, the change is refused with CONFLICT instead of being applied to a state nobody looked at. */
  expectedFrom?: ComplaintStatusName;
}

export async function changeComplaintStatus(options: ChangeStatusOptions): Promise<{ from: ComplaintStatusName; to: ComplaintStatusName }> {
  return options.db.$transaction((tx) => changeComplaintStatusInTransaction(tx, options));
}

export async function changeComplaintStatusInTransaction(
  tx: Prisma.TransactionClient,
  { complaintId, to, actor, reason, payload, now, expectedFrom }: Omit<ChangeStatusOptions, 'db'>,
): Promise<{ from: ComplaintStatusName; to: ComplaintStatusName }> {
  const current = await tx.complaint.findUnique({ where: { id: complaintId }, select: { status: true, version: true, number: true } });
  if (!current) throw new AppError('NOT_FOUND', { message: `complaint ${complaintId} not found` });
  if (expectedFrom !== undefined && current.status !== expectedFrom) {
    throw new AppError('CONFLICT', {
      message: `complaint ${current.number} is ${current.status}, not ${expectedFrom}; status not changed`,
      details: { expected: expectedFrom, actual: current.status, to },
    });
  }
  const check = checkStatusTransition(current.status, to);
  if (!check.allowed) {
    throw new AppError('INVALID_TRANSITION', { message: `complaint ${current.number}: ${check.reason}`, details: { from: current.status, to } });
  }
  const updated = await tx.complaint.updateMany({
    where: { id: complaintId, status: current.status, version: current.version },
    data: { status: to, version: { increment: 1 } },
  });
  if (updated.count === 0) {
    throw new AppError('CONFLICT', { message: `complaint ${current.number} changed concurrently; status not changed` });
  }
  await recordComplaintEvent(tx, {
    complaintId,
    type: 'status.changed',
    actor,
    occurredAt: now,
    payload: { from: current.status, to, ...(reason ? { reason } : {}), ...payload },
  });
  return { from: current.status, to };
}
