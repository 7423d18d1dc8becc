// One inbound e-mail → a new complaint, a reply to an existing one, a duplicate, or noise. Whatever
// is stored for a message (the complaint, its email_message rows, its attachments and events) is
// written in ONE transaction: if PostgreSQL fails, nothing of it remains and the caller answers the
// sending server with a temporary failure, so the message comes again later and nothing is lost.
// The Message-ID is unique in email_message (and, as the intake submission id, on the complaint):
// a message delivered twice is filed once.
import { createHash, randomUUID } from 'node:crypto';
import type { Database, Prisma } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { TextAnalyzer } from '../text-analysis/text-analysis';
import { createComplaint } from '../complaints/create-complaint';
import { complaintDraftFields } from '../complaints/complaint-draft';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import { emailLookupHash } from '../complainants/upsert-complainant';
import { AppError } from '../errors';
import { checkFile, removeStoredBytes, storeFile, type FileStoreSettings } from '../files/file-store';
import { noiseReason, type NoiseReason } from './classify-mail';
import { complaintDraftFromMail, languageHintOf } from './email-complaint-draft';
import { findThreadComplaint } from './find-thread';
import { acknowledgementMessageId } from './acknowledgement-mail';
import { parseInboundMail, type InboundAttachment, type InboundMail } from './inbound-mail';

export interface EmailIntakeDeps {
  db: Database;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  analyzer: TextAnalyzer;
  piiHashKey: string;
  files: FileStoreSettings;
  /** The domain of our Message-IDs (that of the acknowledgement's From address). */
  messageIdDomain: string;
  clock: () => Date;
}

export type IntakeOutcome =
  | { kind: 'filed'; complaintId: string; number: string; acknowledgementId: string }
  | { kind: 'reply'; complaintId: string; number: string; matchedBy: 'thread_header' | 'subject_number' }
  | { kind: 'duplicate'; complaintId: string; number: string }
  | { kind: 'ignored'; reason: NoiseReason }
  /** Permanently refused (SMTP 5xx): the sender cannot be answered. */
  | { kind: 'refused'; reason: 'sender_unusable' };

/** A short, non-reversible reference to a message for logs (Message-IDs can name hosts or people). */
export function messageRef(messageId: string): string {
  return createHash('sha256').update(messageId).digest('hex').slice(0, 12);
}

const CUSTOMER: Actor = { type: 'customer', id: null, channel: 'email' };

export async function receiveEmail(deps: EmailIntakeDeps, raw: Buffer, envelope: { mailFrom: string | null }): Promise<IntakeOutcome & { messageRef: string; attachments: number }> {
  const mail = await parseInboundMail(raw);
  const done = <T extends IntakeOutcome>(outcome: T) => ({ ...outcome, messageRef: messageRef(mail.messageId), attachments: mail.attachments.length });
  const noise = noiseReason(mail, envelope.mailFrom);
  if (noise) return done({ kind: 'ignored', reason: noise });
  const already = await findStoredMessage(deps.db, mail.messageId);
  if (already) return done({ kind: 'duplicate', ...already });
  const from = mail.from;
  if (!from || !complaintDraftFields.shape.email.safeParse(from.address).success) return done({ kind: 'refused', reason: 'sender_unusable' });
  const sender = { ...mail, from };

  const thread = await findThreadComplaint(deps.db, { threadIds: mail.threadIds, subject: mail.subject, senderEmailHash: emailLookupHash(from.address, deps.piiHashKey) });
  try {
    if (thread) return done(await recordReply(deps, sender, thread));
    return done(await fileComplaint(deps, sender));
  } catch (err) {
    // The same message being filed by another connection at this moment: the first one wins.
    const raced = isUniqueViolation(err) ? await findStoredMessage(deps.db, mail.messageId) : null;
    if (raced) return done({ kind: 'duplicate', ...raced });
    throw err;
  }
}

