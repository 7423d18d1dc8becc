// The intake's questions (R-DETAILS), one entry per field: how to ask, what counts as a valid
// answer, and how the answer goes into the draft. The same entries serve the first pass and the
// corrections made at the summary.
import type { PromptOptions } from 'botbuilder-dialogs';
import {
  TYPES_BY_LINE, FEEDBACK_METHODS, type BusinessLineName, type ComplaintTypeName, type FeedbackMethodName, type PartialComplaintDraft,
} from '../services/complaints/complaint-draft';
import { parseAmount } from '../services/intake/parse-amount';
import {
  isSkipAnswer, normalizeDescription, normalizeEmail, normalizeMainlandMobile, normalizePersonName, normalizeReferenceNumber,
} from '../services/intake/validate-fields';
import type { Messages } from './i18n/messages';
import { choicesOf, keyAt } from './prompt-support';

export type FieldKey =
  | 'businessLine' | 'type' | 'description' | 'occurredOn' | 'referenceNumber' | 'claimedLoss'
  | 'name' | 'phone' | 'email' | 'feedbackMethod' | 'emailRequired';

export interface IntakeField {
  key: FieldKey;
  promptId: string;
  kind: 'text' | 'choice';
  /** Text fields: is this answer acceptable? */
  accepts?: (text: string) => boolean;
  ask(m: Messages, draft: PartialComplaintDraft): PromptOptions;
  apply(result: unknown, draft: PartialComplaintDraft): void;
  /** Asked only when this holds. */
  when?(draft: PartialComplaintDraft): boolean;
  help(m: Messages): string;
}

const LINE_SYNONYMS: Record<BusinessLineName, string[]> = {
  insurance: ['保险', '保险业务', '寿险', '车险', '健康险', 'insurance'],
  securities: ['证券', '证券业务', '股票', '券商', '基金', 'securities', 'stocks', 'stock'],
};
const TYPE_SYNONYMS: Record<ComplaintTypeName, string[]> = {
  insurance_product_inquiry: ['产品咨询', '保险产品', '咨询', 'product', 'product inquiry'],
  claims_dispute: ['理赔', '赔付', '理赔纠纷', 'claim', 'claims'],
  securities_trading: ['交易', '委托', '成交', '交易问题', 'trading', 'trade'],
  investment_advice: ['投顾', '投资咨询', '投资建议', 'advice', 'investment'],
  other: ['其他', '其它', 'other'],
};
const METHOD_SYNONYMS: Record<FeedbackMethodName, string[]> = {
  phone: ['电话', '打电话', '来电', 'phone', 'call', 'telephone'],
  sms: ['短信', '短消息', 'sms', 'text', 'text message'],
  email: ['邮件', '邮箱', '电邮', 'email', 'e-mail', 'mail'],
  letter: ['信函', '信件', '书面', '寄信', 'letter', 'post'],
  chat: ['在线', '在线消息', '微信', '聊天', '这里', 'chat', 'online', 'here'],
};

const lineChoices = (m: Messages) =>
  choicesOf([
    { key: 'insurance' as const, label: m.lineInsurance, synonyms: LINE_SYNONYMS.insurance },
    { key: 'securities' as const, label: m.lineSecurities, synonyms: LINE_SYNONYMS.securities },
  ]);
const typeChoices = (m: Messages, line: BusinessLineName | undefined) =>
  choicesOf(TYPES_BY_LINE[line ?? 'insurance'].map((key) => ({ key, label: m[`type_${key}`], synonyms: TYPE_SYNONYMS[key] })));
const methodChoices = (m: Messages) =>
  choicesOf(FEEDBACK_METHODS.map((key) => ({ key, label: m[`method_${key}`], synonyms: METHOD_SYNONYMS[key] })));

function textField(
  key: FieldKey,
  prompt: keyof Messages,
  retry: keyof Messages,
  accepts: (text: string) => boolean,
  apply: (text: string, draft: PartialComplaintDraft) => void,
  when?: (draft: PartialComplaintDraft) => boolean,
): IntakeField {
  return {
    key, promptId: `${key.toUpperCase()}_PROMPT`, kind: 'text', accepts, when,
    ask: (m) => ({ prompt: m[prompt] as string, retryPrompt: m[retry] as string }),
    apply: (result, draft) => apply(String(result), draft),
    help: (m) => m[retry] as string,
  };
}

const optional = (normalize: (t: string) => string | null) => (text: string) => isSkipAnswer(text) || normalize(text) !== null;
const optionalValue = (normalize: (t: string) => string | null) => (text: string) => (isSkipAnswer(text) ? null : normalize(text));

