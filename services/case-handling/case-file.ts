// Everything the console's case panel shows: owner, the staff the complaint is about, investigation,
// root cause and impact, written records, evidence files, compensations, corrective actions — and
// which actions the reader may take now (`actions`, from the same rules the use cases enforce).
import type { Database } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import type { ComplaintStatusName } from '../complaints/status-model';
import { ASSIGN_ROLES, CASE_WRITE_ROLES, findCase, isHandler, LEADERSHIP_ROLES, type CaseComplaint, type CaseStaff } from './case-access';
import { approvalRefusal } from './compensation';
import { mayReadEvidence } from './evidence';

export const CASE_ACTIONS = [
  'assign', 'recordSubject', 'startInvestigation', 'updateInvestigation', 'addNote', 'recordNegotiation', 'uploadEvidence',
  'readEvidence', 'recordAnalysis', 'requestCompensation', 'addCorrectiveAction', 'giveFeedback', 'close', 'recordMeeting',
  'recordSeniorReport',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface ActionContext {
  staff: CaseStaff;
  complaint: Pick<CaseComplaint, 'status' | 'departmentId' | 'ownerStaffId' | 'investigatorId'>;
  analysed: boolean;
  compensationPending: boolean;
}

/** The actions open to this staff member on this complaint now. Pure. */
export function allowedCaseActions({ staff, complaint, analysed, compensationPending }: ActionContext): CaseAction[] {
  const actions: CaseAction[] = [];
  const status: ComplaintStatusName = complaint.status;
  const open = status !== 'closed';
  const full = { ...complaint, id: '', number: '', tier: null, locale: '' };
  if (mayReadEvidence(staff, full)) actions.push('readEvidence');
  if (!(CASE_WRITE_ROLES as readonly string[]).includes(staff.role)) return actions;
  const handler = isHandler(staff, full);
  const sameDepartment = staff.departmentId !== null && staff.departmentId === complaint.departmentId;
  if (open && (ASSIGN_ROLES as readonly string[]).includes(staff.role) && (staff.role !== 'supervisor' || !complaint.departmentId || sameDepartment)) {
    actions.push('assign');
  }
  if (open && (handler || sameDepartment)) actions.push('recordSubject');
  if (handler && status === 'assigned') actions.push('startInvestigation');
  if (handler && open) actions.push('addNote', 'recordNegotiation', 'uploadEvidence', 'addCorrectiveAction');
  if (handler && status === 'investigating') {
    actions.push('updateInvestigation', 'recordAnalysis');
    if (!compensationPending) actions.push('requestCompensation');
    if (analysed && !compensationPending) actions.push('giveFeedback');
  }
  if (handler && status === 'resolved' && !compensationPending) actions.push('close');
  if ((LEADERSHIP_ROLES as readonly string[]).includes(staff.role)) {
    if (open) actions.push('recordMeeting');
    actions.push('recordSeniorReport');
  }
  return actions;
}

export async function getCaseFile({ db, number, staff, policy }: { db: Database; number: string; staff: CaseStaff; policy: ComplaintPolicy }) {
  const complaint = await findCase(db, number);
  const [row, subjects, investigation, records, files, compensations, actions] = await Promise.all([
    db.complaint.findUniqueOrThrow({ where: { id: complaint.id }, select: { tier: true, feedbackMethod: true, department: { select: { code: true } }, conversationRef: { select: { channelId: true } } } }),
    db.complaintSubjectStaff.findMany({ where: { complaintId: complaint.id }, orderBy: { recordedAt: 'asc' } }),
    db.caseInvestigation.findUnique({ where: { complaintId: complaint.id } }),
    db.caseRecord.findMany({ where: { complaintId: complaint.id }, orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }] }),
    db.storedFile.findMany({ where: { complaintId: complaint.id }, orderBy: { createdAt: 'asc' }, select: { id: true, originalName: true, contentType: true, sizeBytes: true, sha256: true, source: true, createdAt: true } }),
    db.compensation.findMany({ where: { complaintId: complaint.id }, orderBy: { requestedAt: 'asc' } }),
    db.correctiveAction.findMany({ where: { complaintId: complaint.id }, orderBy: { createdAt: 'asc' } }),
  ]);
  const staffIds = new Set<string>([
    ...(complaint.ownerStaffId ? [complaint.ownerStaffId] : []), ...subjects.map((s) => s.staffId),
    ...(investigation ? [investigation.investigatorId] : []), ...records.map((r) => r.recordedBy),
    ...compensations.flatMap((c) => [c.requestedBy, ...(c.decidedBy ? [c.decidedBy] : [])]), ...actions.map((a) => a.ownerStaffId),
  ]);
  const people = new Map(
    (await db.staff.findMany({ where: { id: { in: [...staffIds] } }, select: { id: true, displayName: true, role: true } })).map((s) => [s.id, s]),
  );
  const departmentRows = await db.department.findMany({ select: { id: true, code: true, name: true, nameEn: true }, orderBy: { code: 'asc' } });
  const departments = new Map(departmentRows.map((d) => [d.id, d.code]));
  const writer = (CASE_WRITE_ROLES as readonly string[]).includes(staff.role);
  // For the console's pickers (owner, investigator, subject, action owner, responsible person): writers only.
  const directory = writer
    ? (await db.staff.findMany({ where: { active: true, role: { in: ['agent', 'supervisor', 'leadership'] } }, select: { id: true, displayName: true, role: true, departmentId: true }, orderBy: { displayName: 'asc' } }))
      .map((s) => ({ id: s.id, displayName: s.displayName, role: s.role, department: s.departmentId ? departments.get(s.departmentId) ?? null : null }))
    : [];
  const person = (id: string | null) => (id ? { id, displayName: people.get(id)?.displayName ?? null, role: people.get(id)?.role ?? null } : null);
  const compensationPending = compensations.some((c) => c.status === 'requested');
  const analysed = Boolean(investigation?.analysedAt);
  const evidenceVisible = mayReadEvidence(staff, complaint);

  return {
    number: complaint.number,
    status: complaint.status,
    tier: row.tier,
    department: row.department?.code ?? null,
    /** How the customer asked to be answered, and whether a chat message can reach them. */
    feedbackMethod: row.feedbackMethod,
    hasChat: row.conversationRef !== null,
    owner: person(complaint.ownerStaffId),
    subjects: subjects.map((s) => ({ ...person(s.staffId)!, recordedAt: s.recordedAt.toISOString() })),
    investigation: investigation && {
      department: departments.get(investigation.departmentId) ?? null,
      investigator: person(investigation.investigatorId),
      methods: investigation.methods,
      startedAt: investigation.startedAt.toISOString(),
      rootCause: investigation.rootCause,
      rootCauseDetail: investigation.rootCauseDetail,
      impactLevel: investigation.impactLevel,
      impactAssessment: investigation.impactAssessment,
      analysedAt: investigation.analysedAt?.toISOString() ?? null,
    },
    records: records.map((r) => ({ id: r.id, kind: r.kind, body: r.body, details: r.details, recordedBy: person(r.recordedBy), recordedAt: r.recordedAt.toISOString() })),
    evidence: evidenceVisible
      ? files.map((f) => ({ id: f.id, fileName: f.originalName, contentType: f.contentType, size: f.sizeBytes, sha256: f.sha256, source: f.source, createdAt: f.createdAt.toISOString() }))
      : [],
    compensations: compensations.map((c) => ({
      id: c.id, amountYuan: Number(c.amountYuan), reason: c.reason, band: c.band, status: c.status,
      requestedBy: person(c.requestedBy), requestedAt: c.requestedAt.toISOString(),
      decidedBy: person(c.decidedBy), decidedAt: c.decidedAt?.toISOString() ?? null, decisionNote: c.decisionNote,
      mayDecide: c.status === 'requested' && c.requestedBy !== staff.id && complaint.status !== 'closed'
        && !subjects.some((s) => s.staffId === staff.id) && approvalRefusal(staff, c.band, complaint.departmentId, policy) === null,
    })),
    correctiveActions: actions.map((a) => ({
      id: a.id, description: a.description, owner: person(a.ownerStaffId), department: departments.get(a.departmentId) ?? null,
      dueOn: a.dueOn.toISOString().slice(0, 10), status: a.status, doneAt: a.doneAt?.toISOString() ?? null,
      mayComplete: a.status === 'open' && staff.role !== 'supervision' && (a.ownerStaffId === staff.id || isHandler(staff, complaint)),
    })),
    actions: allowedCaseActions({ staff, complaint, analysed, compensationPending }),
    staffDirectory: directory,
    departments: writer ? departmentRows.map((d) => ({ code: d.code, name: d.name, nameEn: d.nameEn })) : [],
  };
}
