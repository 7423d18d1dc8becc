// R-MEASURES: corrective actions with an owner, a department and a due date, tracked to done. They
// outlive the complaint (a process fix may take longer than the answer to the customer), so an
// action can be completed after the complaint is closed; it is never edited, only completed.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import { acceptanceDay } from '../complaints/complaint-number';
import { isUuid } from '../ids';
import {
  actorOf, assertHandler, assertOpen, assertValidNow, findActiveStaff, findCase, findDepartment, isHandler, lockCase, optionalText,
  requiredText, type CaseStaff,
} from './case-access';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** yyyy-mm-dd that is a real calendar date. */
function parseDueOn(text: string): Date {
  const m = DATE.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text) throw new AppError('INVALID_INPUT', { message: 'dueOn must be a date (yyyy-mm-dd)' });
  return date;
}

export interface CorrectiveActionCreated {
  id: string;
  number: string;
  ownerStaffId: string;
  departmentId: string;
  dueOn: string;
  status: 'open';
}

export async function createCorrectiveAction(options: {
  db: Database; number: string; description: string; ownerStaffId: string; departmentCode: string; dueOn: string;
  staff: CaseStaff; timeZone: string; now: Date; channel?: string;
}): Promise<CorrectiveActionCreated> {
  const { db, staff, now } = options;
  assertValidNow(now);
  const description = requiredText(options.description, 'description', 2000);
  const dueOn = parseDueOn(options.dueOn);
  // Today in the company's time zone, as yyyymmdd.
  const today = acceptanceDay(now, options.timeZone);
  if (options.dueOn.replaceAll('-', '') < today) throw new AppError('INVALID_INPUT', { message: 'dueOn must not be in the past' });
  const complaint = await findCase(db, options.number);
  assertHandler(staff, complaint, 'add corrective actions');
  const department = await findDepartment(db, options.departmentCode, 'departmentCode');
  const owner = await findActiveStaff(db, options.ownerStaffId, 'ownerStaffId');
  if (owner.role === 'supervision') throw new AppError('INVALID_INPUT', { message: 'the supervision department does not own corrective actions' });
  if (owner.departmentId !== department.id) throw new AppError('INVALID_INPUT', { message: 'the owner of a corrective action must belong to its department' });

  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    assertOpen(current);
    const row = await tx.correctiveAction.create({
      data: { complaintId: complaint.id, description, ownerStaffId: owner.id, departmentId: department.id, dueOn, createdBy: staff.id, createdAt: now },
      select: { id: true },
    });
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: 'corrective_action.created', actor: actorOf(staff, options.channel), occurredAt: now,
      payload: { actionId: row.id, ownerStaffId: owner.id, departmentId: department.id, dueOn: options.dueOn },
    });
    return { id: row.id, number: current.number, ownerStaffId: owner.id, departmentId: department.id, dueOn: options.dueOn, status: 'open' as const };
  });
}

/** Done: by the action's owner or a handler of the complaint, once. */
export async function completeCorrectiveAction(options: {
  db: Database; actionId: string; note?: string | null; staff: CaseStaff; timeZone: string; now: Date; channel?: string;
}): Promise<{ id: string; number: string; status: 'done'; late: boolean }> {
  const { db, staff, now, actionId } = options;
  assertValidNow(now);
  const note = optionalText(options.note, 'note', 2000);
  if (staff.role === 'supervision') throw new AppError('FORBIDDEN', { message: 'the supervision department reads complaints and changes nothing' });
  const action = isUuid(actionId)
    ? await db.correctiveAction.findUnique({ where: { id: actionId }, select: { ownerStaffId: true, dueOn: true, complaint: { select: { number: true } } } })
    : null;
  if (!action) throw new AppError('NOT_FOUND', { message: `no corrective action ${actionId}` });
  const complaint = await findCase(db, action.complaint.number);
  if (action.ownerStaffId !== staff.id && !isHandler(staff, complaint)) {
    throw new AppError('FORBIDDEN', { message: 'only the owner of the action or a handler of the complaint may mark it done' });
  }
  const late = acceptanceDay(now, options.timeZone) > action.dueOn.toISOString().slice(0, 10).replaceAll('-', '');
  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    const { count } = await tx.correctiveAction.updateMany({ where: { id: actionId, status: 'open' }, data: { status: 'done', doneBy: staff.id, doneAt: now, doneNote: note } });
    if (count === 0) throw new AppError('CONFLICT', { message: `corrective action ${actionId} is already done` });
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: 'corrective_action.done', actor: actorOf(staff, options.channel), occurredAt: now,
      payload: { actionId, late },
    });
    return { id: actionId, number: current.number, status: 'done' as const, late };
  });
}
