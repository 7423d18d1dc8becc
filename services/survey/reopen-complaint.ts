// The reopen loop (R-SURVEY, R-EXCEPTIONS): a dissatisfied answer or a review asked for in time
// moves the complaint (resolved or closed) → reopened → assigned to a new owner one level up who
// never owned it and is not named in it (choose-reopen-owner.ts), gives it a new feedback deadline
// counted from the reopening by its tier's rules, cancels surveys still pending, and alerts the
// department's supervisors through the SLA clock's alert path. Runs in the caller's transaction; the
// caller delivers the returned alerts and lets the SLA clock schedule the new deadline's timers.
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Prisma } from '../db/client';
import { changeComplaintStatusInTransaction } from '../complaints/change-complaint-status';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import { computeDeadlineSchedule } from '../deadlines/compute-deadlines';
import { lockComplaint, recomputeDeadlines } from '../deadlines/recompute-deadlines';
import type { ComplaintPolicy } from '../policy/policy';
import { raiseEscalationAlert } from '../sla/raise-escalation-alert';
import { subjectStaffIds } from '../case-handling/case-access';
import { chooseReopenOwner } from './choose-reopen-owner';

export type ReopenCause = 'dissatisfied' | 'review';

export interface ComplaintReopened {
  reopened: boolean;
  /** Why not: the complaint is being handled already. */
  skipped?: string;
  number: string;
  cycle?: number;
  ownerStaffId?: string | null;
  feedbackDueAt?: Date;
  alertIds: string[];
}

export async function reopenComplaintInTransaction(
  tx: Prisma.TransactionClient,
  { complaintId, cause, surveyId, actor, policy, calendar, now }: {
    complaintId: string; cause: ReopenCause; surveyId?: string | null; actor: Actor; policy: ComplaintPolicy; calendar: BusinessCalendar; now: Date;
  },
): Promise<ComplaintReopened> {
  await lockComplaint(tx, complaintId);
  const complaint = await tx.complaint.findUniqueOrThrow({
    where: { id: complaintId },
    select: { number: true, status: true, tier: true, departmentId: true, ownerStaffId: true, owner: { select: { role: true } }, investigation: { select: { investigatorId: true } } },
  });
  if (complaint.status !== 'resolved' && complaint.status !== 'closed') {
    return { reopened: false, skipped: `complaint is ${complaint.status}`, number: complaint.number, alertIds: [] };
  }
  const reason = cause === 'review' ? 'review_requested' : 'customer_dissatisfied';
  await changeComplaintStatusInTransaction(tx, {
    complaintId, to: 'reopened', actor, now, reason, payload: { review: cause === 'review', ...(surveyId ? { surveyId } : {}) },
  });
  // Surveys of the round that just ended can no longer be answered.
  await tx.satisfactionSurvey.updateMany({
    where: { complaintId, status: { in: ['scheduled', 'sent', 'reminded'] } },
    data: { status: 'cancelled', claimedUntil: null },
  });

  const owner = await pickOwner(tx, complaintId, complaint);
  if (owner) {
    await tx.complaint.update({ where: { id: complaintId }, data: { ownerStaffId: owner.id } });
    await recordComplaintEvent(tx, {
      complaintId, type: 'case.owner_assigned', actor: { type: 'system', id: 'survey' }, occurredAt: now,
      payload: { from: complaint.ownerStaffId, to: owner.id, reassigned: complaint.ownerStaffId !== null, reason: `reopened (${reason}): a different handler at a higher level` },
    });
    await changeComplaintStatusInTransaction(tx, { complaintId, to: 'assigned', actor: { type: 'system', id: 'survey' }, now, expectedFrom: 'reopened' });
  } else {
    await recordComplaintEvent(tx, {
      complaintId, type: 'case.owner_unavailable', actor: { type: 'system', id: 'survey' }, occurredAt: now,
      payload: { reason: 'no active staff member at a higher level who has not handled this complaint; a supervisor must assign it' },
    });
  }

  // A new feedback deadline counted from the reopening by the tier's rules: the complaint's clock
  // restarts now (so any later recompute — a tier change, an extension — keeps counting from here),
  // the feedback step is open again, and the deadlines are recomputed and stored (event deadlines.set).
  const { reopenCount } = await tx.complaint.update({ where: { id: complaintId }, data: { clockRestartedAt: now }, select: { reopenCount: true } });
  await tx.complaintDeadline.updateMany({ where: { complaintId, kind: 'feedback' }, data: { metAt: null, warnedAt: null, breachedAt: null } });
  const schedule = await recomputeDeadlines({
    db: tx, complaintId, reason: 'restart', policy, calendar, now, actor: { type: 'system', id: 'survey' },
    basis: `reopened (${reason}), cycle ${reopenCount}: periods count from the reopening`,
  });
  const feedbackDueAt = schedule.deadlines.feedback
    ?? computeDeadlineSchedule({ acceptedAt: now, tier: complaint.tier, urgent: false, policy, calendar }).deadlines.feedback!;

  const { alertIds } = await raiseEscalationAlert(tx, {
    complaintId, departmentId: complaint.departmentId, now,
    escalation: { recipientRole: 'supervisor', kind: cause === 'review' ? 'survey.review' : 'survey.dissatisfied', ladderStep: `reopened (${reason}), cycle ${reopenCount}`, scope: 'deadline' },
    deadline: { kind: 'feedback', dueAt: feedbackDueAt },
  });
  return { reopened: true, number: complaint.number, cycle: reopenCount, ownerStaffId: owner?.id ?? null, feedbackDueAt, alertIds };
}

async function pickOwner(
  tx: Prisma.TransactionClient,
  complaintId: string,
  complaint: { departmentId: string | null; ownerStaffId: string | null; owner: { role: string } | null; investigation: { investigatorId: string } | null },
) {
  const assignments = await tx.complaintEvent.findMany({ where: { complaintId, type: 'case.owner_assigned' }, select: { payload: true } });
  const previous = new Set<string>();
  for (const a of assignments) {
    const p = a.payload as { from?: unknown; to?: unknown };
    for (const id of [p.from, p.to]) if (typeof id === 'string') previous.add(id);
  }
  if (complaint.ownerStaffId) previous.add(complaint.ownerStaffId);
  if (complaint.investigation) previous.add(complaint.investigation.investigatorId);
  const staff = await tx.staff.findMany({
    where: {
      active: true,
      OR: [{ role: 'leadership' }, ...(complaint.departmentId ? [{ role: { in: ['agent', 'supervisor'] as ('agent' | 'supervisor')[] }, departmentId: complaint.departmentId }] : [])],
    },
    select: { id: true, role: true, employeeNo: true, departmentId: true, _count: { select: { owned: { where: { status: { not: 'closed' } } } } } },
  });
  return chooseReopenOwner({
    candidates: staff.map((s) => ({ id: s.id, role: s.role, employeeNo: s.employeeNo, inDepartment: s.departmentId === complaint.departmentId, openComplaints: s._count.owned })),
    lastOwnerRole: complaint.owner?.role ?? null,
    previousOwnerIds: previous,
    subjectIds: await subjectStaffIds(tx, complaintId),
  });
}
