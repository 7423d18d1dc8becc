// Personal data out of a chat message before it is stored in the transcript (PIPL: minimum kept). The
// complaint row keeps the real values (encrypted); the transcript only needs to read sensibly:
//   mobile numbers     13812345678 → 138****5678 (enough to tell two numbers apart in a conversation)
//   resident ID        18 characters with a valid GB 11643 check digit → [身份证号]
//   bank cards         16–19 digits passing Luhn → [银行卡号]
//   e-mail addresses   → [邮箱]
//   policy / contract / account numbers: after a word that names one (保单号、合同号、账号、资金账户、
//   policy no. …) any code with 5+ digits, elsewhere any code with 8+ digits → [账号]
// Our own complaint numbers (TS20261128-000123) are not personal data and stay, so "your complaint
// number is …" still reads. Amounts, dates and times have too few digits to be taken for accounts.
import { findLocalPii } from '../text-analysis/local-pii';

export const REDACTED = { id: '[身份证号]', card: '[银行卡号]', email: '[邮箱]', account: '[账号]' } as const;

const COMPLAINT_NUMBER = /^TS\d{8}-\d{6}$/;
const ACCOUNT_WORDS = '保单号?|保险单号?|合同号?|合同编号|账号|帐号|账户|帐户|资金账[号户]|证券账[号户]|股东账[号户]|客户号|客户编号|卡号|银行卡|policy(?:\\s*(?:no\\.?|number|#))?|contract(?:\\s*(?:no\\.?|number|#))?|account(?:\\s*(?:no\\.?|number|#))?';
// A code: letters, digits and dashes/slashes between them.
const CODE = '[A-Za-z0-9](?:[A-Za-z0-9/-]*[A-Za-z0-9])?';
const NAMED_CODE = new RegExp(`((?:${ACCOUNT_WORDS})\\s*(?:是|为|:|：|#)?\\s*)(${CODE})`, 'gi');
const LONG_CODE = new RegExp(`(?<![A-Za-z0-9/-])${CODE}(?![A-Za-z0-9/-])`, 'g');

const digitCount = (s: string) => s.replace(/\D/g, '').length;

function maskMobile(match: string): string {
  const digits = match.replace(/\D/g, '').replace(/^(?:0086|86)(?=1\d{10}$)/, '');
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function redactPersonalData(text: string): string {
  // 1. What the recogniser validates (e-mail, resident ID, Luhn card, mobile), right to left so offsets hold.
  let out = text;
  for (const e of findLocalPii(text).sort((a, b) => b.offset - a.offset)) {
    const found = out.slice(e.offset, e.offset + e.length);
    const mask = e.category === 'Email' ? REDACTED.email : e.category === 'ChineseIdCard' ? REDACTED.id : e.category === 'BankCard' ? REDACTED.card : maskMobile(found);
    out = out.slice(0, e.offset) + mask + out.slice(e.offset + e.length);
  }
  // 2. A code named as a policy / contract / account number.
  out = out.replace(NAMED_CODE, (all, lead: string, code: string) => (digitCount(code) >= 5 && !COMPLAINT_NUMBER.test(code) ? `${lead}${REDACTED.account}` : all));
  // 3. Any other long code (an ID number with a wrong check digit, a landline, an account without its word).
  return out.replace(LONG_CODE, (code) => (digitCount(code) >= 8 && !COMPLAINT_NUMBER.test(code) ? REDACTED.account : code));
}
