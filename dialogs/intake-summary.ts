// The summary the customer confirms before the complaint is filed.
import type { PartialComplaintDraft } from '../services/complaints/complaint-draft';
import type { Locale } from './i18n/locale';
import { formatYuan, messagesFor } from './i18n/messages';

export function renderSummary(draft: PartialComplaintDraft, locale: Locale): string {
  const m = messagesFor(locale);
  const sep = locale === 'zh-CN' ? '：' : ': ';
  const or = (v: string | null | undefined) => (v ? v : m.notGiven);
  const rows: [string, string][] = [
    [m.field_businessLine, draft.businessLine === 'securities' ? m.lineSecurities : m.lineInsurance],
    [m.field_type, draft.type ? m[`type_${draft.type}`] : m.notGiven],
    [m.field_description, or(draft.description)],
    [m.field_occurredOn, or(draft.occurredOn)],
    [m.field_referenceNumber, or(draft.referenceNumber)],
    [m.field_claimedLoss, draft.claimedLossYuan ? formatYuan(draft.claimedLossYuan, locale) : m.noLoss],
    [m.field_name, or(draft.name)],
    [m.field_phone, or(draft.phone)],
    [m.field_email, or(draft.email)],
    [m.field_feedbackMethod, draft.feedbackMethod ? m[`method_${draft.feedbackMethod}`] : m.notGiven],
  ];
  return rows.map(([label, value], i) => `${i + 1}. ${label}${sep}${value}`).join('\n');
}