export const INTAKE_FIELDS: Record<FieldKey, IntakeField> = {
  businessLine: {
    key: 'businessLine', promptId: 'BUSINESS_LINE_PROMPT', kind: 'choice',
    ask: (m) => ({ prompt: m.businessLinePrompt, retryPrompt: m.businessLineRetry, choices: lineChoices(m).choices }),
    apply: (result, draft) => {
      const line = keyAt(lineChoices({} as Messages).keys, result);
      if (line) draft.businessLine = line;
      if (draft.type && line && !TYPES_BY_LINE[line].includes(draft.type)) delete draft.type;
    },
    help: (m) => m.businessLineRetry,
  },
  type: {
    key: 'type', promptId: 'TYPE_PROMPT', kind: 'choice',
    ask: (m, draft) => ({ prompt: m.typePrompt, retryPrompt: m.typeRetry, choices: typeChoices(m, draft.businessLine).choices }),
    apply: (result, draft) => {
      const type = keyAt(typeChoices(LABEL_FREE, draft.businessLine).keys, result);
      if (type) draft.type = type;
    },
    help: (m) => m.typeRetry,
  },
  description: textField('description', 'descriptionPrompt', 'descriptionRetry', (t) => normalizeDescription(t) !== null, (t, d) => {
    d.description = normalizeDescription(t) ?? undefined;
  }),
  occurredOn: textField('occurredOn', 'occurredOnPrompt', 'occurredOnRetry', (t) => isSkipAnswer(t) || t.trim().length <= 100, (t, d) => {
    d.occurredOn = isSkipAnswer(t) ? null : t.trim();
  }),
  referenceNumber: textField('referenceNumber', 'referencePrompt', 'referenceRetry', optional(normalizeReferenceNumber), (t, d) => {
    d.referenceNumber = optionalValue(normalizeReferenceNumber)(t);
  }),
  claimedLoss: textField('claimedLoss', 'amountPrompt', 'amountRetry', (t) => parseAmount(t).kind !== 'invalid', (t, d) => {
    const parsed = parseAmount(t);
    d.claimedLossYuan = parsed.kind === 'amount' ? parsed.yuan : null;
  }),
  name: textField('name', 'namePrompt', 'nameRetry', (t) => normalizePersonName(t) !== null, (t, d) => {
    d.name = normalizePersonName(t) ?? undefined;
  }),
  phone: textField('phone', 'phonePrompt', 'phoneRetry', (t) => normalizeMainlandMobile(t) !== null, (t, d) => {
    d.phone = normalizeMainlandMobile(t) ?? undefined;
  }),
  email: textField('email', 'emailPrompt', 'emailRetry', optional(normalizeEmail), (t, d) => {
    d.email = optionalValue(normalizeEmail)(t);
  }),
  feedbackMethod: {
    key: 'feedbackMethod', promptId: 'FEEDBACK_METHOD_PROMPT', kind: 'choice',
    ask: (m) => ({ prompt: m.feedbackMethodPrompt, retryPrompt: m.feedbackMethodRetry, choices: methodChoices(m).choices }),
    apply: (result, draft) => {
      const method = keyAt(methodChoices(LABEL_FREE).keys, result);
      if (method) draft.feedbackMethod = method;
    },
    help: (m) => m.feedbackMethodRetry,
  },
  emailRequired: textField(
    'emailRequired', 'emailRequiredPrompt', 'emailRequiredRetry', (t) => normalizeEmail(t) !== null,
    (t, d) => { d.email = normalizeEmail(t); },
    (d) => d.feedbackMethod === 'email' && !d.email,
  ),
};

/** Keys are order-only: label-free messages suffice to map a chosen index back to its key. */
const LABEL_FREE = new Proxy({}, { get: () => '' }) as Messages;

export const INTAKE_SEQUENCE: FieldKey[] = [
  'businessLine', 'type', 'description', 'occurredOn', 'referenceNumber', 'claimedLoss', 'name', 'phone', 'email', 'feedbackMethod', 'emailRequired',
];

/** What is asked again when the customer corrects one item at the summary. */
export const EDITABLE_FIELDS: { key: FieldKey; label: (m: Messages) => string; sequence: FieldKey[] }[] = [
  { key: 'businessLine', label: (m) => m.field_businessLine, sequence: ['businessLine', 'type'] },
  { key: 'type', label: (m) => m.field_type, sequence: ['type'] },
  { key: 'description', label: (m) => m.field_description, sequence: ['description'] },
  { key: 'occurredOn', label: (m) => m.field_occurredOn, sequence: ['occurredOn'] },
  { key: 'referenceNumber', label: (m) => m.field_referenceNumber, sequence: ['referenceNumber'] },
  { key: 'claimedLoss', label: (m) => m.field_claimedLoss, sequence: ['claimedLoss'] },
  { key: 'name', label: (m) => m.field_name, sequence: ['name'] },
  { key: 'phone', label: (m) => m.field_phone, sequence: ['phone'] },
  { key: 'email', label: (m) => m.field_email, sequence: ['email', 'emailRequired'] },
  { key: 'feedbackMethod', label: (m) => m.field_feedbackMethod, sequence: ['feedbackMethod', 'emailRequired'] },
];

export function fieldByPromptId(promptId: string | undefined): IntakeField | undefined {
  return Object.values(INTAKE_FIELDS).find((f) => f.promptId === promptId);
}
