// R-IMMEDIATE: a complaint is accepted at once. One transaction writes the complainant, the ledger
// row with its gap-free number and its tier (triage runs inside, on the text analysed beforehand),
// the deadlines, the conversation reference, the first events and the supervisor's alert.
import type { Database, Prisma } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { TextAnalysis } from '../text-analysis/text-analysis';
import type { TriageDecision } from '../triage/triage-types';
import { computeDeadlines, personContactBy } from '../deadlines/compute-deadlines';
import { storeDeadlines } from '../deadlines/store-deadlines';
import { upsertComplainant } from '../complainants/upsert-complainant';
import { raiseTriageAlert, triageAlertKind } from '../alerts/raise-triage-alert';
import { triageAtIntake } from '../triage/triage-at-intake';
import { inferProduct } from '../classification/infer-product';
import { assertDimensionCode } from '../classification/dimension-catalogue';
import { AppError } from '../errors';
import { acceptanceDay, formatComplaintNumber } from './complaint-number';
import { writtenComplaintDraftSchema, type ComplaintDraftInput, type WrittenComplaintDraft, type WrittenComplaintDraftInput } from './complaint-draft';
import { recordComplaintEvent, withEventsBatched, type Actor } from './record-event';
import { toStoredReference, type ConversationReferenceLike } from './conversation-reference';

export interface CreateComplaintOptions {
  db: Database;
  /** A chat draft, or a written one (e-mail, letter) that may have an e-mail address instead of a phone. */
  draft: ComplaintDraftInput | WrittenComplaintDraftInput;
  /** The description, analysed before the transaction (an Azure call must not hold a connection). */
  analysis: TextAnalysis;
  /**
   * Where it came from: the Bot Framework channel id and that channel's user id; `intakeChannel` when
   * staff enter it from the console (hotline, branch counter, letter), otherwise derived from the channel id.
   */
  source: { channelId: string; channelUserId: string | null; locale: string; intakeChannel?: 'online_chat' | 'wechat' | 'hotline' | 'counter' | 'letter' | 'email' };
  actor: Actor;
  conversationReference?: ConversationReferenceLike | null;
  /** The privacy notice the customer agreed to before giving personal data. */
  consent?: { noticeVersion: string } | null;
  /** Idempotency key of the intake: a retried confirmation returns the complaint already filed. */
  submissionId?: string | null;
  /**
   * Further writes of the channel that belong to the filing (e-mail intake: the message, its
   * attachments): run last inside the filing transaction, so they commit with the complaint or not at all.
   */
  alsoInTransaction?: (tx: Prisma.TransactionClient, complaint: { id: string; number: string; acceptedAt: Date }) => Promise<void>;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  piiHashKey: string;
  now: Date;
  /**
   * Report dimensions staff entered (console intake), codes of the policy's catalogue. Without a
   * product, the product the customer's text names is recorded (services/classification/infer-product.ts).
   */
  dimensions?: { product?: string | null; customerGroup?: string | null; region?: string | null };
  /**
   * R-SUPERVISION: a complaint about how another one was handled — linked to it and routed to the
   * given department (supervision) instead of the policy's routing (services/supervision).
   */
  handlingOf?: { complaintId: string; departmentCode: string } | null;
}

export interface CreatedComplaint {
  id: string;
  number: string;
  acceptedAt: Date;
  feedbackDueAt: Date;
  tier: 'L1' | 'L2' | 'L3' | null;
  urgent: boolean;
  /** When a person will contact the customer (level 1, level 2, urgent); null otherwise. */
  contactBy: Date | null;
  /** The text threatens self-harm or violence: the customer is pointed to emergency help too. */
  safetyConcern: boolean;
}

export function intakeChannelFor(channelId: string): 'wechat' | 'online_chat' | 'email' {
  if (channelId === 'email') return 'email';
  return channelId === 'wechat' ? 'wechat' : 'online_chat';
}

