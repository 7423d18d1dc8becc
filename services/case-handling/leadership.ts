// R-TIER1: the leadership group meets (within l1.meetingHours) and records a plan with a responsible
// person and milestones — which meets the leadership_meeting deadline at the time it was held — and
// the outcome is reported to senior management (a recorded report with its content; also after
// closing, when the outcome is known).
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import { markStepMet } from '../deadlines/mark-step-met';
import { acceptanceDay } from '../complaints/complaint-number';
import {
  actorOf, assertNotSubject, assertOpen, assertValidNow, findActiveStaff, findCase, LEADERSHIP_ROLES, lockCase, requiredText, type CaseStaff,
} from './case-access';

const MAX_TEXT = 10_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface Milestone {
  description: string;
  dueOn: string;
}

function assertLeadership(staff: CaseStaff, what: string): void {
  if (!(LEADERSHIP_ROLES as readonly string[]).includes(staff.role)) {
    throw new AppError('FORBIDDEN', { message: `only the leadership group may ${what}` });
  }
}

export async function recordLeadershipMeeting(options: {
  db: Database; number: string; heldAt: Date; plan: string; responsibleStaffId: string; milestones: readonly Milestone[];
  staff: CaseStaff; timeZone: string; now: Date; channel?: string;
}): Promise<{ id: string; number: string; leadershipMeetingDeadlineMet: boolean }> {
  const { db, staff, now, heldAt } = options;
  assertValidNow(now);
  assertLeadership(staff, 'record its meeting');
  const plan = requiredText(options.plan, 'plan', MAX_TEXT);
  if (Number.isNaN(heldAt.getTime()) || heldAt.getTime() > now.getTime()) throw new AppError('INVALID_INPUT', { message: 'heldAt must be a time that has passed' });
  if (options.milestones.length === 0) throw new AppError('INVALID_INPUT', { message: 'milestones: the plan needs at least one milestone' });
  const milestones = options.milestones.map((m, i) => {
    const description = requiredText(m.description, `milestones.${i}.description`, 2000);
    const real = DATE.test(m.dueOn) && new Date(`${m.dueOn}T00:00:00Z`).toISOString().slice(0, 10) === m.dueOn;
    if (!real) throw new AppError('INVALID_INPUT', { message: `milestones.${i}.dueOn must be a date (yyyy-mm-dd)` });
    if (m.dueOn.replaceAll('-', '') < acceptanceDay(heldAt, options.timeZone)) throw new AppError('INVALID_INPUT', { message: `milestones.${i}.dueOn is before the meeting` });
    return { description, dueOn: m.dueOn };
  });
  const complaint = await findCase(db, options.number);
  const responsible = await findActiveStaff(db, options.responsibleStaffId, 'responsibleStaffId');
  if (responsible.role === 'supervision') throw new AppError('INVALID_INPUT', { message: 'the supervision department cannot be responsible for a plan' });
  await assertNotSubject(db, complaint, responsible.id, 'owner');
  const accepted = await db.complaint.findUniqueOrThrow({ where: { id: complaint.id }, select: { acceptedAt: true } });
  if (heldAt.getTime() < accepted.acceptedAt.getTime()) throw new AppError('INVALID_INPUT', { message: 'heldAt is before the complaint was accepted' });

  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    assertOpen(current);
    const row = await tx.caseRecord.create({
      data: {
        complaintId: complaint.id, kind: 'leadership_meeting', body: plan, recordedBy: staff.id, recordedAt: now,
        details: { heldAt: heldAt.toISOString(), responsibleStaffId: responsible.id, milestones },
      },
      select: { id: true },
    });
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: 'leadership.meeting_recorded', actor: actorOf(staff, options.channel), occurredAt: now,
      payload: { recordId: row.id, heldAt: heldAt.toISOString(), responsibleStaffId: responsible.id, milestones: milestones.length },
    });
    const met = await markStepMet(tx, { complaintId: complaint.id, kind: 'leadership_meeting', by: 'leadership group meeting recorded', now: heldAt });
    return { id: row.id, number: current.number, leadershipMeetingDeadlineMet: met };
  });
}

export async function recordSeniorReport(options: {
  db: Database; number: string; content: string; staff: CaseStaff; now: Date; channel?: string;
}): Promise<{ id: string; number: string }> {
  const { db, staff, now } = options;
  assertValidNow(now);
  assertLeadership(staff, 'report to senior management');
  const content = requiredText(options.content, 'content', MAX_TEXT);
  const complaint = await findCase(db, options.number);
  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    const row = await tx.caseRecord.create({
      data: { complaintId: complaint.id, kind: 'senior_report', body: content, details: { statusAtReport: current.status }, recordedBy: staff.id, recordedAt: now },
      select: { id: true },
    });
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: 'senior_report.recorded', actor: actorOf(staff, options.channel), occurredAt: now,
      payload: { recordId: row.id, statusAtReport: current.status, length: content.length },
    });
    return { id: row.id, number: current.number };
  });
}
