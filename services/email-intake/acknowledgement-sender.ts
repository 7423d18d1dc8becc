// Sends the acknowledgement of an e-mail complaint after the filing committed. Its email_message row
// (outbound, pending) was written in the filing transaction, so an acknowledgement is never
// forgotten: a sender claims the row with a conditional update (a lease in claimed_until), so two
// processes or a retry send it once; a failed attempt is retried by `sendDueAcknowledgements`
// (4xx, connection trouble) or marked failed (5xx: the address is refused). Once the relay accepted
// it, the complaint moves received → acknowledged, as after the chat's acknowledgement.
import nodemailer from 'nodemailer';
import type { Database } from '../db/client';
import { personContactBy } from '../deadlines/compute-deadlines';
import { acknowledgeComplaint } from '../complaints/acknowledge-complaint';
import { recordComplaintEvent } from '../complaints/record-event';
import { readComplainantMailbox } from '../complainants/read-complainant';
import { acknowledgementMail } from './acknowledgement-mail';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
}

/** The SMTP relay (nodemailer). Throws on failure with nodemailer's `responseCode` when the relay answered. */
export interface AcknowledgementMailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function createAcknowledgementMailer({ smtpUrl, from, timeoutMs = 10_000 }: { smtpUrl: string; from: string; timeoutMs?: number }): AcknowledgementMailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
    disableFileAccess: true, disableUrlAccess: true,
  });
  return {
    async send(mail) {
      const threadOf = mail.inReplyTo ? `<${mail.inReplyTo}>` : undefined;
      await transport.sendMail({
        from, to: mail.to, subject: mail.subject, text: mail.text,
        messageId: `<${mail.messageId}>`,
        ...(threadOf ? { inReplyTo: threadOf, references: [threadOf] } : {}),
        // RFC 3834: an automatic reply; out-of-office robots must not answer it (no mail loops).
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      });
    },
    close: () => transport.close(),
  };
}

export interface AcknowledgementDeps {
  db: Database;
  mailer: AcknowledgementMailer;
  timeZone: string;
  now: () => Date;
  /** How long a claim holds before another sender may try (default 2 minutes). */
  leaseMs?: number;
}

export type AcknowledgementResult = 'sent' | 'not_due' | 'retry_later' | 'failed';

/** Sends one pending acknowledgement (the outbound email_message row `id`) if no one else is at it. */
export async function sendAcknowledgement(deps: AcknowledgementDeps, id: string): Promise<AcknowledgementResult> {
  const { db, mailer, timeZone } = deps;
  const now = deps.now();
  const leaseMs = deps.leaseMs ?? 120_000;
  const claimed = await db.emailMessage.updateMany({
    where: { id, direction: 'outbound', sendStatus: 'pending', OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    data: { claimedUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
  });
  if (claimed.count === 0) return 'not_due';
  const row = await db.emailMessage.findUniqueOrThrow({
    where: { id },
    select: {
      messageId: true, inReplyTo: true, attempts: true,
      complaint: {
        select: { id: true, number: true, locale: true, urgent: true, deadlines: { select: { kind: true, dueAt: true } } },
      },
    },
  });
  const { complaint } = row;
  const mailbox = await readComplainantMailbox(db, complaint.id);
  const due = Object.fromEntries(complaint.deadlines.map((d) => [d.kind, d.dueAt]));
  const actor = { type: 'bot' as const, id: 'email-intake', channel: 'email' };
  if (!mailbox?.email || !due.feedback) {
    await markFailed(db, id, 'NoAddressOrDeadline', complaint.id, deps.now());
    return 'failed';
  }
  const refused = await db.complaintEvent.count({ where: { complaintId: complaint.id, type: 'email.attachment_refused' } });
  const mail = acknowledgementMail({
    number: complaint.number, feedbackDueAt: due.feedback, contactBy: personContactBy(due), urgent: complaint.urgent,
    locale: complaint.locale, timeZone, attachmentsRefused: refused,
  });
  try {
    await mailer.send({ to: mailbox.email, subject: mail.subject, text: mail.text, messageId: row.messageId, inReplyTo: row.inReplyTo });
  } catch (err) {
    const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
    const error = [typeof code === 'string' ? code : 'SendError', typeof responseCode === 'number' ? responseCode : null].filter((v) => v !== null).join(' ');
    if (typeof responseCode === 'number' && responseCode >= 500) {
      await markFailed(db, id, error, complaint.id, deps.now());
      return 'failed';
    }
    // Try again after a back-off that grows with the attempts (1, 2, 4 … minutes, at most an hour).
    const backoffMs = Math.min(60, 2 ** Math.min(row.attempts - 1, 6)) * 60_000;
    await db.emailMessage.update({ where: { id }, data: { lastError: error, claimedUntil: new Date(deps.now().getTime() + backoffMs) } });
    return 'retry_later';
  }
  const sentAt = deps.now();
  await db.$transaction(async (tx) => {
    await tx.emailMessage.update({ where: { id }, data: { sendStatus: 'sent', sentAt, claimedUntil: null, lastError: null } });
    await recordComplaintEvent(tx, { complaintId: complaint.id, type: 'email.acknowledgement_sent', actor, occurredAt: sentAt, payload: { emailMessageId: id, attempts: row.attempts } });
  });
  await acknowledgeComplaint({ db, complaintId: complaint.id, actor, now: sentAt });
  return 'sent';
}

/** Every acknowledgement whose turn has come (never claimed, or its lease/back-off is over), oldest first. */
export async function sendDueAcknowledgements(deps: AcknowledgementDeps, limit = 20): Promise<Record<AcknowledgementResult, number>> {
  const now = deps.now();
  const due = await deps.db.emailMessage.findMany({
    where: { direction: 'outbound', sendStatus: 'pending', OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true },
  });
  const counts: Record<AcknowledgementResult, number> = { sent: 0, not_due: 0, retry_later: 0, failed: 0 };
  for (const { id } of due) counts[await sendAcknowledgement(deps, id)]++;
  return counts;
}

async function markFailed(db: Database, id: string, error: string, complaintId: string, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.emailMessage.update({ where: { id }, data: { sendStatus: 'failed', lastError: error, claimedUntil: null } });
    await recordComplaintEvent(tx, {
      complaintId, type: 'email.acknowledgement_failed', actor: { type: 'bot', id: 'email-intake', channel: 'email' }, occurredAt: now,
      payload: { emailMessageId: id, error },
    });
  });
}
