// The ladder timer fired: if no supervisor has acknowledged the complaint's intake alert, the
// leadership group is alerted. The dedupe key makes a retried or duplicated job raise it once; an
// acknowledgement, a finished complaint or a leadership alert already raised ends the climb.
import type { Database } from '../db/client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy } from '../policy/policy';
import type { Logger } from '../logger';
import { isDue, nextEscalations } from './escalation-ladder';
import { raiseEscalationAlert } from './raise-escalation-alert';
import { notifyAlerts, type NotifyAlert } from './notify-alerts';

export interface LadderEscalationOptions {
  db: Database;
  complaintId: string;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  notify: NotifyAlert;
  log: Logger;
  now: Date;
}

export type LadderEscalationOutcome =
  | { outcome: 'done'; alertIds: string[] }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'early'; fireAt: Date };

const FINISHED_STATUSES = ['resolved', 'closed'];

export async function onLadderEscalation({ db, complaintId, policy, calendar, notify, log, now }: LadderEscalationOptions): Promise<LadderEscalationOutcome> {
  const result = await db.$transaction(async (tx) => {
    const complaint = await tx.complaint.findUnique({
      where: { id: complaintId },
      select: { tier: true, urgent: true, status: true, departmentId: true, alerts: { select: { kind: true, recipientRole: true, status: true, createdAt: true } } },
    });
    if (!complaint) return { outcome: 'skipped', reason: 'complaint gone' } as const;
    if (FINISHED_STATUSES.includes(complaint.status)) return { outcome: 'skipped', reason: 'complaint finished' } as const;
    const escalations = nextEscalations({ tier: complaint.tier, urgent: complaint.urgent, step: 'ladder', alerts: complaint.alerts, policy, calendar, now });
    if (escalations.length === 0) return { outcome: 'skipped', reason: 'acknowledged or already climbed' } as const;
    const later = escalations.filter((e) => !isDue(e, now));
    if (later.length === escalations.length) {
      return { outcome: 'early', fireAt: new Date(Math.min(...later.map((e) => e.dueAt!.getTime()))) } as const;
    }
    const alertIds: string[] = [];
    for (const escalation of escalations.filter((e) => isDue(e, now))) {
      alertIds.push(...(await raiseEscalationAlert(tx, { complaintId, departmentId: complaint.departmentId, escalation, now })).alertIds);
    }
    return { outcome: 'done', alertIds } as const;
  });
  if (result.outcome === 'done') {
    if (result.alertIds.length > 0) log.info({ complaintId, alerts: result.alertIds.length }, 'escalated to the leadership group: supervisor did not acknowledge');
    await notifyAlerts(result.alertIds, notify, log);
    return { outcome: 'done', alertIds: [...result.alertIds] };
  }
  return result;
}
