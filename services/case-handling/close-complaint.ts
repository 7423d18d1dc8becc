// Close (resolved → closed): only after the feedback (the status model allows closing from resolved
// only) and with no compensation still waiting for a decision. Open corrective actions do not hold
// the complaint open — they are tracked to done on their own — but the event says how many remain.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { changeComplaintStatusInTransaction } from '../complaints/change-complaint-status';
import type { ComplaintStatusName } from '../complaints/status-model';
import { actorOf, assertExpectedStatus, assertHandler, assertValidNow, findCase, lockCase, type CaseStaff } from './case-access';

export async function closeComplaint(options: {
  db: Database; number: string; staff: CaseStaff; now: Date; expectedFrom?: ComplaintStatusName; channel?: string;
}): Promise<{ number: string; status: ComplaintStatusName; openCorrectiveActions: number }> {
  const { db, staff, now } = options;
  assertValidNow(now);
  const complaint = await findCase(db, options.number);
  assertHandler(staff, complaint, 'close the complaint');
  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    assertExpectedStatus(current, options.expectedFrom);
    if (current.status !== 'resolved') {
      throw new AppError('INVALID_TRANSITION', { message: `complaint ${current.number} is ${current.status}: it closes after the feedback to the customer` });
    }
    const pending = await tx.compensation.count({ where: { complaintId: complaint.id, status: 'requested' } });
    if (pending > 0) {
      throw new AppError('CONFLICT', { message: `a compensation of complaint ${current.number} still waits for a decision`, details: { blocker: 'compensation_pending' } });
    }
    const openCorrectiveActions = await tx.correctiveAction.count({ where: { complaintId: complaint.id, status: 'open' } });
    const moved = await changeComplaintStatusInTransaction(tx, {
      complaintId: complaint.id, to: 'closed', actor: actorOf(staff, options.channel), now, expectedFrom: 'resolved', payload: { openCorrectiveActions },
    });
    return { number: current.number, status: moved.to, openCorrectiveActions };
  });
}
