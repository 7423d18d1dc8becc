// Personal data the local analyzer recognises without any service: mainland mobile numbers,
// 18-digit resident ID numbers (GB 11643 check digit + a plausible birth date), bank card numbers
// (Luhn) and e-mail addresses. Offsets and lengths are UTF-16 code units, like JavaScript strings.
import type { PiiCategory, PiiEntity } from './text-analysis';

interface Candidate {
  category: PiiCategory;
  sourceCategory: string;
  offset: number;
  length: number;
}

// Validated kinds first: a valid ID number or a Luhn-valid card wins over a phone-shaped digit run
// inside it, and an e-mail wins over the digits of its local part ("13800138000@qq.com").
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
// 18 characters, optionally written 6-8-4 with single spaces.
const RESIDENT_ID = /(?<![0-9A-Za-z])\d{6} ?\d{8} ?\d{3}[0-9Xx](?![0-9A-Za-z])/g;
// 16-19 digits in one run, or in groups of four separated by single spaces or dashes.
const BANK_CARD = /(?<![0-9])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)(?![0-9])/g;
// 1[3-9] + 9 digits, with an optional +86 / 0086 / 86 / (+86) prefix and 3-4-4 spaces or dashes.
const MOBILE = /(?<![0-9+])(?:(?:\+|00)?86[ -]?|\(\+?86\) ?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9])/g;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';
// First two digits: provinces and the special regions (GB/T 2260).
const ID_PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83', '91',
]);

/** GB 11643-1999: region, a real birth date (1900 to today), and the mod 11-2 check character. */
export function isValidResidentId(value: string, today: Date = new Date()): boolean {
  const id = value.replace(/ /g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  if (!ID_PROVINCES.has(id.slice(0, 2))) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (birth.getUTCFullYear() !== year || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day) return false;
  if (year < 1900 || birth.getTime() > today.getTime()) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11] === id[17];
}

/** Luhn (mod 10) over the digits, ignoring spaces and dashes. */
export function isLuhnValid(value: string): boolean {
  const digits = value.replace(/[ -]/g, '');
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function isPlausibleCard(value: string): boolean {
  const digits = value.replace(/[ -]/g, '');
  // All one digit ("0000 0000 0000 0000") passes Luhn but is no card.
  return digits.length >= 16 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && isLuhnValid(digits);
}

function collect(
  text: string,
  pattern: RegExp,
  category: PiiCategory,
  sourceCategory: string,
  accept: (match: string) => boolean,
): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(pattern)) {
    if (accept(m[0])) found.push({ category, sourceCategory, offset: m.index, length: m[0].length });
  }
  return found;
}

export function findLocalPii(text: string): PiiEntity[] {
  const candidates = [
    ...collect(text, EMAIL, 'Email', 'Email', () => true),
    ...collect(text, RESIDENT_ID, 'ChineseIdCard', 'ChineseIdCard', (m) => isValidResidentId(m)),
    ...collect(text, BANK_CARD, 'BankCard', 'BankCard', isPlausibleCard),
    ...collect(text, MOBILE, 'PhoneNumber', 'PhoneNumber', () => true),
  ];
  const accepted: Candidate[] = [];
  for (const c of candidates) {
    const overlaps = accepted.some((a) => c.offset < a.offset + a.length && a.offset < c.offset + c.length);
    if (!overlaps) accepted.push(c);
  }
  return accepted.sort((a, b) => a.offset - b.offset);
}

/** The text with every entity replaced by '*' of the same length (UTF-16 code units). */
export function redactText(text: string, entities: readonly Pick<PiiEntity, 'offset' | 'length'>[]): string {
  const chars = text.split('');
  for (const { offset, length } of entities) {
    const start = Math.max(0, offset);
    const end = Math.min(chars.length, offset + length);
    for (let i = start; i < end; i++) chars[i] = '*';
  }
  return chars.join('');
}
