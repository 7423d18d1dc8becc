// Extensions of the decision period (issue 4 item 8; requirements.md R-INVESTIGATE; the regulation:
// 15 days, a complex case 30, an especially complex one +30 with senior approval and notice to the
// complainant, never past 60). A handler asks with a reason (`extension.requested`); the role the
// policy names decides: up to `investigation.maxDays` (30) the department head (a supervisor of the
// complaint's department) or above, beyond it up to `investigation.extendedMaxDays` (60) only senior
// management (leadership, admin). An approval sets complaint.extended_decision_days and recomputes
// the deadlines in the same transaction (`extension.approved`, `deadlines.set`), then the customer is
// told the new date in their own channel (`customer.notified` / `customer.notify_failed`, or
// `customer.notify_pending` when there is no chat to write to). Payloads carry no personal data and
// not the free-text reason (kept in deadline_extension).
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Database, Prisma } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import { AppError } from '../errors';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import { lockComplaint, recomputeDeadlines } from '../deadlines/recompute-deadlines';
import type { CustomerNotifier } from './customer-notifier';

/** Who may ask for an extension: everyone who handles complaints; not the read-only supervision department. */
export const EXTENSION_REQUEST_ROLES = ['agent', 'supervisor', 'leadership', 'admin'] as const;
/** Who may approve up to `investigation.maxDays`: the department head or above. */
export const DEPARTMENT_HEAD_ROLES = ['supervisor', 'leadership', 'admin'] as const;
/** Who may approve beyond it: senior management. */
export const SENIOR_MANAGEMENT_ROLES = ['leadership', 'admin'] as const;

const MAX_REASON_LENGTH = 1000;

export interface RequestExtensionOptions {
  db: Database;
  complaintNumber: string;
  /** The decision period asked for, in calendar days: 30 or 60. */
  toDays: number;
  reason: string;
  staffId: string;
  policy: ComplaintPolicy;
  now: Date;
  channel?: string;
}

export interface ExtensionRequested {
  extensionId: string;
  complaintId: string;
  number: string;
  fromDays: number;
  toDays: number;
  status: 'requested';
}

export async function requestExtension(options: RequestExtensionOptions): Promise<ExtensionRequested> {
  const { db, complaintNumber, toDays, policy, now, channel = 'staff-api' } = options;
  const reason = options.reason.trim();
  assertValidNow(now);
  const staff = await activeStaff(db, options.staffId);
  if (!(EXTENSION_REQUEST_ROLES as readonly string[]).includes(staff.role)) {
    throw new AppError('FORBIDDEN', { message: `a ${staff.role} may not ask for an extension` });
  }
  if (!reason) throw new AppError('INVALID_INPUT', { message: 'an extension needs a reason' });
  if (reason.length > MAX_REASON_LENGTH) throw new AppError('INVALID_INPUT', { message: `the reason is longer than ${MAX_REASON_LENGTH} characters` });
  if (!Number.isInteger(toDays) || toDays <= 0) throw new AppError('INVALID_INPUT', { message: 'toDays must be a whole number of days' });

  const found = await db.complaint.findUnique({ where: { number: complaintNumber }, select: { id: true } });
  if (!found) throw new AppError('NOT_FOUND', { message: `no complaint ${complaintNumber}` });
  const actor: Actor & { id: string } = { type: 'staff', id: staff.id, channel };
  const cap = policy.investigation.extendedMaxDays;

  if (toDays > cap) {
    // A refusal on the merits: on record, then the error.
    await recordComplaintEvent(db, {
      complaintId: found.id, type: 'extension.refused', actor, occurredAt: now,
      payload: { toDays, cause: 'past_cap', capDays: cap, policyVersion: policy.version },
    });
    throw new AppError('INVALID_INPUT', { message: `a decision period cannot be extended past ${cap} days` });
  }
  const allowed = [policy.investigation.maxDays, cap];
  if (!allowed.includes(toDays)) {
    throw new AppError('INVALID_INPUT', { message: `an extension is to ${allowed.join(' or ')} days` });
  }

  return db.$transaction(async (tx) => {
    const complaint = await lockAndBump(tx, found.id, now);
    const fromDays = complaint.extendedDecisionDays ?? policy.statutory.decisionDays;
    if (toDays <= fromDays) {
      throw new AppError('CONFLICT', { message: `the decision period of complaint ${complaint.number} is already ${fromDays} days` });
    }
    const pending = await tx.deadlineExtension.findFirst({ where: { complaintId: found.id, status: 'requested' }, select: { id: true } });
    if (pending) throw new AppError('CONFLICT', { message: `complaint ${complaint.number} already has an extension waiting for a decision (${pending.id})` });
    const row = await tx.deadlineExtension.create({
      data: { complaintId: found.id, requestedDays: toDays, reason, requestedBy: staff.id, requestedAt: now },
      select: { id: true },
    });
    await recordComplaintEvent(tx, {
      complaintId: found.id, type: 'extension.requested', actor, occurredAt: now,
      payload: { extensionId: row.id, fromDays, toDays },
    });
    return { extensionId: row.id, complaintId: found.id, number: complaint.number, fromDays, toDays, status: 'requested' as const };
  });
}

