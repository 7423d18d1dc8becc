// What happens when a deadline's warning or breach timer fires. The step is claimed with a conditional
// update (not yet warned/breached, not met, due time unchanged): a retried or duplicated job finds
// count 0 and does nothing, so each step acts once. The claim, its event and the ladder's alerts
// commit together; delivery is told afterwards.
import type { Database } from '../db/client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy } from '../policy/policy';
import type { Logger } from '../logger';
import { recordComplaintEvent } from '../complaints/record-event';
import { isDue, nextEscalations } from './escalation-ladder';
import { raiseEscalationAlert } from './raise-escalation-alert';
import { notifyAlerts, type NotifyAlert } from './notify-alerts';
import { stepFireAt } from './timer-plan';

export interface DeadlineStepOptions {
  db: Database;
  deadlineId: string;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  notify: NotifyAlert;
  log: Logger;
  now: Date;
}

export type DeadlineStepOutcome =
  | { outcome: 'done'; alertIds: string[] }
  /** Gone, met, already handled, or the complaint is finished: nothing to do. */
  | { outcome: 'skipped'; reason: string }
  /** The deadline moved later since the timer was planned: fire again at `fireAt`. */
  | { outcome: 'early'; fireAt: Date };

/** A timer may fire this much before its planned time without being sent back. */
const EARLY_TOLERANCE_MS = 250;
const FINISHED_STATUSES = ['resolved', 'closed'];

export function onDeadlineWarning(options: DeadlineStepOptions): Promise<DeadlineStepOutcome> {
  return runDeadlineStep('warning', options);
}

export function onDeadlineBreach(options: DeadlineStepOptions): Promise<DeadlineStepOutcome> {
  return runDeadlineStep('breach', options);
}

async function runDeadlineStep(step: 'warning' | 'breach', { db, deadlineId, policy, calendar, notify, log, now }: DeadlineStepOptions): Promise<DeadlineStepOutcome> {
  const deadline = await db.complaintDeadline.findUnique({
    where: { id: deadlineId },
    select: {
      id: true, kind: true, dueAt: true, metAt: true, warnedAt: true, breachedAt: true,
      complaint: { select: { id: true, acceptedAt: true, tier: true, urgent: true, status: true, departmentId: true } },
    },
  });
  if (!deadline) return { outcome: 'skipped', reason: 'deadline gone' };
  if (deadline.metAt) return { outcome: 'skipped', reason: 'met' };
  if (deadline.breachedAt) return { outcome: 'skipped', reason: 'already breached' };
  if (step === 'warning' && deadline.warnedAt) return { outcome: 'skipped', reason: 'already warned' };
  if (FINISHED_STATUSES.includes(deadline.complaint.status)) return { outcome: 'skipped', reason: 'complaint finished' };
  const { complaint } = deadline;
  const fireAt = stepFireAt({ dueAt: deadline.dueAt, startsAt: complaint.acceptedAt }, step === 'warning' ? 'warn' : 'breach', policy.sla.warnAtPercent);
  if (!fireAt) return { outcome: 'skipped', reason: 'empty window' };
  if (fireAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return { outcome: 'early', fireAt };

  const alertIds = await db.$transaction(async (tx) => {
    const claimed = await tx.complaintDeadline.updateMany({
      where: { id: deadline.id, dueAt: deadline.dueAt, metAt: null, breachedAt: null, ...(step === 'warning' ? { warnedAt: null } : {}) },
      data: step === 'warning' ? { warnedAt: now } : { breachedAt: now },
    });
    if (claimed.count === 0) return null;
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: step === 'warning' ? 'deadline.warning' : 'deadline.breached',
      actor: { type: 'system', id: 'sla-clock' }, occurredAt: now,
      payload: {
        deadlineKind: deadline.kind, dueAt: deadline.dueAt.toISOString(), tier: complaint.tier, urgent: complaint.urgent,
        ...(step === 'warning' ? { warnAtPercent: policy.sla.warnAtPercent } : { lateByMs: now.getTime() - deadline.dueAt.getTime() }),
      },
    });
    const alerts = await tx.alert.findMany({ where: { complaintId: complaint.id }, select: { kind: true, recipientRole: true, status: true, createdAt: true } });
    const escalations = nextEscalations({
      tier: complaint.tier, urgent: complaint.urgent, deadlineKind: deadline.kind, step, alerts, policy, calendar, now,
    }).filter((e) => isDue(e, now));
    const raised: string[] = [];
    for (const escalation of escalations) {
      const { alertIds: ids } = await raiseEscalationAlert(tx, {
        complaintId: complaint.id, departmentId: complaint.departmentId, escalation, deadline: { kind: deadline.kind, dueAt: deadline.dueAt }, now,
      });
      raised.push(...ids);
    }
    return raised;
  });
  if (alertIds === null) return { outcome: 'skipped', reason: 'claimed by another run' };
  log.info({ deadlineId, deadlineKind: deadline.kind, complaintId: complaint.id, step, alerts: alertIds.length }, `deadline ${step}`);
  await notifyAlerts(alertIds, notify, log);
  return { outcome: 'done', alertIds };
}
