// What a KPI request asks (R-KPI 考核评价): a period of Asia/Shanghai calendar days (both ends
// inclusive), optionally one department (code) or one person (staff id or employee number), and
// whether to group by person, by department or both. Parsed with zod from the HTTP query.
import { z } from 'zod';
import { addDays, daysBetween } from '../reports/report-filter';

const isoDay = z.iso.date();

export const KPI_GROUPINGS = ['department', 'staff'] as const;
export type KpiGrouping = (typeof KPI_GROUPINGS)[number];

export const kpiQuerySchema = z
  .strictObject({
    from: isoDay,
    to: isoDay,
    /** Department code (department.code). */
    department: z.string().trim().min(1).max(64).optional(),
    /** A staff member's id (uuid) or employee number. */
    staff: z.string().trim().min(1).max(64).optional(),
    groupBy: z.enum(KPI_GROUPINGS).optional(),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  .refine((q) => daysBetween(q.from, q.to) < 366 * 3, { message: 'a KPI period covers at most three years', path: ['to'] });

export type KpiQuery = z.infer<typeof kpiQuerySchema>;

/**
 * The period as instants: [from 00:00, the day after `to` 00:00) in Beijing time. Asia/Shanghai has
 * kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
 */
export function periodInstants(q: { from: string; to: string }): { start: Date; end: Date } {
  return { start: new Date(`${q.from}T00:00:00+08:00`), end: new Date(`${addDays(q.to, 1)}T00:00:00+08:00`) };
}