export interface DecideExtensionOptions {
  db: Database;
  extensionId: string;
  approve: boolean;
  note?: string | null;
  staffId: string;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  now: Date;
  /** Tells the customer after an approval; without it the notice is recorded as pending. */
  notifier?: CustomerNotifier | null;
  channel?: string;
}

export type CustomerNotice = 'sent' | 'failed' | 'pending';

export interface ExtensionDecided {
  extensionId: string;
  complaintId: string;
  number: string;
  status: 'approved' | 'refused';
  decisionDays: number;
  /** After an approval: the new dates (absent while the clock is stopped). */
  statutoryDecision?: Date;
  feedback?: Date;
  customerNotice?: CustomerNotice;
}

export async function decideExtension(options: DecideExtensionOptions): Promise<ExtensionDecided> {
  const { db, extensionId, approve, policy, calendar, now, channel = 'staff-api' } = options;
  const note = options.note?.trim() || null;
  assertValidNow(now);
  if (note && note.length > MAX_REASON_LENGTH) throw new AppError('INVALID_INPUT', { message: `the note is longer than ${MAX_REASON_LENGTH} characters` });
  const staff = await activeStaff(db, options.staffId);
  if (!isUuid(extensionId)) throw new AppError('NOT_FOUND', { message: `no extension ${extensionId}` });
  const request = await db.deadlineExtension.findUnique({
    where: { id: extensionId },
    select: { complaintId: true, requestedDays: true, complaint: { select: { departmentId: true } } },
  });
  if (!request) throw new AppError('NOT_FOUND', { message: `no extension ${extensionId}` });
  assertMayDecide(staff, request.requestedDays, request.complaint.departmentId, policy);
  const actor: Actor & { id: string } = { type: 'staff', id: staff.id, channel };

  const decided = await db.$transaction(async (tx) => {
    const complaint = await lockAndBump(tx, request.complaintId, now);
    const row = await tx.deadlineExtension.findUniqueOrThrow({ where: { id: extensionId }, select: { status: true, requestedDays: true, reason: true, requestedAt: true } });
    if (row.status !== 'requested') throw new AppError('CONFLICT', { message: `extension ${extensionId} was already ${row.status}` });
    if (now.getTime() < row.requestedAt.getTime()) throw new AppError('INVALID_INPUT', { message: 'a decision cannot come before the request' });
    const fromDays = complaint.extendedDecisionDays ?? policy.statutory.decisionDays;
    await tx.deadlineExtension.update({
      where: { id: extensionId },
      data: { status: approve ? 'approved' : 'refused', decidedBy: staff.id, decidedAt: now, decisionNote: note },
    });
    if (!approve) {
      await recordComplaintEvent(tx, {
        complaintId: request.complaintId, type: 'extension.refused', actor, occurredAt: now,
        payload: { extensionId, fromDays, toDays: row.requestedDays, cause: 'decision' },
      });
      return { complaint, reason: row.reason, decisionDays: fromDays, schedule: null };
    }
    if (row.requestedDays <= fromDays) {
      throw new AppError('CONFLICT', { message: `the decision period of complaint ${complaint.number} is already ${fromDays} days` });
    }
    await tx.complaint.update({ where: { id: request.complaintId }, data: { extendedDecisionDays: row.requestedDays } });
    await recordComplaintEvent(tx, {
      complaintId: request.complaintId, type: 'extension.approved', actor, occurredAt: now,
      payload: { extensionId, fromDays, toDays: row.requestedDays, approverRole: staff.role },
    });
    const schedule = await recomputeDeadlines({ db: tx, complaintId: request.complaintId, reason: 'extension', policy, calendar, now, actor });
    return { complaint, reason: row.reason, decisionDays: schedule.decisionDays, schedule };
  });

  const result: ExtensionDecided = {
    extensionId, complaintId: request.complaintId, number: decided.complaint.number,
    status: approve ? 'approved' : 'refused', decisionDays: decided.decisionDays,
  };
  if (!decided.schedule) return result;
  result.statutoryDecision = decided.schedule.deadlines.statutory_decision;
  result.feedback = decided.schedule.deadlines.feedback;
  result.customerNotice = await tellCustomer({
    db, complaintId: request.complaintId, number: decided.complaint.number, locale: decided.complaint.locale,
    feedbackMethod: decided.complaint.feedbackMethod, extensionId, date: result.feedback ?? result.statutoryDecision,
    reason: decided.reason, timeZone: policy.timeZone, notifier: options.notifier ?? null, now,
  });
  return result;
}

