// The one way the SLA clock raises an alert: one row per recipient (the department's supervisors,
// or every active member of the leadership group; one row for the role when nobody holds it),
// idempotent through its dedupe key, and one `alert.raised` event when any row is new. Runs inside
// the caller's transaction; the caller notifies the new alert ids after it commits.
import type { Prisma } from '../db/client';
import { markStepMet } from '../deadlines/mark-step-met';
import { recordComplaintEvent } from '../complaints/record-event';
import type { DeadlineKindName } from '../deadlines/compute-deadlines';
import type { Escalation } from './escalation-ladder';

export interface RaiseEscalationAlertOptions {
  complaintId: string;
  departmentId: string | null;
  escalation: Pick<Escalation, 'recipientRole' | 'kind' | 'ladderStep' | 'scope'>;
  /** The deadline behind it, for the event and for alerts scoped to one due time. */
  deadline?: { kind: DeadlineKindName; dueAt: Date } | null;
  now: Date;
}

export async function raiseEscalationAlert(
  tx: Prisma.TransactionClient,
  { complaintId, departmentId, escalation, deadline, now }: RaiseEscalationAlertOptions,
): Promise<{ alertIds: string[] }> {
  const { recipientRole, kind, ladderStep, scope } = escalation;
  // The supervisors of the complaint's department (none without a department); the leadership group
  // is company-wide.
  const staff =
    recipientRole === 'supervisor' && !departmentId
      ? []
      : await tx.staff.findMany({
          where: { role: recipientRole, active: true, ...(recipientRole === 'supervisor' ? { departmentId } : {}) },
          select: { id: true },
          orderBy: { employeeNo: 'asc' },
        });
  const recipients = staff.length > 0 ? staff.map((s) => s.id) : [null];
  const occurrence = scope === 'deadline' && deadline ? `:${deadline.dueAt.getTime()}` : '';
  const created = await tx.alert.createManyAndReturn({
    data: recipients.map((staffId) => ({
      complaintId, kind, departmentId, recipientRole, recipientStaffId: staffId, createdAt: now,
      dedupeKey: `${complaintId}:${kind}${occurrence}:${staffId ?? recipientRole}`,
    })),
    skipDuplicates: true,
    select: { id: true, recipientStaffId: true },
  });
  if (created.length > 0) {
    await recordComplaintEvent(tx, {
      complaintId, type: 'alert.raised', actor: { type: 'system', id: 'sla-clock' }, occurredAt: now,
      payload: {
        kind, recipientRole, ladderStep, departmentId,
        recipientStaffIds: created.flatMap((a) => (a.recipientStaffId ? [a.recipientStaffId] : [])),
        alertIds: created.map((a) => a.id),
        unassigned: created.some((a) => a.recipientStaffId === null),
        ...(deadline ? { deadlineKind: deadline.kind, dueAt: deadline.dueAt.toISOString() } : {}),
      },
    });
  }
  if (created.length > 0 && recipientRole === 'leadership') {
    await markStepMet(tx, { complaintId, kind: 'forward_to_leadership', by: `ladder: ${kind}`, now });
  }
  return { alertIds: created.map((a) => a.id) };
}
