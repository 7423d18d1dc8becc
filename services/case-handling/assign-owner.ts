// R-TRACKER (专人负责): a supervisor of the complaint's department, the leadership group or admin names
// the owner — an agent or supervisor of that department — and may name another later. 回避: a staff
// member the complaint is about is never its owner; the refusal is on record (`case.assignment_refused`).
// An acknowledged or reopened complaint moves to `assigned`; a complaint still `received` (the customer
// not yet told its number) gets its owner and keeps its status, since the status model never skips
// the acknowledgement. A supervisor who assigns it evidently has it: the to_supervisor step is met
// (as when they acknowledge the intake alert), so the SLA clock stops warning about it.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { changeComplaintStatusInTransaction } from '../complaints/change-complaint-status';
import { recordComplaintEvent } from '../complaints/record-event';
import type { ComplaintStatusName } from '../complaints/status-model';
import { markStepMet } from '../deadlines/mark-step-met';
import {
  actorOf, ASSIGN_ROLES, assertExpectedStatus, assertOpen, assertValidNow, findActiveStaff, findCase, lockCase,
  subjectStaffIds, type CaseStaff,
} from './case-access';

export interface AssignOwnerOptions {
  db: Database;
  number: string;
  assigneeId: string;
  staff: CaseStaff;
  now: Date;
  reason?: string | null;
  expectedFrom?: ComplaintStatusName;
  channel?: string;
}

export interface OwnerAssigned {
  number: string;
  ownerStaffId: string;
  previousOwnerStaffId: string | null;
  status: ComplaintStatusName;
  /** The to_supervisor deadline was met by this assignment. */
  toSupervisorMet: boolean;
}

const MOVES_TO_ASSIGNED: readonly ComplaintStatusName[] = ['acknowledged', 'reopened'];

export async function assignOwner(options: AssignOwnerOptions): Promise<OwnerAssigned> {
  const { db, staff, now, expectedFrom, channel } = options;
  const reason = options.reason?.trim() || null;
  assertValidNow(now);
  if (!(ASSIGN_ROLES as readonly string[]).includes(staff.role)) {
    throw new AppError('FORBIDDEN', { message: `a ${staff.role} may not assign complaints` });
  }
  const complaint = await findCase(db, options.number);
  if (staff.role === 'supervisor' && complaint.departmentId && staff.departmentId !== complaint.departmentId) {
    throw new AppError('FORBIDDEN', { message: `only a supervisor of complaint ${complaint.number}'s department may assign it` });
  }
  const assignee = await findActiveStaff(db, options.assigneeId, 'staffId');
  if (assignee.role !== 'agent' && assignee.role !== 'supervisor') {
    throw new AppError('INVALID_INPUT', { message: `the owner must be an agent or a supervisor, not a ${assignee.role}` });
  }
  if (complaint.departmentId && assignee.departmentId !== complaint.departmentId) {
    throw new AppError('INVALID_INPUT', { message: `the owner must belong to complaint ${complaint.number}'s department` });
  }
  const actor = actorOf(staff, channel);

  if ((await subjectStaffIds(db, complaint.id)).has(assignee.id)) {
    await recordComplaintEvent(db, {
      complaintId: complaint.id, type: 'case.assignment_refused', actor, occurredAt: now,
      payload: { staffId: assignee.id, cause: 'subject_of_complaint' },
    });
    throw new AppError('CONFLICT', {
      message: `回避: ${assignee.displayName} is named in complaint ${complaint.number} and may not handle it (conflict of interest); choose another owner`,
      details: { cause: 'subject_of_complaint' },
    });
  }

  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    assertExpectedStatus(current, expectedFrom);
    assertOpen(current);
    // Named as a subject between the check above and the lock: still refused.
    if ((await subjectStaffIds(tx, complaint.id)).has(assignee.id)) {
      throw new AppError('CONFLICT', { message: `回避: this staff member is named in complaint ${complaint.number}`, details: { cause: 'subject_of_complaint' } });
    }
    if (current.ownerStaffId === assignee.id) {
      throw new AppError('CONFLICT', { message: `${assignee.displayName} already owns complaint ${current.number}` });
    }
    await tx.complaint.update({ where: { id: complaint.id }, data: { ownerStaffId: assignee.id } });
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: 'case.owner_assigned', actor, occurredAt: now,
      payload: { from: current.ownerStaffId, to: assignee.id, reassigned: current.ownerStaffId !== null, ...(reason ? { reason } : {}) },
    });
    let status = current.status;
    if (MOVES_TO_ASSIGNED.includes(current.status)) {
      status = (await changeComplaintStatusInTransaction(tx, { complaintId: complaint.id, to: 'assigned', actor, now, expectedFrom: current.status })).to;
    }
    const toSupervisorMet = staff.role === 'supervisor'
      && (await markStepMet(tx, { complaintId: complaint.id, kind: 'to_supervisor', by: 'supervisor assigned the complaint', now }));
    return { number: current.number, ownerStaffId: assignee.id, previousOwnerStaffId: current.ownerStaffId, status, toSupervisorMet };
  });
}
