// Complaint numbers: TS + acceptance date (yyyymmdd, in the policy's time zone) + "-" + a 6-digit
// daily sequence, e.g. TS20261128-000042.
const NUMBER_PATTERN = /^TS(\d{8})-(\d{6})$/;

// Building an Intl.DateTimeFormat costs about as much as a whole ordinary turn: one per time zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function acceptanceDay(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}`;
}

/** A day's complaints: the number's six digits. */
export const MAX_DAILY_SEQUENCE = 999_999;

export function formatComplaintNumber(day: string, sequence: number): string {
  if (!/^\d{8}$/.test(day)) throw new RangeError(`bad acceptance day ${day}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_DAILY_SEQUENCE) throw new RangeError(`daily sequence out of range: ${sequence}`);
  return `TS${day}-${String(sequence).padStart(6, '0')}`;
}

/** Reads a number as a customer types it: any case, spaces, full-width characters, a missing dash. */
export function normalizeComplaintNumber(text: string): string | null {
  const halfWidth = text.normalize('NFKC').toUpperCase().replace(/[\s_—–－]/g, '');
  const match = /^TS(\d{8})-?(\d{6})$/.exec(halfWidth);
  if (!match) return null;
  const candidate = `TS${match[1]}-${match[2]}`;
  return NUMBER_PATTERN.test(candidate) ? candidate : null;
}
