// Who may do what to a complaint's case, and the loading/locking every case-handling use case shares.
// Routes check the role first (bot/case-routes.ts); the use cases check again against the complaint
// (its department, owner, investigator, and the staff it is about — 回避), so a use case called from
// anywhere else is just as safe.
import type { Database, Prisma } from '../db/client';
import { AppError } from '../errors';
import { normalizeComplaintNumber } from '../complaints/complaint-number';
import type { ComplaintStatusName } from '../complaints/status-model';
import type { Actor } from '../complaints/record-event';
import { lockComplaint } from '../deadlines/recompute-deadlines';
import { isUuid } from '../ids';

export type CaseRole = 'agent' | 'supervisor' | 'leadership' | 'supervision' | 'admin';

/** The signed-in staff member acting (bot/staff-api.ts SignedInStaff has this shape). */
export interface CaseStaff {
  id: string;
  role: CaseRole;
  departmentId: string | null;
}

/** Everyone who handles complaints; the supervision department reads and never writes. */
export const CASE_WRITE_ROLES = ['agent', 'supervisor', 'leadership', 'admin'] as const;
/** Who assigns owners: department supervisors (their department), the leadership group, admin. */
export const ASSIGN_ROLES = ['supervisor', 'leadership', 'admin'] as const;
/** Who records the leadership group's meeting and the report to senior management. */
export const LEADERSHIP_ROLES = ['leadership', 'admin'] as const;
/** Who may read the case file. */
export const CASE_READ_ROLES = ['agent', 'supervisor', 'leadership', 'supervision', 'admin'] as const;

export interface CaseComplaint {
  id: string;
  number: string;
  status: ComplaintStatusName;
  tier: 'L1' | 'L2' | 'L3' | null;
  departmentId: string | null;
  ownerStaffId: string | null;
  locale: string;
  investigatorId: string | null;
}

const CASE_SELECT = {
  id: true, number: true, status: true, tier: true, departmentId: true, ownerStaffId: true, locale: true,
  investigation: { select: { investigatorId: true } },
} as const;

export type Reader = Database | Prisma.TransactionClient;

/** The complaint by its number (as typed: normalised); NOT_FOUND when there is none. */
export async function findCase(db: Reader, numberText: string): Promise<CaseComplaint> {
  const number = normalizeComplaintNumber(numberText);
  if (!number) throw new AppError('INVALID_INPUT', { message: 'not a complaint number' });
  const row = await db.complaint.findUnique({ where: { number }, select: CASE_SELECT });
  if (!row) throw new AppError('NOT_FOUND', { message: `no complaint ${number}` });
  return toCase(row);
}

/**
 * Locks the complaint row for the rest of the transaction, bumps its version (so concurrent writers
 * see each other) and returns it as it is now.
 */
export async function lockCase(tx: Prisma.TransactionClient, complaintId: string): Promise<CaseComplaint> {
  await lockComplaint(tx, complaintId);
  const row = await tx.complaint.update({ where: { id: complaintId }, data: { version: { increment: 1 } }, select: CASE_SELECT });
  return toCase(row);
}

function toCase(row: {
  id: string; number: string; status: ComplaintStatusName; tier: 'L1' | 'L2' | 'L3' | null; departmentId: string | null;
  ownerStaffId: string | null; locale: string; investigation: { investigatorId: string } | null;
}): CaseComplaint {
  const { investigation, ...rest } = row;
  return { ...rest, investigatorId: investigation?.investigatorId ?? null };
}

export function actorOf(staff: CaseStaff, channel = 'staff-api'): Actor & { id: string } {
  return { type: 'staff', id: staff.id, channel };
}

/** The status the caller saw on screen; a complaint that has moved on since is a CONFLICT (409). */
export function assertExpectedStatus(complaint: CaseComplaint, expectedFrom: ComplaintStatusName | undefined): void {
  if (expectedFrom !== undefined && complaint.status !== expectedFrom) {
    throw new AppError('CONFLICT', {
      message: `complaint ${complaint.number} is ${complaint.status}, not ${expectedFrom}; nothing changed`,
      details: { expected: expectedFrom, actual: complaint.status },
    });
  }
}

