// Tells the recipient of an alert, by every path they enabled (chat, e-mail, webhook), each path once.
// A failing path is recorded and does not stop the others; only when every path tried has failed does
// this throw (AlertDeliveryFailedError), so that a queue job retries the failed paths later.
import { type Database } from '../../db/client';
import { pooledSql } from '../../db/sql';
import { AppError } from '../../errors';
import { alertAckUrl, type AckLinkSettings } from './ack-link';
import { dueDeadlineFor, type DueKind } from './alert-due';
import type { AlertMessage } from './alert-message';
import { claimDelivery, DEFAULT_DELIVERY_LEASE_MS, recordDeliveryFailed, recordDeliverySent } from './delivery-record';
import { CONTACT_KINDS, toAlertPathError, type AlertTransports, type ContactKindName, type DeliveryContact } from './transport';

export type PathOutcome = 'sent' | 'failed' | 'already_sent' | 'in_progress' | 'unavailable';

export interface PathResult {
  kind: ContactKindName;
  outcome: PathOutcome;
  attempts?: number;
  errorClass?: string;
  retryable?: boolean;
}

export interface DeliverAlertSummary {
  alertId: string;
  complaintNumber: string;
  /** Set when nothing was tried: the alert is no longer open, or has no active staff recipient. */
  skipped?: 'not_open' | 'no_recipient';
  paths: PathResult[];
  /** Some path has delivered the alert (now or before). */
  delivered: boolean;
}

export class AlertDeliveryFailedError extends Error {
  /** False when every failure was permanent (a 4xx, a bad address): retrying will not help. */
  readonly retryable: boolean;
  constructor(readonly summary: DeliverAlertSummary) {
    const failed = summary.paths.filter((p) => p.outcome === 'failed');
    super(`alert ${summary.alertId}: every delivery path failed (${failed.map((p) => `${p.kind}: ${p.errorClass}`).join(', ')})`);
    this.name = 'AlertDeliveryFailedError';
    this.retryable = failed.some((p) => p.retryable);
  }
}

export interface DeliverAlertOptions {
  db: Database;
  alertId: string;
  transports: AlertTransports;
  ackLinks: AckLinkSettings;
  now: Date;
  /** How long a claimed path stays reserved for this sender; default 2 minutes. */
  leaseMs?: number;
}

export async function deliverAlert({ db, alertId, transports, ackLinks, now, leaseMs = DEFAULT_DELIVERY_LEASE_MS }: DeliverAlertOptions): Promise<DeliverAlertSummary> {
  // One plain-SQL read on the client's pool (services/db/sql.ts): through Prisma this read was five
  // statements, on the bot's hot path after every level-1/2 or urgent filing.
  const { rows: [alert] } = await pooledSql(db).query<{
    kind: string; status: string; complaint_id: string; number: string; tier: 'L1' | 'L2' | 'L3' | null;
    deadlines: { kind: DueKind; due_at: string }[]; staff_active: boolean | null; contacts: DeliveryContact[];
  }>(
    `SELECT a.kind, a.status::text AS status, a.complaint_id::text AS complaint_id, k.number, k.tier::text AS tier,
            (SELECT coalesce(json_agg(json_build_object('kind', d.kind, 'due_at', d.due_at)), '[]')
               FROM complaint_deadline d WHERE d.complaint_id = k.id AND d.met_at IS NULL) AS deadlines,
            s.active AS staff_active,
            (SELECT coalesce(json_agg(json_build_object('kind', c.kind, 'address', c.address, 'secret', c.secret, 'reference', c.reference)), '[]')
               FROM staff_contact c WHERE c.staff_id = s.id AND c.enabled) AS contacts
       FROM alert a JOIN complaint k ON k.id = a.complaint_id LEFT JOIN staff s ON s.id = a.recipient_staff_id
      WHERE a.id = $1::uuid`,
    [alertId],
  );
  if (!alert) throw new AppError('NOT_FOUND', { message: `alert ${alertId} not found` });
  const base = { alertId, complaintNumber: alert.number, paths: [], delivered: false };
  if (alert.status !== 'open') return { ...base, skipped: 'not_open' };
  if (!alert.staff_active) return { ...base, skipped: 'no_recipient' };

  const message: AlertMessage = {
    alertId, complaintNumber: alert.number, tier: alert.tier, kind: alert.kind,
    due: dueDeadlineFor(alert.kind, alert.deadlines.map((d) => ({ kind: d.kind, dueAt: new Date(d.due_at) }))),
    ackUrl: alertAckUrl({ alertId, settings: ackLinks, now }),
  };
  const contacts = [...alert.contacts].sort((a, b) => CONTACT_KINDS.indexOf(a.kind) - CONTACT_KINDS.indexOf(b.kind));

  const deliverOne = async (contact: DeliveryContact): Promise<PathResult> => {
    const transport = transports[contact.kind];
    if (!transport) return { kind: contact.kind, outcome: 'unavailable' };
    const claim = await claimDelivery(db, { alertId, kind: contact.kind, now, leaseMs });
    if (!claim.claimed) return { kind: contact.kind, outcome: claim.status === 'sent' ? 'already_sent' : 'in_progress' };
    const outcome = { alertId, complaintId: alert.complaint_id, kind: contact.kind, now };
    try {
      const { attempts } = await transport.send(contact, message);
      await recordDeliverySent(db, { ...outcome, attempts: claim.attemptsBefore + attempts });
      return { kind: contact.kind, outcome: 'sent', attempts: claim.attemptsBefore + attempts };
    } catch (err) {
      const error = toAlertPathError(err);
      const attempts = claim.attemptsBefore + error.attempts;
      await recordDeliveryFailed(db, { ...outcome, attempts, error });
      return { kind: contact.kind, outcome: 'failed', attempts, errorClass: error.errorClass, retryable: error.retryable };
    }
  };

  // Paths run side by side: a webhook backing off must not hold up the chat message.
  const settled = await Promise.allSettled(contacts.map(deliverOne));
  const databaseError = settled.find((s) => s.status === 'rejected');
  if (databaseError) throw databaseError.reason;
  const paths = settled.map((s) => (s as PromiseFulfilledResult<PathResult>).value);
  const summary: DeliverAlertSummary = { ...base, paths, delivered: paths.some((p) => p.outcome === 'sent' || p.outcome === 'already_sent') };
  const tried = paths.filter((p) => p.outcome !== 'unavailable');
  if (tried.length > 0 && tried.every((p) => p.outcome === 'failed')) throw new AlertDeliveryFailedError(summary);
  return summary;
}
