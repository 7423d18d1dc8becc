// R-TIER1/R-TIER2/R-URGENT: the supervisor of the responsible department is told at once of a
// level-1, level-2 or urgent complaint. One alert row per supervisor (or one for the role when the
// department has none) with its dedupe key, and an event on the complaint, written by the filing.
import { randomUUID } from 'node:crypto';
import type { ComplaintEventInput } from '../complaints/record-event';
import type { TriageDecision } from '../triage/triage-types';

export type TriageAlertKind = 'triage.l1' | 'triage.urgent' | 'triage.l2';

export function triageAlertKind(decision: Pick<TriageDecision, 'tier' | 'urgent'>): TriageAlertKind | null {
  if (decision.tier === 'L1') return 'triage.l1';
  if (decision.urgent) return 'triage.urgent';
  if (decision.tier === 'L2') return 'triage.l2';
  return null;
}

/**
 * The alert rows for a new complaint (one per active supervisor of the department, in employee-number
 * order, or one for the role when it has none) and the `alert.raised` event, for the filing to write.
 */
export function triageAlert({ complaintId, departmentId, kind, supervisors, now }: {
  complaintId: string; departmentId: string | null; kind: TriageAlertKind; supervisors: string[]; now: Date;
}): { rows: { id: string; kind: TriageAlertKind; department_id: string | null; recipient_staff_id: string | null; dedupe_key: string; created_at: string }[]; event: ComplaintEventInput } {
  const recipients = departmentId && supervisors.length > 0 ? supervisors : [null];
  return {
    rows: recipients.map((staffId) => ({
      id: randomUUID(), kind, department_id: departmentId, recipient_staff_id: staffId,
      dedupe_key: `${complaintId}:${kind}:${staffId ?? 'supervisor'}`, created_at: now.toISOString(),
    })),
    event: {
      complaintId, type: 'alert.raised', actor: { type: 'system', id: 'triage' }, occurredAt: now,
      payload: { kind, recipientRole: 'supervisor', recipientStaffIds: recipients.filter(Boolean), departmentId, unassigned: recipients[0] === null },
    },
  };
}