export async function createComplaint(options: CreateComplaintOptions): Promise<CreatedComplaint> {
  const { db, draft, submissionId } = options;
  if (submissionId) {
    const existing = await findFiledSubmission(db, submissionId);
    if (existing) return existing;
  }
  const parsed = writtenComplaintDraftSchema.safeParse(draft);
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', {
      message: `complaint draft invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    });
  }
  try {
    // The filing's events are written together at its end (one statement for five).
    return await db.$transaction((tx) => withEventsBatched(tx, () => insertComplaint(tx, options, parsed.data)), { maxWait: 10_000, timeout: 15_000 });
  } catch (err) {
    // Two instances confirming the same intake at once: the unique submission id lets one win.
    const raced = submissionId && isUniqueViolation(err) ? await findFiledSubmission(db, submissionId) : null;
    if (raced) return raced;
    throw err;
  }
}

async function insertComplaint(
  tx: Prisma.TransactionClient,
  { analysis, source, actor, conversationReference, consent, submissionId, policy, calendar, piiHashKey, now, alsoInTransaction, dimensions, handlingOf }: CreateComplaintOptions,
  d: WrittenComplaintDraft,
): Promise<CreatedComplaint> {
  for (const field of ['product', 'customerGroup', 'region'] as const) assertDimensionCode(policy, field, dimensions?.[field], d.businessLine);
  const inferred = dimensions?.product ? null : inferProduct(d.description, d.businessLine, policy.reportDimensions.products);
  const product = dimensions?.product ?? inferred?.product ?? null;
  const complainant = await upsertComplainant(tx, { name: d.name, phone: d.phone, email: d.email }, piiHashKey);
  const triaged = await triageAtIntake(tx, { draft: d, complainantId: complainant.id, analysis, policy, now });
  const { decision, repeatOf } = triaged;
  const { departmentId, departmentCode } = handlingOf
    ? { departmentCode: handlingOf.departmentCode, departmentId: (await tx.department.findUnique({ where: { code: handlingOf.departmentCode }, select: { id: true } }))?.id ?? null }
    : triaged;
  const day = acceptanceDay(now, policy.timeZone);
  const sequence = await nextDailySequence(tx, day);
  const number = formatComplaintNumber(day, sequence);
  const intakeChannel = source.intakeChannel ?? intakeChannelFor(source.channelId);
  const complaint = await tx.complaint.create({
    data: {
      number, acceptedDay: day, dailySeq: sequence, complainantId: complainant.id,
      businessLine: d.businessLine, type: d.type, description: d.description, occurredOn: d.occurredOn,
      referenceNumber: d.referenceNumber, claimedLossYuan: d.claimedLossYuan, feedbackMethod: d.feedbackMethod,
      intakeChannel, channelId: source.channelId, channelUserId: source.channelUserId, locale: source.locale,
      tier: decision.tier, urgent: decision.urgent, departmentId, handlingOfComplaintId: handlingOf?.complaintId ?? null,
      policyVersion: policy.version, acceptedAt: now, intakeSubmissionId: submissionId ?? null,
      product, customerGroup: dimensions?.customerGroup ?? null, region: dimensions?.region ?? null,
    },
    select: { id: true },
  });
  const complaintId = complaint.id;
  if (conversationReference) {
    const stored = toStoredReference(conversationReference);
    await tx.conversationReference.create({
      data: { complaintId, channelId: stored.channelId, conversationId: stored.conversationId, serviceUrl: stored.serviceUrl, reference: stored.reference as Prisma.InputJsonValue },
    });
  }
  await recordComplaintEvent(tx, {
    complaintId, type: 'complaint.received', actor, occurredAt: now,
    payload: {
      number, businessLine: d.businessLine, complaintType: d.type, intakeChannel, claimedLossYuan: d.claimedLossYuan,
      feedbackMethod: d.feedbackMethod, complainantCreated: complainant.created, policyVersion: policy.version,
      fieldsGiven: Object.entries(d).filter(([, v]) => v !== null && v !== '').map(([k]) => k),
      product, productFrom: product === null ? null : inferred?.product ? 'customer_text' : 'staff',
      ...(inferred?.product ? { productWords: inferred.words } : {}),
      ...(inferred?.ambiguous.length ? { productsNamed: inferred.ambiguous } : {}),
      customerGroup: dimensions?.customerGroup ?? null, region: dimensions?.region ?? null,
    },
  });
  if (consent) {
    await recordComplaintEvent(tx, { complaintId, type: 'privacy.consent_given', actor, occurredAt: now, payload: { noticeVersion: consent.noticeVersion } });
  }
  if (complainant.changedFields.length > 0) {
    await recordComplaintEvent(tx, { complaintId, type: 'complainant.updated', actor, occurredAt: now, payload: { fields: complainant.changedFields } });
  }
  await recordComplaintEvent(tx, {
    complaintId, type: 'triage.decided', actor: { type: 'system', id: 'triage' }, occurredAt: now,
    payload: triageEventPayload(decision, analysis, { departmentCode, repeatOf }),
  });
  const deadlines = computeDeadlines({ acceptedAt: now, tier: decision.tier, urgent: decision.urgent, policy, calendar });
  await storeDeadlines(tx, {
    complaintId, deadlines, actor: { type: 'system', id: 'sla-clock' }, now, fresh: true,
    basis: `${decision.tier}${decision.urgent ? ' urgent' : ''} at acceptance`,
  });
  const alertKind = triageAlertKind(decision);
  if (alertKind) await raiseTriageAlert(tx, { complaintId, departmentId, kind: alertKind, now });
  await alsoInTransaction?.(tx, { id: complaintId, number, acceptedAt: now });
  return {
    id: complaintId, number, acceptedAt: now, feedbackDueAt: deadlines.feedback!,
    tier: decision.tier, urgent: decision.urgent, contactBy: personContactBy(deadlines),
    safetyConcern: decision.reasons.some((r) => r.rule === 'urgent.self_harm_or_violence'),
  };
}

/** What the regulator may ask about a tier: the rules, words and scores, the analyzer, the policy version. */
function triageEventPayload(decision: TriageDecision, analysis: TextAnalysis, extra: { departmentCode: string; repeatOf: string | null }) {
  return {
    tier: decision.tier, urgent: decision.urgent, reasons: decision.reasons, policyVersion: decision.policyVersion,
    amountYuan: decision.amountYuan, department: extra.departmentCode, repeatOf: extra.repeatOf,
    analyzer: analysis.analyzer, fallbackReason: analysis.fallbackReason ?? null, language: analysis.language,
    sentiment: analysis.sentiment, piiCategoriesFound: [...new Set(analysis.pii.map((p) => p.category))],
  };
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

async function findFiledSubmission(db: Database, submissionId: string): Promise<CreatedComplaint | null> {
  // Almost always nothing: a cheap look first, the complaint with its deadlines only for a retry.
  if (!(await db.complaint.findUnique({ where: { intakeSubmissionId: submissionId }, select: { id: true } }))) return null;
  const found = await db.complaint.findUnique({
    where: { intakeSubmissionId: submissionId },
    select: {
      id: true, number: true, acceptedAt: true, tier: true, urgent: true,
      deadlines: { select: { kind: true, dueAt: true } },
      events: { where: { type: 'triage.decided' }, select: { payload: true }, take: 1 },
    },
  });
  if (!found) return null;
  const due = Object.fromEntries(found.deadlines.map((d) => [d.kind, d.dueAt]));
  if (!due.feedback) return null;
  return {
    id: found.id, number: found.number, acceptedAt: found.acceptedAt, feedbackDueAt: due.feedback,
    tier: found.tier, urgent: found.urgent, contactBy: personContactBy(due),
    safetyConcern: JSON.stringify(found.events[0]?.payload ?? {}).includes('urgent.self_harm_or_violence'),
  };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
