// R-INVESTIGATE: the owner (or a supervisor) starts the investigation — responsible department,
// investigator, methods — and the complaint moves assigned → investigating. While it runs, handlers
// write investigation notes and negotiation records (append-only case_record rows; the event holds
// the record id and facts, never the text).
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { changeComplaintStatusInTransaction } from '../complaints/change-complaint-status';
import { recordComplaintEvent } from '../complaints/record-event';
import type { ComplaintStatusName } from '../complaints/status-model';
import {
  actorOf, assertExpectedStatus, assertHandler, assertNotSubject, assertOpen, assertValidNow, findActiveStaff, findCase,
  findDepartment, lockCase, requiredText, type CaseComplaint, type CaseStaff,
} from './case-access';

/** How a complaint is investigated (R-INVESTIGATE "methods"). */
export const INVESTIGATION_METHODS = [
  'interview', 'call_recording_review', 'document_review', 'system_record_review', 'site_visit', 'external_appraisal', 'other',
] as const;
export type InvestigationMethod = (typeof INVESTIGATION_METHODS)[number];

export const NEGOTIATION_CHANNELS = ['phone', 'in_person', 'chat', 'sms', 'email', 'letter'] as const;
export const NEGOTIATION_OUTCOMES = ['agreed', 'not_agreed', 'pending'] as const;

const MAX_NOTE_LENGTH = 10_000;

export interface InvestigationInput {
  /** Department code (CLAIMS…); default: the complaint's department. */
  departmentCode?: string | null;
  investigatorId: string;
  methods: readonly InvestigationMethod[];
}

async function resolveInvestigation(db: Database, complaint: CaseComplaint, input: InvestigationInput) {
  const departmentId = input.departmentCode ? (await findDepartment(db, input.departmentCode, 'departmentCode')).id : complaint.departmentId;
  if (!departmentId) throw new AppError('INVALID_INPUT', { message: 'departmentCode: the complaint has no department; name the responsible one' });
  const investigator = await findActiveStaff(db, input.investigatorId, 'investigatorId');
  if (investigator.role !== 'agent' && investigator.role !== 'supervisor') {
    throw new AppError('INVALID_INPUT', { message: `the investigator must be an agent or a supervisor, not a ${investigator.role}` });
  }
  if (investigator.departmentId !== departmentId) {
    throw new AppError('INVALID_INPUT', { message: 'the investigator must belong to the responsible department' });
  }
  const methods = [...new Set(input.methods)];
  if (methods.length === 0) throw new AppError('INVALID_INPUT', { message: 'methods: name at least one investigation method' });
  await assertNotSubject(db, complaint, investigator.id, 'investigator');
  return { departmentId, investigatorId: investigator.id, methods };
}

export async function startInvestigation(options: InvestigationInput & {
  db: Database; number: string; staff: CaseStaff; now: Date; expectedFrom?: ComplaintStatusName; channel?: string;
}): Promise<{ number: string; status: ComplaintStatusName; departmentId: string; investigatorId: string }> {
  const { db, staff, now } = options;
  assertValidNow(now);
  const complaint = await findCase(db, options.number);
  assertHandler(staff, complaint, 'start the investigation');
  const resolved = await resolveInvestigation(db, complaint, options);
  const actor = actorOf(staff, options.channel);
  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    assertExpectedStatus(current, options.expectedFrom);
    assertOpen(current);
    if (current.status !== 'assigned') {
      throw new AppError('INVALID_TRANSITION', { message: `complaint ${current.number} is ${current.status}: an investigation starts once it is assigned` });
    }
    const data = { ...resolved, startedBy: staff.id, startedAt: now };
    await tx.caseInvestigation.upsert({ where: { complaintId: complaint.id }, create: { complaintId: complaint.id, ...data }, update: data });
    await recordComplaintEvent(tx, { complaintId: complaint.id, type: 'investigation.started', actor, occurredAt: now, payload: { ...resolved } });
    const moved = await changeComplaintStatusInTransaction(tx, { complaintId: complaint.id, to: 'investigating', actor, now, expectedFrom: 'assigned' });
    return { number: current.number, status: moved.to, departmentId: resolved.departmentId, investigatorId: resolved.investigatorId };
  });
}

/** A new responsible department, investigator or methods while the investigation runs. */
export async function updateInvestigation(options: InvestigationInput & {
  db: Database; number: string; staff: CaseStaff; now: Date; channel?: string;
}): Promise<{ number: string; departmentId: string; investigatorId: string; methods: string[] }> {
  const { db, staff, now } = options;
  assertValidNow(now);
  const complaint = await findCase(db, options.number);
  assertHandler(staff, complaint, 'change the investigation');
  const resolved = await resolveInvestigation(db, complaint, options);
  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    if (current.status !== 'investigating') {
      throw new AppError('INVALID_TRANSITION', { message: `complaint ${current.number} is ${current.status}, not under investigation` });
    }
    const before = await tx.caseInvestigation.findUniqueOrThrow({ where: { complaintId: complaint.id }, select: { departmentId: true, investigatorId: true, methods: true } });
    await tx.caseInvestigation.update({ where: { complaintId: complaint.id }, data: resolved });
    const changed = (Object.keys(resolved) as (keyof typeof resolved)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(resolved[k]));
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: 'investigation.updated', actor: actorOf(staff, options.channel), occurredAt: now,
      payload: { ...resolved, changed },
    });
    return { number: current.number, ...resolved };
  });
}

export type NoteKind = 'investigation_note' | 'negotiation';

export interface NegotiationDetails {
  channel?: (typeof NEGOTIATION_CHANNELS)[number];
  outcome?: (typeof NEGOTIATION_OUTCOMES)[number];
}

/** An investigation note or a negotiation record (R-MEASURES), on any open complaint the caller handles. */
export async function addCaseNote(options: {
  db: Database; number: string; kind: NoteKind; text: string; negotiation?: NegotiationDetails; staff: CaseStaff; now: Date; channel?: string;
}): Promise<{ id: string; number: string; kind: NoteKind; recordedAt: Date }> {
  const { db, staff, now, kind } = options;
  assertValidNow(now);
  const text = requiredText(options.text, 'text', MAX_NOTE_LENGTH);
  const complaint = await findCase(db, options.number);
  assertHandler(staff, complaint, kind === 'negotiation' ? 'record a negotiation' : 'add investigation notes');
  const details = kind === 'negotiation' ? { channel: options.negotiation?.channel ?? null, outcome: options.negotiation?.outcome ?? null } : {};
  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    assertOpen(current);
    const row = await tx.caseRecord.create({
      data: { complaintId: complaint.id, kind, body: text, details, recordedBy: staff.id, recordedAt: now },
      select: { id: true },
    });
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: kind === 'negotiation' ? 'negotiation.recorded' : 'investigation.note_added',
      actor: actorOf(staff, options.channel), occurredAt: now, payload: { recordId: row.id, length: text.length, ...details },
    });
    return { id: row.id, number: current.number, kind, recordedAt: now };
  });
}
