// Hotline, branch-counter and letter intake (R-CHANNELS; issue 5 item 5): an agent enters the
// complaint of a caller, a walk-in customer or a letter in the console. The same validators as the
// chat intake (services/intake), the same createComplaint (triage, deadlines, alerts in one
// transaction), the staff member as the actor, the channel recorded. The caller/customer is told
// the number at once by the agent, so hotline and counter complaints are acknowledged on filing;
// a letter is acknowledged when the acknowledgement letter goes out (R-ACK-MAIL), not here.
import { z } from 'zod';
import type { Database } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { TextAnalyzer } from '../text-analysis/text-analysis';
import { AppError } from '../errors';
import { BUSINESS_LINES, COMPLAINT_TYPES, FEEDBACK_METHODS, TYPES_BY_LINE } from '../complaints/complaint-draft';
import { createComplaint, type CreatedComplaint } from '../complaints/create-complaint';
import { acknowledgeComplaint } from '../complaints/acknowledge-complaint';
import { normalizeDescription, normalizeEmail, normalizeMainlandMobile, normalizePersonName, normalizeReferenceNumber } from '../intake/validate-fields';
import { parseAmount } from '../intake/parse-amount';

export const STAFF_INTAKE_CHANNELS = ['hotline', 'counter', 'letter'] as const;
export type StaffIntakeChannel = (typeof STAFF_INTAKE_CHANNELS)[number];

const optionalText = z.string().max(4000).nullish().transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v));

export const staffIntakeSchema = z.object({
  /** `branch` is accepted as another name for the branch counter. */
  channel: z.enum([...STAFF_INTAKE_CHANNELS, 'branch']).transform((c): StaffIntakeChannel => (c === 'branch' ? 'counter' : c)),
  businessLine: z.enum(BUSINESS_LINES),
  type: z.enum(COMPLAINT_TYPES),
  description: z.string().max(4000),
  occurredOn: optionalText,
  referenceNumber: optionalText,
  /** As the customer said it (8万, 80000, 五十万) or a number; empty = none given. */
  claimedLoss: z.union([z.number(), z.string().max(100)]).nullish(),
  name: z.string().max(200),
  phone: z.string().max(40),
  email: optionalText,
  feedbackMethod: z.enum(FEEDBACK_METHODS),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** The agent read the privacy notice to the customer (or the letter carries consent). */
  privacyNoticeGiven: z.literal(true, { error: 'the customer must be given the privacy notice first' }),
  /** One id per form: a double-submitted form files once. */
  submissionId: z.uuid(),
  /** Report dimensions (codes of the policy's catalogue), when the agent knows them. */
  product: z.string().max(40).nullish(),
  customerGroup: z.string().max(40).nullish(),
  region: z.string().max(40).nullish(),
});

export type StaffIntakeInput = z.input<typeof staffIntakeSchema>;

/** Field → problem code (the console shows the matching zh-CN/English message). */
export type FieldProblems = Record<string, string>;

export function validateStaffIntake(body: unknown) {
  const parsed = staffIntakeSchema.safeParse(body);
  if (!parsed.success) {
    const fields: FieldProblems = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? 'body')] ??= 'invalid';
    throw new AppError('INVALID_INPUT', { message: `complaint form invalid: ${Object.keys(fields).join(', ')}`, details: { fields } });
  }
  const b = parsed.data;
  const fields: FieldProblems = {};
  const name = normalizePersonName(b.name);
  if (!name) fields.name = 'invalid_name';
  const phone = normalizeMainlandMobile(b.phone);
  if (!phone) fields.phone = 'invalid_phone';
  const email = b.email === null ? null : normalizeEmail(b.email);
  if (b.email !== null && !email) fields.email = 'invalid_email';
  if (b.feedbackMethod === 'email' && !email) fields.email ??= 'email_needed_for_feedback';
  const description = normalizeDescription(b.description);
  if (!description) fields.description = 'invalid_description';
  const referenceNumber = b.referenceNumber === null ? null : normalizeReferenceNumber(b.referenceNumber);
  if (b.referenceNumber !== null && !referenceNumber) fields.referenceNumber = 'invalid_reference_number';
  if (!TYPES_BY_LINE[b.businessLine].includes(b.type)) fields.type = 'type_not_in_business_line';
  let claimedLossYuan: number | null = null;
  if (typeof b.claimedLoss === 'number') {
    if (Number.isFinite(b.claimedLoss) && b.claimedLoss >= 0 && b.claimedLoss <= 1e12) claimedLossYuan = Math.round(b.claimedLoss * 100) / 100;
    else fields.claimedLoss = 'invalid_amount';
  } else if (typeof b.claimedLoss === 'string' && b.claimedLoss.trim() !== '') {
    const amount = parseAmount(b.claimedLoss);
    if (amount.kind === 'amount') claimedLossYuan = amount.yuan;
    else if (amount.kind === 'invalid') fields.claimedLoss = 'invalid_amount';
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError('INVALID_INPUT', { message: `complaint form invalid: ${Object.keys(fields).join(', ')}`, details: { fields } });
  }
  return {
    channel: b.channel, locale: b.locale, submissionId: b.submissionId,
    dimensions: { product: b.product || null, customerGroup: b.customerGroup || null, region: b.region || null },
    draft: {
      businessLine: b.businessLine, type: b.type, description: description!, occurredOn: b.occurredOn?.trim().slice(0, 100) ?? null,
      referenceNumber, claimedLossYuan, name: name!, phone: phone!, email, feedbackMethod: b.feedbackMethod,
    },
  };
}

export interface FileStaffIntakeDeps {
  db: Database;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  analyzer: TextAnalyzer;
  piiHashKey: string;
  /** The privacy notice version the agent read out (the chat intake's current version). */
  privacyNoticeVersion: string;
  /** After filing (committed): schedule the timers, deliver the alerts — as the chat path does. */
  afterFiled?: (complaintId: string) => void;
}

export async function fileStaffIntake(deps: FileStaffIntakeDeps, { body, staffId, now }: { body: unknown; staffId: string; now: Date }): Promise<CreatedComplaint & { channel: StaffIntakeChannel; acknowledged: boolean }> {
  const input = validateStaffIntake(body);
  const actor = { type: 'staff' as const, id: staffId, channel: 'console' };
  const analysis = await deps.analyzer.analyze(input.draft.description, { languageHint: input.locale === 'en' ? 'en' : 'zh' });
  const filed = await createComplaint({
    db: deps.db, draft: input.draft, analysis, policy: deps.policy, calendar: deps.calendar, piiHashKey: deps.piiHashKey, now,
    source: { channelId: 'console', channelUserId: null, locale: input.locale, intakeChannel: input.channel },
    actor, consent: { noticeVersion: deps.privacyNoticeVersion }, submissionId: input.submissionId, dimensions: input.dimensions,
  });
  // The agent tells the caller or visitor the number and the feedback date now.
  const acknowledged = input.channel !== 'letter' ? await acknowledgeComplaint({ db: deps.db, complaintId: filed.id, actor, now }) : false;
  deps.afterFiled?.(filed.id);
  return { ...filed, channel: input.channel, acknowledged };
}