export function assertOpen(complaint: CaseComplaint): void {
  if (complaint.status === 'closed') {
    throw new AppError('INVALID_TRANSITION', { message: `complaint ${complaint.number} is closed` });
  }
}

/**
 * A handler of this complaint: its owner or investigator, a supervisor of its department, the
 * leadership group, admin. Everyone else with a write role gets FORBIDDEN.
 */
export function isHandler(staff: CaseStaff, complaint: CaseComplaint): boolean {
  switch (staff.role) {
    case 'leadership':
    case 'admin':
      return true;
    case 'supervisor':
      return complaint.departmentId === null || staff.departmentId === complaint.departmentId || complaint.ownerStaffId === staff.id;
    case 'agent':
      return complaint.ownerStaffId === staff.id || complaint.investigatorId === staff.id;
    default:
      return false;
  }
}

export function assertHandler(staff: CaseStaff, complaint: CaseComplaint, what: string): void {
  if (staff.role === 'supervision') throw new AppError('FORBIDDEN', { message: 'the supervision department reads complaints and changes nothing' });
  if (!isHandler(staff, complaint)) {
    throw new AppError('FORBIDDEN', {
      message: staff.role === 'agent'
        ? `only the owner or investigator of complaint ${complaint.number} (or a supervisor of its department) may ${what}`
        : `a supervisor of another department may not ${what} on complaint ${complaint.number}`,
    });
  }
}

/** Ids of the staff the complaint is about. */
export async function subjectStaffIds(db: Reader, complaintId: string): Promise<Set<string>> {
  const rows = await db.complaintSubjectStaff.findMany({ where: { complaintId }, select: { staffId: true } });
  return new Set(rows.map((r) => r.staffId));
}

/** 回避: a staff member the complaint is about may not handle or decide it. */
export async function assertNotSubject(db: Reader, complaint: CaseComplaint, staffId: string, role: 'owner' | 'investigator' | 'approver'): Promise<void> {
  const subjects = await subjectStaffIds(db, complaint.id);
  if (subjects.has(staffId)) {
    throw new AppError('CONFLICT', {
      message: `回避: this staff member is named in complaint ${complaint.number} and may not be its ${role} (conflict of interest)`,
      details: { cause: 'subject_of_complaint', role },
    });
  }
}

export interface ActiveStaffRow {
  id: string;
  role: CaseRole;
  departmentId: string | null;
  displayName: string;
}

/** A staff member by id from outside (a request body); INVALID_INPUT when unknown or inactive. */
export async function findActiveStaff(db: Reader, staffId: string, field: string): Promise<ActiveStaffRow> {
  const row = isUuid(staffId)
    ? await db.staff.findUnique({ where: { id: staffId }, select: { id: true, role: true, departmentId: true, displayName: true, active: true } })
    : null;
  if (!row?.active) throw new AppError('INVALID_INPUT', { message: `${field}: no active staff member ${staffId}` });
  return { id: row.id, role: row.role, departmentId: row.departmentId, displayName: row.displayName };
}

/** A department by its code (CS, CLAIMS…); INVALID_INPUT when unknown. */
export async function findDepartment(db: Reader, code: string, field: string): Promise<{ id: string; code: string }> {
  const row = await db.department.findUnique({ where: { code }, select: { id: true, code: true } });
  if (!row) throw new AppError('INVALID_INPUT', { message: `${field}: no department ${code}` });
  return row;
}

export function assertValidNow(now: Date): void {
  if (Number.isNaN(now.getTime())) throw new AppError('INVALID_INPUT', { message: 'now is not a valid date' });
}

/** Prisma's unique-constraint violation (P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}

/** Free text from a handler: trimmed, required, at most `max` characters. */
export function requiredText(value: string | null | undefined, field: string, max: number): string {
  const text = (value ?? '').trim();
  if (!text) throw new AppError('INVALID_INPUT', { message: `${field} must not be empty` });
  if (text.length > max) throw new AppError('INVALID_INPUT', { message: `${field} is longer than ${max} characters` });
  return text;
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  const text = (value ?? '').trim();
  if (!text) return null;
  if (text.length > max) throw new AppError('INVALID_INPUT', { message: `${field} is longer than ${max} characters` });
  return text;
}
