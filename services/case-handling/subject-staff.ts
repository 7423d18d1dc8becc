// 回避: a complaint may be about members of staff (the agent who sold the policy, the adjuster who
// refused the claim). Handlers record them; from then on none of them may own the complaint,
// investigate it or approve its compensation. Recording one who already owns or investigates it says
// so, so the console can ask for a reassignment.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import { isUuid } from '../ids';
import { actorOf, assertOpen, assertValidNow, CASE_WRITE_ROLES, findCase, isHandler, isUniqueViolation, lockCase, type CaseStaff } from './case-access';

export interface SubjectRecorded {
  number: string;
  staffId: string;
  /** The subject owns the complaint: it must be reassigned. */
  ownerIsSubject: boolean;
  /** The subject investigates the complaint: name another investigator. */
  investigatorIsSubject: boolean;
}

export async function recordSubjectStaff(options: {
  db: Database; number: string; subjectStaffId: string; staff: CaseStaff; now: Date; channel?: string;
}): Promise<SubjectRecorded> {
  const { db, staff, now, subjectStaffId } = options;
  assertValidNow(now);
  if (!(CASE_WRITE_ROLES as readonly string[]).includes(staff.role)) {
    throw new AppError('FORBIDDEN', { message: 'the supervision department reads complaints and changes nothing' });
  }
  const complaint = await findCase(db, options.number);
  const sameDepartment = staff.departmentId !== null && staff.departmentId === complaint.departmentId;
  if (!isHandler(staff, complaint) && !sameDepartment) {
    throw new AppError('FORBIDDEN', { message: `only handlers of complaint ${complaint.number} or staff of its department may record whom it is about` });
  }
  const subject = isUuid(subjectStaffId) ? await db.staff.findUnique({ where: { id: subjectStaffId }, select: { id: true } }) : null;
  if (!subject) throw new AppError('INVALID_INPUT', { message: `staffId: no staff member ${subjectStaffId}` });

  try {
    return await db.$transaction(async (tx) => {
      const current = await lockCase(tx, complaint.id);
      assertOpen(current);
      await tx.complaintSubjectStaff.create({ data: { complaintId: complaint.id, staffId: subject.id, recordedBy: staff.id, recordedAt: now } });
      const ownerIsSubject = current.ownerStaffId === subject.id;
      const investigatorIsSubject = current.investigatorId === subject.id;
      await recordComplaintEvent(tx, {
        complaintId: complaint.id, type: 'case.subject_recorded', actor: actorOf(staff, options.channel), occurredAt: now,
        payload: { staffId: subject.id, ownerIsSubject, investigatorIsSubject },
      });
      return { number: current.number, staffId: subject.id, ownerIsSubject, investigatorIsSubject };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('CONFLICT', { message: `this staff member is already recorded as a subject of complaint ${complaint.number}` });
    }
    throw err;
  }
}
