// R-IMMEDIATE: a complaint is accepted at once. One transaction writes the complainant, the ledger
// row with its gap-free number and its tier (triage runs inside, on the text analysed beforehand),
// the deadlines, the conversation reference, the first events and the supervisor's alert — in three
// plain-SQL statements on the database client's pool (services/db/sql.ts), personal data sealed here
// as the client would (services/pii): the filing is the heaviest step of the chat's hot path.
import { randomUUID } from 'node:crypto';
import { type Database, type Prisma } from '../db/client';
import { isUniqueViolation, pooledSql, rawQueryable, sqlBatchTransaction, type SqlQueryable, type SqlStatement } from '../db/sql';
import type { ComplaintPolicy } from '../policy/policy';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { TextAnalysis } from '../text-analysis/text-analysis';
import type { TriageDecision } from '../triage/triage-types';
import { triage } from '../triage/triage';
import { pickRepeat, repeatWindow } from '../triage/find-repeat-complaint';
import { routeToDepartment } from '../policy/route-department';
import { computeDeadlines, DEADLINE_KINDS, personContactBy, type Deadlines } from '../deadlines/compute-deadlines';
import { deadlinesSetEvent } from '../deadlines/store-deadlines';
import { complainantChanges, complainantLookup, openComplainant, writeComplainantSql } from '../complainants/upsert-complainant';
import { triageAlert, triageAlertKind } from '../alerts/raise-triage-alert';
import { inferProduct } from '../classification/infer-product';
import { assertDimensionCode } from '../classification/dimension-catalogue';
import { clientKeyring } from '../pii/encrypting-client';
import { decryptColumn, encryptColumn } from '../pii/encrypted-columns';
import type { PiiKeyring } from '../pii/pii-keys';
import { AppError } from '../errors';
import { acceptanceDay, MAX_DAILY_SEQUENCE } from './complaint-number';
import { writtenComplaintDraftSchema, type ComplaintDraftInput, type WrittenComplaintDraft, type WrittenComplaintDraftInput } from './complaint-draft';
import { insertEvents, insertEventsStatement, type Actor, type ComplaintEventInput } from './record-event';
import { toStoredReference, type ConversationReferenceLike } from './conversation-reference';
import { linkConversationStatement } from '../transcripts/transcript-store';

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
  /**
   * A chat filing: the conversation's transcript so far (the intake) is linked to the complaint in
   * the filing's own transaction (services/takeover/link-filings.ts links its requests for a person).
   */
  linkConversationTranscript?: boolean;
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
  const { db, draft, submissionId, alsoInTransaction } = options;
  const parsed = writtenComplaintDraftSchema.safeParse(draft);
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', {
      message: `complaint draft invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    });
  }
  const keyring = clientKeyring(db);
  try {
    // Plain SQL: one read, then the writes (the complainant, number, complaint, deadlines, alerts, the
    // events, the transcript's link) and BEGIN and COMMIT in one round trip. A filing's writes through
    // Prisma were ~25 statements at four to five times the CPU each: two thirds of the bot's time under
    // load (docs/benchmarks.md). A channel with writes of its own that belong to the filing gets them
    // in the same transaction, through Prisma.
    if (alsoInTransaction) {
      return await db.$transaction(async (tx) => {
        const created = await fileComplaint(rawQueryable(tx), null, keyring, options, parsed.data);
        if (created.retried) return created.complaint;
        await alsoInTransaction(tx, created.complaint);
        return created.complaint;
      }, { maxWait: 10_000, timeout: 15_000 });
    }
    // The read needs no transaction (each statement reads committed rows either way); the writes are one.
    return (await fileComplaint(pooledSql(db), (statements) => sqlBatchTransaction(db, statements), keyring, options, parsed.data)).complaint;
  } catch (err) {
    // Two instances confirming the same intake at once: the unique submission id lets one win.
    const raced = submissionId && isUniqueViolation(err) ? await findFiledSubmission(pooledSql(db), submissionId) : null;
    if (raced) return raced;
    throw err;
  }
}

/**
 * `sql` reads (and, without `commit`, writes: inside a caller's transaction); `commit` sends the
 * writes as one transaction in one round trip.
 */
async function fileComplaint(
  sql: SqlQueryable,
  commit: ((statements: SqlStatement[]) => Promise<{ rows: Record<string, unknown>[] }[]>) | null,
  keyring: PiiKeyring,
  { analysis, source, actor, conversationReference, consent, submissionId, policy, calendar, piiHashKey, now, dimensions, handlingOf, linkConversationTranscript }: CreateComplaintOptions,
  d: WrittenComplaintDraft,
): Promise<{ complaint: CreatedComplaint; retried: boolean }> {
  for (const field of ['product', 'customerGroup', 'region'] as const) assertDimensionCode(policy, field, dimensions?.[field], d.businessLine);
  const inferred = dimensions?.product ? null : inferProduct(d.description, d.businessLine, policy.reportDimensions.products);
  const product = dimensions?.product ?? inferred?.product ?? null;
  const lookup = complainantLookup({ name: d.name, phone: d.phone, email: d.email }, piiHashKey);
  const departmentCode = handlingOf?.departmentCode ?? routeToDepartment(policy, d);
  const window = repeatWindow(policy, now);

  // 1. What the filing depends on, in one statement: a retry of this intake, the complainant, the
  //    department and its supervisors, and the complainant's complaints of the repeat window.
  const { rows: [found] } = await sql.query<{
    filed: string | null; complainant: { id: string; name: string; email: string | null } | null; department_id: string | null;
    supervisors: string[]; earlier: { number: string; reference_number: string | null }[];
  }>(
    `WITH who AS (SELECT id, name, email FROM complainant WHERE ${lookup.column} = $1)
     SELECT (SELECT id::text FROM complaint WHERE intake_submission_id = $2::uuid) AS filed,
            (SELECT json_build_object('id', id, 'name', name, 'email', email) FROM who) AS complainant,
            (SELECT id::text FROM department WHERE code = $3) AS department_id,
            (SELECT coalesce(json_agg(s.id ORDER BY s.employee_no), '[]') FROM staff s JOIN department dep ON dep.id = s.department_id
              WHERE dep.code = $3 AND s.role = 'supervisor' AND s.active) AS supervisors,
            (SELECT coalesce(json_agg(json_build_object('number', k.number, 'reference_number', k.reference_number) ORDER BY k.accepted_at DESC), '[]')
               FROM complaint k WHERE k.complainant_id = (SELECT id FROM who) AND k.business_line = $4::business_line
                AND k.type = $5::complaint_type AND k.accepted_at >= $6::timestamptz AND k.accepted_at <= $7::timestamptz) AS earlier`,
    [lookup.hash, submissionId ?? null, departmentCode, d.businessLine, d.type, window.since.toISOString(), window.until.toISOString()],
  );
  if (!found) throw new Error('the filing read returned no row');
  if (found.filed && submissionId) {
    // A retried confirmation: the complaint it filed.
    const earlier = await findFiledSubmission(sql, submissionId);
    if (earlier) return { complaint: earlier, retried: true };
  }
  const existing = found.complainant ? openComplainant(keyring, found.complainant) : null;
  const repeatOf = pickRepeat(
    found.earlier.map((c) => ({ number: c.number, referenceNumber: decryptColumn(keyring, 'Complaint', 'referenceNumber', c.reference_number) })),
    d.referenceNumber,
  );
  const decision = triage(
    { text: d.description, claimedLossYuan: d.claimedLossYuan, businessLine: d.businessLine, isRepeat: repeatOf !== null },
    analysis,
    policy,
  );
  const departmentId = found.department_id;
  const changedFields = existing ? complainantChanges(existing, { name: d.name, email: d.email }) : [];
  const deadlines = computeDeadlines({ acceptedAt: now, tier: decision.tier, urgent: decision.urgent, policy, calendar });
  const alertKind = triageAlertKind(decision);
  const day = acceptanceDay(now, policy.timeZone);
  const complaintId = randomUUID();
  const intakeChannel = source.intakeChannel ?? intakeChannelFor(source.channelId);
  const alert = alertKind ? triageAlert({ complaintId, departmentId, kind: alertKind, supervisors: found.supervisors, now }) : null;
  const complainant = writeComplainantSql(keyring, { name: d.name, phone: d.phone, email: d.email }, lookup, existing, changedFields);
  const reference = conversationReference ? toStoredReference(conversationReference) : null;
  const deadlineRows = DEADLINE_KINDS.flatMap((kind) => (deadlines[kind] ? [{ id: randomUUID(), kind, due_at: deadlines[kind]!.toISOString() }] : []));

  // 2. The complainant, the next number of the day (row-locked: concurrent intakes queue on it, and a
  //    rolled-back intake takes its increment with it, so numbers are unique and gap-free), the
  //    complaint, its conversation reference, deadlines and supervisor alerts: one statement. The
  //    number's six digits hold a day's complaints: one more gets no number, and the column's NOT NULL
  //    refuses the filing rather than repeat a number.
  const v: unknown[] = [...complainant.values];
  const p = (value: unknown) => `$${v.push(value)}`;
  const write = {
    text: `WITH who AS (${complainant.statement}),
     seq AS (
       INSERT INTO complaint_sequence (day, last_value) VALUES (${p(day)}::text, 1)
       ON CONFLICT (day) DO UPDATE SET last_value = complaint_sequence.last_value + 1 RETURNING last_value
     ), filed AS (
       INSERT INTO complaint (id, number, accepted_day, daily_seq, complainant_id, business_line, type, description, occurred_on,
         reference_number, claimed_loss_yuan, feedback_method, intake_channel, channel_id, channel_user_id, locale, tier, urgent,
         department_id, handling_of_complaint_id, policy_version, accepted_at, updated_at, intake_submission_id, product, customer_group, region)
       SELECT ${p(complaintId)}::uuid, 'TS' || ${p(day)}::text || '-' || CASE WHEN seq.last_value <= ${MAX_DAILY_SEQUENCE} THEN lpad(seq.last_value::text, 6, '0') END,
         ${p(day)}::text, seq.last_value, who.id,
         ${p(d.businessLine)}::business_line, ${p(d.type)}::complaint_type, ${p(encryptColumn(keyring, 'Complaint', 'description', d.description))}::text, ${p(d.occurredOn)}::text,
         ${p(encryptColumn(keyring, 'Complaint', 'referenceNumber', d.referenceNumber))}::text, ${p(d.claimedLossYuan === null ? null : String(d.claimedLossYuan))}::numeric,
         ${p(d.feedbackMethod)}::feedback_method, ${p(intakeChannel)}::intake_channel, ${p(source.channelId)}::text, ${p(source.channelUserId)}::text, ${p(source.locale)}::text,
         ${p(decision.tier)}::tier, ${p(String(decision.urgent))}::boolean, ${p(departmentId)}::uuid, ${p(handlingOf?.complaintId ?? null)}::uuid,
         ${p(policy.version)}::text, ${p(now.toISOString())}::timestamptz, now(), ${p(submissionId ?? null)}::uuid,
         ${p(product)}::text, ${p(dimensions?.customerGroup ?? null)}::text, ${p(dimensions?.region ?? null)}::text
       FROM seq, who
       RETURNING id, number, daily_seq
     ), ref AS (
       INSERT INTO conversation_reference (complaint_id, channel_id, conversation_id, service_url, reference, updated_at)
       SELECT filed.id, r.channel_id, r.conversation_id, r.service_url, r.reference, now()
         FROM filed, jsonb_to_recordset(${p(JSON.stringify(reference ? [{ channel_id: reference.channelId, conversation_id: reference.conversationId, service_url: reference.serviceUrl, reference: reference.reference }] : []))}::jsonb)
              AS r(channel_id text, conversation_id text, service_url text, reference jsonb)
     ), due AS (
       INSERT INTO complaint_deadline (id, complaint_id, kind, due_at, updated_at)
       SELECT r.id, filed.id, r.kind::deadline_kind, r.due_at, now()
         FROM filed, jsonb_to_recordset(${p(JSON.stringify(deadlineRows))}::jsonb) AS r(id uuid, kind text, due_at timestamptz)
     ), alerted AS (
       INSERT INTO alert (id, complaint_id, kind, department_id, recipient_role, recipient_staff_id, dedupe_key, created_at)
       SELECT r.id, filed.id, r.kind, r.department_id, 'supervisor', r.recipient_staff_id, r.dedupe_key, r.created_at
         FROM filed, jsonb_to_recordset(${p(JSON.stringify(alert?.rows ?? []))}::jsonb)
              AS r(id uuid, kind text, department_id uuid, recipient_staff_id uuid, dedupe_key text, created_at timestamptz)
     )
     SELECT number, daily_seq AS seq FROM filed`,
    values: v,
  };

  // 3. The filing's events, in the order they happened (the audit chain's trigger links them row by row).
  const eventsOf = (number: string | null): ComplaintEventInput[] => [
    {
      complaintId, type: 'complaint.received', actor, occurredAt: now,
      payload: {
        number, businessLine: d.businessLine, complaintType: d.type, intakeChannel, claimedLossYuan: d.claimedLossYuan,
        feedbackMethod: d.feedbackMethod, complainantCreated: complainant.created, policyVersion: policy.version,
        fieldsGiven: Object.entries(d).filter(([, value]) => value !== null && value !== '').map(([k]) => k),
        product, productFrom: product === null ? null : inferred?.product ? 'customer_text' : 'staff',
        ...(inferred?.product ? { productWords: inferred.words } : {}),
        ...(inferred?.ambiguous.length ? { productsNamed: inferred.ambiguous } : {}),
        customerGroup: dimensions?.customerGroup ?? null, region: dimensions?.region ?? null,
      },
    },
    ...(consent ? [{ complaintId, type: 'privacy.consent_given', actor, occurredAt: now, payload: { noticeVersion: consent.noticeVersion } }] : []),
    ...(changedFields.length > 0 ? [{ complaintId, type: 'complainant.updated', actor, occurredAt: now, payload: { fields: changedFields } }] : []),
    {
      complaintId, type: 'triage.decided', actor: { type: 'system', id: 'triage' }, occurredAt: now,
      payload: triageEventPayload(decision, analysis, { departmentCode, repeatOf }),
    },
    deadlinesSetEvent({
      complaintId, deadlines, actor: { type: 'system', id: 'sla-clock' }, now,
      basis: `${decision.tier}${decision.urgent ? ' urgent' : ''} at acceptance`,
    }),
    ...(alert ? [alert.event] : []),
  ];
  const link = linkConversationTranscript && reference
    ? linkConversationStatement({ channelId: reference.channelId, conversationId: reference.conversationId, complaintId })
    : null;
  let number: string;
  if (commit) {
    // The writes, the events (the number filled in by PostgreSQL) and the COMMIT in one round trip:
    // the day's number row stays locked for PostgreSQL's own time only, so concurrent filings queue
    // on it for a millisecond or two instead of for round trips through a busy bot.
    const [result] = await commit([write, insertEventsStatement(eventsOf(null), { fillComplaintNumber: true }), ...(link ? [link] : [])]);
    const written = result?.rows[0] as { number: string } | undefined;
    if (!written) throw new Error('the complaint insert returned no row');
    number = written.number;
  } else {
    // Inside a caller's transaction (a channel's own writes belong to the filing): one statement each.
    const { rows: [written] } = await sql.query<{ number: string; seq: number }>(write.text, write.values);
    if (!written) throw new Error('the complaint insert returned no row');
    number = written.number;
    await insertEvents(sql, eventsOf(number));
    if (link) await sql.query(link.text, link.values);
  }
  return {
    retried: false,
    complaint: {
      id: complaintId, number, acceptedAt: now, feedbackDueAt: deadlines.feedback!,
      tier: decision.tier, urgent: decision.urgent, contactBy: personContactBy(deadlines),
      safetyConcern: decision.reasons.some((r) => r.rule === 'urgent.self_harm_or_violence'),
    },
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

async function findFiledSubmission(sql: SqlQueryable, submissionId: string): Promise<CreatedComplaint | null> {
  const { rows: [found] } = await sql.query<{
    id: string; number: string; accepted_at: string; tier: 'L1' | 'L2' | 'L3' | null; urgent: boolean; deadlines: { kind: string; due_at: string }[]; triage: unknown;
  }>(
    `SELECT k.id::text AS id, k.number, to_json(k.accepted_at)#>>'{}' AS accepted_at, k.tier::text AS tier, k.urgent,
            (SELECT coalesce(json_agg(json_build_object('kind', dl.kind, 'due_at', dl.due_at)), '[]') FROM complaint_deadline dl WHERE dl.complaint_id = k.id) AS deadlines,
            (SELECT e.payload FROM complaint_event e WHERE e.complaint_id = k.id AND e.type = 'triage.decided' ORDER BY e.id LIMIT 1) AS triage
       FROM complaint k WHERE k.intake_submission_id = $1::uuid`,
    [submissionId],
  );
  if (!found) return null;
  const due: Deadlines = Object.fromEntries(found.deadlines.map((dl) => [dl.kind, new Date(dl.due_at)]));
  if (!due.feedback) return null;
  return {
    id: found.id, number: found.number, acceptedAt: new Date(found.accepted_at), feedbackDueAt: due.feedback,
    tier: found.tier, urgent: found.urgent, contactBy: personContactBy(due),
    safetyConcern: JSON.stringify(found.triage ?? {}).includes('urgent.self_harm_or_violence'),
  };
}
