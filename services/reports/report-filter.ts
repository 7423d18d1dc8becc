// What a report covers: a period of Asia/Shanghai calendar days (both ends inclusive) and optional
// filters (R-SPECIAL: business line, type, channel, tier, product, customer group, region,
// department, handler). Parsed with zod from the CLI, the HTTP API and stored report runs alike.
import { z } from 'zod';

const isoDay = z.iso.date();

export const REPORT_BUSINESS_LINES = ['insurance', 'securities'] as const;
export const REPORT_TYPES = ['insurance_product_inquiry', 'claims_dispute', 'securities_trading', 'investment_advice', 'other'] as const;
export const REPORT_CHANNELS = ['online_chat', 'wechat', 'hotline', 'counter', 'letter', 'email'] as const;
export const REPORT_TIERS = ['L1', 'L2', 'L3'] as const;

const text = z.string().trim().min(1).max(200);

export const reportFilterSchema = z
  .strictObject({
    from: isoDay,
    to: isoDay,
    line: z.enum(REPORT_BUSINESS_LINES).optional(),
    type: z.enum(REPORT_TYPES).optional(),
    channel: z.enum(REPORT_CHANNELS).optional(),
    tier: z.enum(REPORT_TIERS).optional(),
    product: text.optional(),
    customerGroup: text.optional(),
    region: text.optional(),
    /** Department code (department.code). */
    department: text.optional(),
    /** Handler: the owning staff member's employee number. */
    handler: text.optional(),
  })
  .refine((f) => f.from <= f.to, { message: 'from must not be after to', path: ['to'] })
  .refine((f) => daysBetween(f.from, f.to) < 366 * 3, { message: 'a report covers at most three years', path: ['to'] });

export type ReportFilter = z.infer<typeof reportFilterSchema>;

/** The filter fields other than the period (what the trend figures keep while moving the period). */
export type ReportSubjectFilter = Omit<ReportFilter, 'from' | 'to'>;

export interface ReportPeriod {
  from: string;
  to: string;
}

/** YYYY-MM-DD → YYYYMMDD, the form of complaint.accepted_day. */
export function acceptedDayKey(day: string): string {
  return day.replaceAll('-', '');
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The same days one year earlier (29 February becomes the 28th). */
export function sameDayLastYear(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Whether the period is exactly one calendar month (then "previous" means the previous month). */
export function wholeMonth(period: ReportPeriod): string | null {
  const month = period.from.slice(0, 7);
  return period.from === `${month}-01` && period.to === lastDayOfMonth(month) ? month : null;
}

export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

export function monthPeriod(month: string): ReportPeriod {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`a month is YYYY-MM, got ${month}`);
  return { from: `${month}-01`, to: lastDayOfMonth(month) };
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * The period to compare with for month-over-month: the previous calendar month for a whole month,
 * otherwise the same number of days just before.
 */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  const month = wholeMonth(period);
  if (month) return monthPeriod(addMonths(month, -1));
  const length = daysBetween(period.from, period.to) + 1;
  return { from: addDays(period.from, -length), to: addDays(period.from, -1) };
}

export function lastYearPeriod(period: ReportPeriod): ReportPeriod {
  const month = wholeMonth(period);
  if (month) return monthPeriod(addMonths(month, -12));
  return { from: sameDayLastYear(period.from), to: sameDayLastYear(period.to) };
}

/** Filters as a short human text (for file titles and mail subjects); codes, not personal data. */
export function describeFilters(filter: ReportSubjectFilter): string {
  return Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}