async function fileComplaint(deps: EmailIntakeDeps, mail: InboundMail & { from: { name: string; address: string } }): Promise<IntakeOutcome> {
  const { db, clock } = deps;
  const now = clock();
  const { draft, descriptionTruncated } = complaintDraftFromMail(mail);
  const analysis = await deps.analyzer.analyze(draft.description, { languageHint: languageHintOf(draft.description) });
  const locale = analysis.language === 'en' ? 'en-US' : 'zh-CN';
  const inboundId = randomUUID();
  const acknowledgementId = randomUUID();
  const written: string[] = [];
  try {
    const filed = await createComplaint({
      db, draft, analysis, now, policy: deps.policy, calendar: deps.calendar, piiHashKey: deps.piiHashKey,
      source: { channelId: 'email', channelUserId: null, locale },
      actor: CUSTOMER,
      submissionId: submissionIdOf(mail.messageId),
      alsoInTransaction: async (tx, complaint) => {
        const kept = await keepAttachments(tx, deps, complaint.id, mail.attachments, now, written);
        await tx.emailMessage.create({
          data: {
            id: inboundId, complaintId: complaint.id, direction: 'inbound', kind: 'complaint', messageId: mail.messageId,
            inReplyTo: mail.threadIds[0] ?? null, subject: mail.subject, bodyText: mail.text, attachmentCount: mail.attachments.length, createdAt: now,
          },
        });
        await tx.emailMessage.create({
          data: {
            id: acknowledgementId, complaintId: complaint.id, direction: 'outbound', kind: 'acknowledgement', sendStatus: 'pending',
            messageId: acknowledgementMessageId(complaint.number, deps.messageIdDomain), inReplyTo: mail.messageId, createdAt: now,
          },
        });
        await recordComplaintEvent(tx, {
          complaintId: complaint.id, type: 'email.received', actor: CUSTOMER, occurredAt: now,
          payload: { emailMessageId: inboundId, kind: 'complaint', ...kept, descriptionTruncated, language: analysis.language, businessLineGuessed: draft.businessLine },
        });
      },
    });
    const ours = await db.emailMessage.findUnique({ where: { id: inboundId }, select: { id: true } });
    if (!ours) return { kind: 'duplicate', complaintId: filed.id, number: filed.number };
    return { kind: 'filed', complaintId: filed.id, number: filed.number, acknowledgementId };
  } catch (err) {
    await Promise.all(written.map((key) => removeStoredBytes(deps.files, key)));
    throw err;
  }
}

/**
 * A reply in the thread: kept with its attachments as an event of the complaint. It does not restart
 * the clock by itself (docs/decisions.md): restarting moves every deadline later, against the
 * customer, and only a person can tell new facts from a "thank you"; the handler restarts it.
 */
async function recordReply(
  deps: EmailIntakeDeps,
  mail: InboundMail,
  thread: { complaintId: string; number: string; matchedBy: 'thread_header' | 'subject_number' },
): Promise<IntakeOutcome> {
  const now = deps.clock();
  const id = randomUUID();
  const written: string[] = [];
  try {
    await deps.db.$transaction(async (tx) => {
      const kept = await keepAttachments(tx, deps, thread.complaintId, mail.attachments, now, written);
      await tx.emailMessage.create({
        data: {
          id, complaintId: thread.complaintId, direction: 'inbound', kind: 'reply', messageId: mail.messageId,
          inReplyTo: mail.threadIds[0] ?? null, subject: mail.subject, bodyText: mail.text, attachmentCount: mail.attachments.length, createdAt: now,
        },
      });
      await recordComplaintEvent(tx, {
        complaintId: thread.complaintId, type: 'email.reply_received', actor: CUSTOMER, occurredAt: now,
        payload: { emailMessageId: id, matchedBy: thread.matchedBy, characters: [...mail.text].length, ...kept, clockRestarted: false, newFactsToReview: true },
      });
    }, { maxWait: 10_000, timeout: 30_000 });
  } catch (err) {
    await Promise.all(written.map((key) => removeStoredBytes(deps.files, key)));
    throw err;
  }
  return { kind: 'reply', ...thread };
}

/** Stores what the limits allow; each refused attachment is an event (type, size, reason; never its name). */
async function keepAttachments(
  tx: Prisma.TransactionClient, deps: EmailIntakeDeps, complaintId: string, attachments: InboundAttachment[], now: Date, written: string[],
): Promise<{ attachmentsStored: number; attachmentsRefused: number }> {
  let stored = 0;
  let refused = 0;
  for (const attachment of attachments) {
    try {
      checkFile({ contentType: attachment.contentType, size: attachment.data.length }, deps.files);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refused++;
      await recordComplaintEvent(tx, {
        complaintId, type: 'email.attachment_refused', actor: CUSTOMER, occurredAt: now,
        payload: { reason: err.details?.reason ?? err.code, contentType: attachment.contentType.split(';')[0]!.trim().toLowerCase(), sizeBytes: attachment.data.length },
      });
      continue;
    }
    const file = await storeFile({
      db: tx, complaintId, fileName: attachment.fileName, contentType: attachment.contentType, data: attachment.data,
      source: 'email', actor: CUSTOMER, settings: deps.files, now,
    });
    written.push(file.storageKey);
    stored++;
  }
  return { attachmentsStored: stored, attachmentsRefused: refused };
}

async function findStoredMessage(db: Database, messageId: string): Promise<{ complaintId: string; number: string } | null> {
  const found = await db.emailMessage.findUnique({ where: { messageId }, select: { complaint: { select: { id: true, number: true } } } });
  return found ? { complaintId: found.complaint.id, number: found.complaint.number } : null;
}

/** A UUID made from the Message-ID: the complaint's intake submission id, so a redelivery finds it. */
export function submissionIdOf(messageId: string): string {
  const h = createHash('sha256').update(`email:${messageId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
