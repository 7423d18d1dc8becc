// The actions the console offers (allowedCaseActions): by role, by who the reader is to the complaint,
// and by status — the same rules the use cases enforce. Pure, table-driven.
import { describe, expect, it } from 'vitest';
import { allowedCaseActions, type CaseAction } from '../../services/case-handling/case-file';
import type { CaseRole } from '../../services/case-handling/case-access';
import type { ComplaintStatusName } from '../../services/complaints/status-model';

const CLAIMS = 'claims';
const OWNER = 'owner-id';
const complaint = (status: ComplaintStatusName) => ({ status, departmentId: CLAIMS, ownerStaffId: OWNER, investigatorId: 'investigator-id' });
const who = (role: CaseRole, id = 'someone', departmentId: string | null = CLAIMS) => ({ id, role, departmentId });
const actions = (staff: ReturnType<typeof who>, status: ComplaintStatusName, extra: { analysed?: boolean; compensationPending?: boolean } = {}) =>
  allowedCaseActions({ staff, complaint: complaint(status), analysed: extra.analysed ?? false, compensationPending: extra.compensationPending ?? false });

const HANDLING: CaseAction[] = ['addNote', 'recordNegotiation', 'uploadEvidence', 'addCorrectiveAction'];

describe('allowedCaseActions', () => {
  it.each<[string, ReturnType<typeof who>, ComplaintStatusName, CaseAction[]]>([
    ['the owner, assigned', who('agent', OWNER), 'assigned', ['readEvidence', 'recordSubject', 'startInvestigation', ...HANDLING]],
    ['the investigator, investigating', who('agent', 'investigator-id', 'cs'), 'investigating', ['readEvidence', 'recordSubject', ...HANDLING, 'updateInvestigation', 'recordAnalysis', 'requestCompensation']],
    ['another agent of the department', who('agent'), 'investigating', ['recordSubject']],
    ['an agent of another department', who('agent', 'x', 'cs'), 'investigating', []],
    ['the department supervisor, acknowledged', who('supervisor'), 'acknowledged', ['readEvidence', 'assign', 'recordSubject', ...HANDLING]],
    ['a supervisor of another department', who('supervisor', 'x', 'cs'), 'assigned', []],
    ['the leadership group, investigating', who('leadership', 'l', 'lg'), 'investigating', ['readEvidence', 'assign', 'recordSubject', ...HANDLING, 'updateInvestigation', 'recordAnalysis', 'requestCompensation', 'recordMeeting', 'recordSeniorReport']],
    ['supervision, any status', who('supervision', 'v', 'sup'), 'investigating', ['readEvidence']],
    ['the owner of a closed complaint', who('agent', OWNER), 'closed', ['readEvidence']],
    ['the leadership group, closed', who('leadership', 'l', 'lg'), 'closed', ['readEvidence', 'recordSeniorReport']],
  ])('%s', (_name, staff, status, expected) => {
    expect(actions(staff, status)).toEqual(expected);
  });

  it('feedback only after the root cause and with no compensation waiting; close only when resolved and nothing waits', () => {
    const owner = who('agent', OWNER);
    expect(actions(owner, 'investigating')).not.toContain('giveFeedback');
    expect(actions(owner, 'investigating', { analysed: true })).toContain('giveFeedback');
    const pending = actions(owner, 'investigating', { analysed: true, compensationPending: true });
    expect(pending).not.toContain('giveFeedback');
    expect(pending).not.toContain('requestCompensation');
    expect(actions(owner, 'resolved')).toContain('close');
    expect(actions(owner, 'resolved', { compensationPending: true })).not.toContain('close');
    expect(actions(owner, 'investigating')).not.toContain('close');
  });
});
