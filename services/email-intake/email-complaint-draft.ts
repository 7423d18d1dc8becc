// An e-mail turned into the intake draft (R-DETAILS as far as an e-mail gives them): the subject
// and body as the description, the sender's display name and address as the complainant, feedback by
// e-mail. The business line is read from the words used (staff correct it, as every field, in the
// console); the type is "other" until a person classifies it.
import type { WrittenComplaintDraftInput } from '../complaints/complaint-draft';
import { stripReplyPrefixes } from './classify-mail';
import type { InboundMail } from './inbound-mail';

/** complaintDraftFields.description's limit: the whole text is kept in email_message. */
export const DESCRIPTION_MAX_CHARS = 2000;

const SECURITIES_WORDS = /证券|股票|股份|基金|券商|开户|交易|委托|两融|融资融券|期权|债券|账户冻结|stock|securities|broker|trading|shares|fund/i;
const INSURANCE_WORDS = /保险|保单|理赔|投保|退保|保费|被保险人|insurance|policy|claim|premium/i;

export function guessBusinessLine(text: string): 'insurance' | 'securities' {
  return SECURITIES_WORDS.test(text) && !INSURANCE_WORDS.test(text) ? 'securities' : 'insurance';
}

export function complaintDraftFromMail(mail: InboundMail & { from: { name: string; address: string } }): {
  draft: WrittenComplaintDraftInput;
  descriptionTruncated: boolean;
} {
  const subject = stripReplyPrefixes(mail.subject);
  const full = [subject, mail.text].filter((part) => part !== '').join('\n\n') || '（邮件无正文，请见附件）/ (no text: see the attachments)';
  const chars = [...full];
  const descriptionTruncated = chars.length > DESCRIPTION_MAX_CHARS;
  const description = descriptionTruncated ? `${chars.slice(0, DESCRIPTION_MAX_CHARS - 1).join('')}…` : full;
  const name = [...(mail.from.name || mail.from.address.split('@')[0]!)].slice(0, 40).join('');
  return {
    draft: {
      businessLine: guessBusinessLine(full),
      type: 'other',
      description,
      name,
      phone: null,
      email: mail.from.address,
      feedbackMethod: 'email',
    },
    descriptionTruncated,
  };
}

/** Chinese if the text has Han characters, else English: the hint for the analyzer. */
export function languageHintOf(text: string): 'zh' | 'en' {
  return /\p{Script=Han}/u.test(text) ? 'zh' : 'en';
}
