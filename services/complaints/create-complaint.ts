// R-IMMEDIATE: a complaint is accepted at once. One transaction writes the complainant, the ledger
// row with its gap-free number, the first events, the deadlines and the conversation reference.
import type { Database, Prisma } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { computeFeedbackDeadline, computeStatutoryDecisionDeadline } from '../deadlines/compute-feedback-deadline';
import { upsertComplainant } from '../complainants/upsert-complainant';
import { AppError } from '../errors';
import { acceptanceDay, formatComplaintNumber } from './complaint-number';
import { complaintDraftSchema, type ComplaintDraftInput } from './complaint-draft';
import { recordComplaintEvent, type Actor } from './record-event';
import { toStoredReference, type ConversationReferenceLike } from './conversation-reference';

export interface CreateComplaintOptions {
  db: Database;
  draft: ComplaintDraftInput;
  /** Where it came from: the Bot Framework channel id and that channel's user id. */
  source: { channelId: string; channelUserId: string | null; locale: string };
  actor: Actor;
  conversationReference?: ConversationReferenceLike | null;
  /** The privacy notice the customer agreed to before giving personal data. */
  consent?: { noticeVersion: string } | null;
  /** Idempotency key of the intake: a retried confirmation returns the complaint already filed. */
  submissionId?: string | null;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  piiHashKey: string;
  now: Date;
}

export interface CreatedComplaint {
  id: string;
  number: string;
  acceptedAt: Date;
  feedbackDueAt: Date;
}

export function intakeChannelFor(channelId: string): 'wechat' | 'online_chat' {
  return channelId === 'wechat' ? 'wechat' : 'online_chat';
}

export async function createComplaint({
  db, draft, source, actor, conversationReference, consent, submissionId, policy, calendar, piiHashKey, now,
}: CreateComplaintOptions): Promise<CreatedComplaint> {
  if (submissionId) {
    const existing = await findFiledSubmission(db, submissionId);
    if (existing) return existing;
  }
  const parsed = complaintDraftSchema.safeParse(draft);
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', {
      message: `complaint draft invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    });
  }
  const d = parsed.data;
  const day = acceptanceDay(now, policy.timeZone);
  const feedbackDueAt = computeFeedbackDeadline({ acceptedAt: now, tier: null, policy, calendar });
  const statutoryDueAt = computeStatutoryDecisionDeadline({ acceptedAt: now, policy, calendar });

  try {
    return await insertComplaint();
  } catch (err) {
    // Two instances confirming the same intake at once: the unique submission id lets one win.
    const raced = submissionId && isUniqueViolation(err) ? await findFiledSubmission(db, submissionId) : null;
    if (raced) return raced;
    throw err;
  }

  function insertComplaint(): Promise<CreatedComplaint> {
  return db.$transaction(
    async (tx) => {
      const complainant = await upsertComplainant(tx, { name: d.name, phone: d.phone, email: d.email }, piiHashKey);
      const sequence = await nextDailySequence(tx, day);
      const number = formatComplaintNumber(day, sequence);
      const complaint = await tx.complaint.create({
        data: {
          number,
          acceptedDay: day,
          dailySeq: sequence,
          complainantId: complainant.id,
          businessLine: d.businessLine,
          type: d.type,
          description: d.description,
          occurredOn: d.occurredOn,
          referenceNumber: d.referenceNumber,
          claimedLossYuan: d.claimedLossYuan,
          feedbackMethod: d.feedbackMethod,
          intakeChannel: intakeChannelFor(source.channelId),
          channelId: source.channelId,
          channelUserId: source.channelUserId,
          locale: source.locale,
          policyVersion: policy.version,
          acceptedAt: now,
          intakeSubmissionId: submissionId ?? null,
        },
        select: { id: true },
      });
      await tx.complaintDeadline.createMany({
        data: [
          { complaintId: complaint.id, kind: 'feedback', dueAt: feedbackDueAt },
          { complaintId: complaint.id, kind: 'statutory_decision', dueAt: statutoryDueAt },
        ],
      });
      if (conversationReference) {
        const stored = toStoredReference(conversationReference);
        await tx.conversationReference.create({
          data: { complaintId: complaint.id, channelId: stored.channelId, conversationId: stored.conversationId, serviceUrl: stored.serviceUrl, reference: stored.reference as Prisma.InputJsonValue },
        });
      }
      await recordComplaintEvent(tx, {
        complaintId: complaint.id,
        type: 'complaint.received',
        actor,
        occurredAt: now,
        payload: {
          number,
          businessLine: d.businessLine,
          complaintType: d.type,
          intakeChannel: intakeChannelFor(source.channelId),
          claimedLossYuan: d.claimedLossYuan,
          feedbackMethod: d.feedbackMethod,
          fieldsGiven: Object.entries(d).filter(([, v]) => v !== null && v !== '').map(([k]) => k),
          complainantCreated: complainant.created,
          policyVersion: policy.version,
        },
      });
      if (consent) {
        await recordComplaintEvent(tx, {
          complaintId: complaint.id, type: 'privacy.consent_given', actor, occurredAt: now,
          payload: { noticeVersion: consent.noticeVersion },
        });
      }
      if (complainant.changedFields.length > 0) {
        await recordComplaintEvent(tx, {
          complaintId: complaint.id, type: 'complainant.updated', actor, occurredAt: now,
          payload: { fields: complainant.changedFields },
        });
      }
      await recordComplaintEvent(tx, {
        complaintId: complaint.id, type: 'deadlines.set', actor: { type: 'system', id: 'sla-clock' }, occurredAt: now,
        payload: { feedback: feedbackDueAt.toISOString(), statutory_decision: statutoryDueAt.toISOString(), basis: 'untriaged: L3 window' },
      });
      return { id: complaint.id, number, acceptedAt: now, feedbackDueAt };
    },
    { maxWait: 10_000, timeout: 15_000 },
  );
  }
}

async function findFiledSubmission(db: Database, submissionId: string): Promise<CreatedComplaint | null> {
  const found = await db.complaint.findUnique({
    where: { intakeSubmissionId: submissionId },
    select: { id: true, number: true, acceptedAt: true, deadlines: { where: { kind: 'feedback' }, select: { dueAt: true } } },
  });
  const dueAt = found?.deadlines[0]?.dueAt;
  return found && dueAt ? { id: found.id, number: found.number, acceptedAt: found.acceptedAt, feedbackDueAt: dueAt } : null;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}

/**
 * Row-locked counter in the same transaction as the insert: concurrent intakes queue on the row,
 * and a rolled-back intake takes its increment with it, so numbers are unique and gap-free.
 */
async function nextDailySequence(tx: Prisma.TransactionClient, day: string): Promise<number> {
  const rows = await tx.$queryRaw<{ last_value: number }[]>`
    INSERT INTO complaint_sequence (day, last_value) VALUES (${day}, 1)
    ON CONFLICT (day) DO UPDATE SET last_value = complaint_sequence.last_value + 1
    RETURNING last_value`;
  const value = rows[0]?.last_value;
  if (value === undefined) throw new Error('complaint_sequence upsert returned no row');
  return value;
}
