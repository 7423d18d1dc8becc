// Validators for the intake fields (requirements.md R-DETAILS). Each takes what the customer typed
// and returns the value to store, normalised, or null so the dialog can ask again.
// Everything goes through NFKC first: Chinese IMEs often produce full-width digits, letters and ＠.
import { z } from 'zod';

const fold = (text: string) => text.normalize('NFKC').trim();

/** Mainland mobile number as 11 digits (1[3-9]xxxxxxxxx), with any +86 / 86 / 0086 prefix removed. */
export function normalizeMainlandMobile(text: string): string | null {
  let digits = fold(text).replace(/[\s\-().]/g, '');
  // Country code only when the rest is exactly 11 digits, so a bare 11-digit number is never cut.
  const withCountryCode = /^(?:\+86|0086|86)(\d{11})$/.exec(digits);
  if (withCountryCode) digits = withCountryCode[1]!;
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

const emailSchema = z.email();

/** E-mail with the domain lower-cased (the local part is case-sensitive in theory, so it is kept). */
export function normalizeEmail(text: string): string | null {
  const s = fold(text);
  const at = s.lastIndexOf('@');
  if (at <= 0 || s.length > 254) return null;
  const local = s.slice(0, at);
  if (local.length > 64) return null;
  const email = `${local}@${s.slice(at + 1).toLowerCase()}`;
  return emailSchema.safeParse(email).success ? email : null;
}

/** Policy / contract / account number: A-Z, 0-9 and inner hyphens, 6-32 chars, at least 4 digits. */
export function normalizeReferenceNumber(text: string): string | null {
  const s = fold(text).replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?$/.test(s) || s.includes('--')) return null;
  if (s.length < 6 || s.length > 32) return null;
  return (s.match(/\d/g)?.length ?? 0) >= 4 ? s : null;
}

// Separators seen in names: the middle dot of transliterated names (阿卜杜·热合曼) arrives as
// ·, •, ・, ‧ or ･ depending on the keyboard; stored as U+00B7.
const NAME_DOTS = /[•・‧･∙]/g;
const NAME_CHARS = /^[\p{L}\p{M}][\p{L}\p{M} '’\-.·]*$/u;
const LOOKS_LIKE_URL = /:\/\/|www\.|\.(?:com|cn|net|org|io|top|xyz|info|gov|edu)(?![\p{L}])/iu;

/** A person's name: letters (any script), spaces, apostrophes, hyphens, dots; 1-40 characters. */
export function normalizePersonName(text: string): string | null {
  const s = fold(text).replace(NAME_DOTS, '·').replace(/\s+/g, ' ');
  const length = [...s].length;
  if (length < 1 || length > 40) return null;
  if (/\p{N}/u.test(s) || LOOKS_LIKE_URL.test(s) || !NAME_CHARS.test(s)) return null;
  return s;
}

/** What happened, in the customer's words: 5-2000 characters (a CJK character counts as one). */
export function normalizeDescription(text: string): string | null {
  const s = text.trim();
  // Code points, not UTF-16 units, so an emoji or a rare CJK character counts once.
  const length = [...s].length;
  if (length < 5 || length > 2000) return null;
  return /[\p{L}\p{N}]/u.test(s) ? s : null; // "....." says nothing
}

const SKIP_ANSWERS = new Set(['跳过', '无', '没有', '不填', '不用', '略过', 'skip', 'none', 'no', 'n/a', 'na', '-']);

/** True when the customer declines an optional question. */
export function isSkipAnswer(text: string): boolean {
  const s = fold(text).toLowerCase().replace(/[。.!！]+$/, '').trim();
  return SKIP_ANSWERS.has(s);
}