/** Sends the notice into the customer's conversation and records how it went; never throws for a channel failure. */
async function tellCustomer(args: {
  db: Database; complaintId: string; number: string; locale: string; feedbackMethod: string; extensionId: string;
  date: Date | undefined; reason: string; timeZone: string; notifier: CustomerNotifier | null; now: Date;
}): Promise<CustomerNotice> {
  const { db, complaintId, extensionId, now } = args;
  const actor: Actor = { type: 'system', id: 'customer-notifier' };
  const stored = await db.conversationReference.findUnique({ where: { complaintId }, select: { channelId: true, reference: true } });
  const pending = async (cause: string) => {
    await recordComplaintEvent(db, {
      complaintId, type: 'customer.notify_pending', actor, occurredAt: now,
      payload: { subject: 'extension', extensionId, feedbackMethod: args.feedbackMethod, cause },
    });
    return 'pending' as const;
  };
  if (!stored) return pending('no_conversation');
  if (!args.notifier) return pending('no_channel_sender');
  if (!args.date) return pending('clock_stopped');
  const locale = args.locale.toLowerCase().startsWith('en') ? ('en-US' as const) : ('zh-CN' as const);
  try {
    await args.notifier.notify(stored.reference, { kind: 'extension', locale, number: args.number, newDate: args.date, reason: args.reason, timeZone: args.timeZone });
  } catch (err) {
    await recordComplaintEvent(db, {
      complaintId, type: 'customer.notify_failed', actor, occurredAt: now,
      payload: { subject: 'extension', extensionId, channelId: stored.channelId, errorClass: err instanceof Error ? err.name : typeof err },
    });
    return 'failed';
  }
  await recordComplaintEvent(db, {
    complaintId, type: 'customer.notified', actor, occurredAt: now,
    payload: { subject: 'extension', extensionId, channelId: stored.channelId, locale, newDate: args.date.toISOString() },
  });
  return 'sent';
}

function assertMayDecide(
  staff: { role: string; departmentId: string | null },
  toDays: number,
  complaintDepartmentId: string | null,
  policy: ComplaintPolicy,
): void {
  if (toDays > policy.investigation.maxDays) {
    if (!(SENIOR_MANAGEMENT_ROLES as readonly string[]).includes(staff.role)) {
      throw new AppError('FORBIDDEN', { message: `an extension beyond ${policy.investigation.maxDays} days needs senior management` });
    }
    return;
  }
  if (!(DEPARTMENT_HEAD_ROLES as readonly string[]).includes(staff.role)) {
    throw new AppError('FORBIDDEN', { message: `an extension to ${toDays} days needs the department head or above` });
  }
  // The department head is the supervisor of the complaint's department.
  if (staff.role === 'supervisor' && complaintDepartmentId && staff.departmentId !== complaintDepartmentId) {
    throw new AppError('FORBIDDEN', { message: "only the head of the complaint's department may approve this extension" });
  }
}

interface LockedComplaint {
  number: string;
  locale: string;
  feedbackMethod: string;
  extendedDecisionDays: number | null;
}

/** Locks the complaint row, bumps its version, refuses a closed complaint or a time before acceptance. */
async function lockAndBump(tx: Prisma.TransactionClient, complaintId: string, now: Date): Promise<LockedComplaint> {
  await lockComplaint(tx, complaintId);
  const complaint = await tx.complaint.update({
    where: { id: complaintId },
    data: { version: { increment: 1 } },
    select: { number: true, status: true, acceptedAt: true, locale: true, feedbackMethod: true, extendedDecisionDays: true },
  });
  if (complaint.status === 'closed') {
    throw new AppError('INVALID_TRANSITION', { message: `complaint ${complaint.number} is closed: its decision period can no longer change` });
  }
  if (now.getTime() < complaint.acceptedAt.getTime()) {
    throw new AppError('INVALID_INPUT', { message: 'an extension cannot come before the complaint was accepted' });
  }
  return complaint;
}

async function activeStaff(db: Database, staffId: string) {
  const staff = isUuid(staffId)
    ? await db.staff.findUnique({ where: { id: staffId }, select: { id: true, role: true, active: true, departmentId: true } })
    : null;
  if (!staff?.active) throw new AppError('UNAUTHENTICATED', { message: 'unknown or inactive staff member' });
  return staff;
}

function assertValidNow(now: Date): void {
  if (Number.isNaN(now.getTime())) throw new AppError('INVALID_INPUT', { message: 'now is not a valid date' });
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
