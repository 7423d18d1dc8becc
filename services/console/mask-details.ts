// Masked forms of the personal data the complaint page shows before "reveal": names and phones as
// services/complainants/mask-personal-data.ts masks them everywhere, plus e-mail, reference
// numbers and long digit runs inside the customer's own description (an ID or account number
// typed into the text).
import { maskName, maskPhone } from '../complainants/mask-personal-data';

export { maskName, maskPhone };

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export function maskReferenceNumber(reference: string): string {
  const tail = reference.slice(-4);
  return reference.length > 4 ? `${'*'.repeat(Math.min(reference.length - 4, 8))}${tail}` : '****';
}

const EMAIL_IN_TEXT = /[^\s@，。；;,]+@[^\s@，。；;,]+\.[A-Za-z]{2,}/g;
// Six or more digits (allowing spaces or hyphens between), optionally ending in X (ID numbers).
const DIGIT_RUN = /\d(?:[\s-]?\d){5,}[Xx]?/g;

export function maskFreeText(text: string): string {
  return text
    .replace(EMAIL_IN_TEXT, (m) => maskEmail(m))
    .replace(DIGIT_RUN, (m) => {
      const digits = m.replace(/[\s-]/g, '');
      return `${digits.slice(0, 2)}${'*'.repeat(Math.max(digits.length - 4, 2))}${digits.slice(-2)}`;
    });
}
