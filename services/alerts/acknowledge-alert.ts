// A person has seen an alert: open → acknowledged, once. The conditional update makes a repeated
// click, a second reply or two requests at once acknowledge it one time, with one event — who, how,
// when. By complaint number (a chat reply "ack TS…"), every open alert of that staff member on that
// complaint is acknowledged.
import { isUuid } from '../ids';
import type { Database } from '../db/client';
import { normalizeComplaintNumber } from '../complaints/complaint-number';
import { markStepMet } from '../deadlines/mark-step-met';
import { recordComplaintEvent } from '../complaints/record-event';
import { AppError } from '../errors';

export type AcknowledgeVia = 'chat' | 'api' | 'email_link';

export type AcknowledgeAlertOptions = { db: Database; via: AcknowledgeVia; now: Date } & (
  | { alertId: string; /** Who acknowledges; defaults to the alert's recipient (e-mail links). */ staffId?: string | null }
  | { complaintNumber: string; staffId: string }
);

export interface AcknowledgeAlertResult {
  /** Alerts this call acknowledged. */
  acknowledged: string[];
  /** Alerts found already acknowledged (or resolved) before this call. */
  alreadyAcknowledged: string[];
}

export async function acknowledgeAlert(options: AcknowledgeAlertOptions): Promise<AcknowledgeAlertResult> {
  const { db, via, now } = options;
  const alerts = 'alertId' in options ? await byId(db, options.alertId) : await byNumber(db, options.complaintNumber, options.staffId);
  if (alerts.length === 0) throw new AppError('NOT_FOUND', { message: 'no such alert', userMessage: '没有找到这条预警。/ No such alert.' });
  const explicitStaff = 'alertId' in options ? options.staffId ?? null : options.staffId;

  const acknowledged: string[] = [];
  for (const alert of alerts.filter((a) => a.status === 'open')) {
    const done = await db.$transaction(async (tx) => {
      const { count } = await tx.alert.updateMany({ where: { id: alert.id, status: 'open' }, data: { status: 'acknowledged', acknowledgedAt: now } });
      if (count === 0) return false; // someone else was quicker
      const staffId = explicitStaff ?? alert.recipientStaffId;
      await recordComplaintEvent(tx, {
        complaintId: alert.complaintId, type: 'alert.acknowledged', occurredAt: now,
        actor: { type: 'staff', id: staffId, channel: via },
        payload: { alertId: alert.id, kind: alert.kind, via, staffId, acknowledgedAt: now.toISOString() },
      });
      // The supervisor has the complaint: the "to the supervisor" step is done.
      if (alert.kind.startsWith('triage.') && alert.recipientRole === 'supervisor') {
        await markStepMet(tx, { complaintId: alert.complaintId, kind: 'to_supervisor', by: 'supervisor acknowledged the intake alert', now });
      }
      return true;
    });
    if (done) acknowledged.push(alert.id);
  }
  return { acknowledged, alreadyAcknowledged: alerts.map((a) => a.id).filter((id) => !acknowledged.includes(id)) };
}

const ALERT_FIELDS = { id: true, complaintId: true, kind: true, status: true, recipientStaffId: true, recipientRole: true } as const;

async function byId(db: Database, alertId: string) {
  if (!isUuid(alertId)) return [];
  const alert = await db.alert.findUnique({ where: { id: alertId }, select: ALERT_FIELDS });
  return alert ? [alert] : [];
}

async function byNumber(db: Database, complaintNumber: string, staffId: string) {
  const number = normalizeComplaintNumber(complaintNumber);
  if (!number || !isUuid(staffId)) return [];
  return db.alert.findMany({ where: { complaint: { number }, recipientStaffId: staffId }, select: ALERT_FIELDS, orderBy: { createdAt: 'asc' } });
}
