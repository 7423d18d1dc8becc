// R-MEASURES: compensation with approval by amount band (policy compensationApproval; requirements.md
// "Defaults": ≤10 000 team lead · ≤100 000 department head · above: leadership group). A handler
// asks (`compensation.requested`); someone of the band's role or higher decides
// (`compensation.approved` / `compensation.refused`) — never the requester (four eyes, also a CHECK
// constraint), never a staff member the complaint is about (回避), and for the team lead and
// department head bands only staff of the complaint's department.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import type { ComplaintPolicy } from '../policy/policy';
import { isUuid } from '../ids';
import {
  actorOf, assertHandler, assertNotSubject, assertOpen, assertValidNow, findCase, lockCase, optionalText, requiredText,
  type CaseComplaint, type CaseRole, type CaseStaff,
} from './case-access';

export type ApprovalBandName = 'team_lead' | 'department_head' | 'leadership_group';
type ApproverRole = 'agent' | 'supervisor' | 'leadership';

const RANK: Record<ApproverRole, number> = { agent: 0, supervisor: 1, leadership: 2 };
const MAX_AMOUNT_YUAN = 1e12;

/** The band an amount falls in: up to and including each maximum. Pure. */
export function approvalBand(amountYuan: number, policy: ComplaintPolicy): ApprovalBandName {
  const cents = Math.round(amountYuan * 100);
  if (cents <= Math.round(policy.compensationApproval.teamLeadMaxYuan * 100)) return 'team_lead';
  if (cents <= Math.round(policy.compensationApproval.departmentHeadMaxYuan * 100)) return 'department_head';
  return 'leadership_group';
}

/** The staff role the band needs (that role or higher). */
export function requiredApproverRole(band: ApprovalBandName, policy: ComplaintPolicy): ApproverRole {
  const approvers = policy.compensationApproval.approvers;
  return band === 'team_lead' ? approvers.teamLead : band === 'department_head' ? approvers.departmentHead : approvers.leadershipGroup;
}

/** Why this staff member may not decide a request of this band, or null when they may. Pure. */
export function approvalRefusal(
  staff: { role: CaseRole; departmentId: string | null },
  band: ApprovalBandName,
  complaintDepartmentId: string | null,
  policy: ComplaintPolicy,
): string | null {
  const needed = requiredApproverRole(band, policy);
  // admin counts as the leadership group, as for extensions; supervision never decides.
  const role: ApproverRole | null = staff.role === 'admin' ? 'leadership' : staff.role === 'supervision' ? null : staff.role;
  if (role === null || RANK[role] < RANK[needed]) return `a compensation in the ${band} band needs a ${needed} or higher`;
  if (role !== 'leadership' && complaintDepartmentId && staff.departmentId !== complaintDepartmentId) {
    return "only staff of the complaint's department (or the leadership group) may decide this compensation";
  }
  return null;
}

function parseAmount(amountYuan: number): number {
  if (typeof amountYuan !== 'number' || !Number.isFinite(amountYuan) || amountYuan <= 0 || amountYuan > MAX_AMOUNT_YUAN) {
    throw new AppError('INVALID_INPUT', { message: 'amountYuan must be a positive amount of yuan' });
  }
  if (Math.abs(amountYuan * 100 - Math.round(amountYuan * 100)) > 1e-6) {
    throw new AppError('INVALID_INPUT', { message: 'amountYuan has at most two decimals (fen)' });
  }
  return Math.round(amountYuan * 100) / 100;
}

export interface CompensationRequested {
  id: string;
  number: string;
  amountYuan: number;
  band: ApprovalBandName;
  requiredRole: ApproverRole;
  status: 'requested';
}

export async function requestCompensation(options: {
  db: Database; number: string; amountYuan: number; reason: string; staff: CaseStaff; policy: ComplaintPolicy; now: Date; channel?: string;
}): Promise<CompensationRequested> {
  const { db, staff, policy, now } = options;
  assertValidNow(now);
  const amountYuan = parseAmount(options.amountYuan);
  const reason = requiredText(options.reason, 'reason', 2000);
  const complaint = await findCase(db, options.number);
  assertHandler(staff, complaint, 'ask for compensation');
  const band = approvalBand(amountYuan, policy);
  const requiredRole = requiredApproverRole(band, policy);
  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    assertInvestigating(current, 'compensation is proposed');
    const pending = await tx.compensation.findFirst({ where: { complaintId: complaint.id, status: 'requested' }, select: { id: true } });
    if (pending) throw new AppError('CONFLICT', { message: `complaint ${current.number} already has a compensation waiting for a decision (${pending.id})` });
    const row = await tx.compensation.create({
      data: { complaintId: complaint.id, amountYuan: amountYuan.toFixed(2), reason, band, policyVersion: policy.version, requestedBy: staff.id, requestedAt: now },
      select: { id: true },
    });
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: 'compensation.requested', actor: actorOf(staff, options.channel), occurredAt: now,
      payload: { compensationId: row.id, amountYuan, band, requiredRole, policyVersion: policy.version },
    });
    return { id: row.id, number: current.number, amountYuan, band, requiredRole, status: 'requested' as const };
  });
}

export interface CompensationDecided {
  id: string;
  number: string;
  amountYuan: number;
  band: ApprovalBandName;
  status: 'approved' | 'refused';
}

export async function decideCompensation(options: {
  db: Database; compensationId: string; approve: boolean; note?: string | null; staff: CaseStaff; policy: ComplaintPolicy; now: Date; channel?: string;
}): Promise<CompensationDecided> {
  const { db, staff, policy, now, compensationId, approve } = options;
  assertValidNow(now);
  const note = optionalText(options.note, 'note', 2000);
  if (staff.role === 'supervision') throw new AppError('FORBIDDEN', { message: 'the supervision department reads complaints and changes nothing' });
  const request = isUuid(compensationId)
    ? await db.compensation.findUnique({ where: { id: compensationId }, select: { complaintId: true, requestedBy: true, band: true, amountYuan: true, complaint: { select: { number: true } } } })
    : null;
  if (!request) throw new AppError('NOT_FOUND', { message: `no compensation ${compensationId}` });
  if (request.requestedBy === staff.id) {
    throw new AppError('FORBIDDEN', { message: 'nobody may decide their own compensation request (four eyes)' });
  }
  const complaint = await findCase(db, request.complaint.number);
  const refusal = approvalRefusal(staff, request.band, complaint.departmentId, policy);
  if (refusal) throw new AppError('FORBIDDEN', { message: refusal });
  await assertNotSubject(db, complaint, staff.id, 'approver');
  const amountYuan = Number(request.amountYuan);

  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    assertOpen(current);
    const { count } = await tx.compensation.updateMany({
      where: { id: compensationId, status: 'requested' },
      data: { status: approve ? 'approved' : 'refused', decidedBy: staff.id, decidedAt: now, decisionNote: note },
    });
    if (count === 0) throw new AppError('CONFLICT', { message: `compensation ${compensationId} was already decided` });
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: approve ? 'compensation.approved' : 'compensation.refused', actor: actorOf(staff, options.channel), occurredAt: now,
      payload: { compensationId, amountYuan, band: request.band, approverRole: staff.role },
    });
    return { id: compensationId, number: current.number, amountYuan, band: request.band, status: approve ? ('approved' as const) : ('refused' as const) };
  });
}

function assertInvestigating(complaint: CaseComplaint, what: string): void {
  if (complaint.status !== 'investigating') {
    throw new AppError('INVALID_TRANSITION', { message: `complaint ${complaint.number} is ${complaint.status}: ${what} during the investigation` });
  }
}
