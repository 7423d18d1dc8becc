// R-TIER1/R-TIER2/R-URGENT: the supervisor of the responsible department is told at once of a
// level-1, level-2 or urgent complaint. One alert row per supervisor (or one for the role when the
// department has none), idempotent through its dedupe key, and an event on the complaint.
import type { Prisma } from '../db/client';
import { recordComplaintEvent } from '../complaints/record-event';
import type { TriageDecision } from '../triage/triage-types';

export type TriageAlertKind = 'triage.l1' | 'triage.urgent' | 'triage.l2';

export function triageAlertKind(decision: Pick<TriageDecision, 'tier' | 'urgent'>): TriageAlertKind | null {
  if (decision.tier === 'L1') return 'triage.l1';
  if (decision.urgent) return 'triage.urgent';
  if (decision.tier === 'L2') return 'triage.l2';
  return null;
}

export async function raiseTriageAlert(
  tx: Prisma.TransactionClient,
  { complaintId, departmentId, kind, now }: { complaintId: string; departmentId: string | null; kind: TriageAlertKind; now: Date },
): Promise<{ recipients: number }> {
  const supervisors = departmentId
    ? await tx.staff.findMany({ where: { departmentId, role: 'supervisor', active: true }, select: { id: true }, orderBy: { employeeNo: 'asc' } })
    : [];
  const recipients = supervisors.length > 0 ? supervisors.map((s) => s.id) : [null];
  const created = await tx.alert.createMany({
    data: recipients.map((staffId) => ({
      complaintId, kind, departmentId, recipientRole: 'supervisor' as const, recipientStaffId: staffId,
      dedupeKey: `${complaintId}:${kind}:${staffId ?? 'supervisor'}`, createdAt: now,
    })),
    skipDuplicates: true,
  });
  if (created.count > 0) {
    await recordComplaintEvent(tx, {
      complaintId, type: 'alert.raised', actor: { type: 'system', id: 'triage' }, occurredAt: now,
      payload: { kind, recipientRole: 'supervisor', recipientStaffIds: recipients.filter(Boolean), departmentId, unassigned: supervisors.length === 0 },
    });
  }
  return { recipients: created.count };
}
