// When the monthly report is due (R-MONTHLY: "by the 5th working day of the next month"), on the
// business calendar (holidays and make-up working days are data). Pure: the clock is passed in.
import type { BusinessCalendar } from '../calendar/business-calendar';
import { addMonths, lastDayOfMonth } from './report-filter';

/** The regulatory limit: the report reaches leadership by this working day of the next month. */
export const MONTHLY_REPORT_DUE_WORKING_DAY = 5;

/** The Nth working day (1-based) of the month after `month` (YYYY-MM), as YYYY-MM-DD local. */
export function nthWorkingDayAfterMonth(calendar: BusinessCalendar, month: string, n: number): string {
  // Noon of the month's last day, local: addWorkingDays counts from the day after.
  const lastDay = lastDayOfMonth(month);
  const noon = new Date(`${lastDay}T12:00:00+08:00`);
  return calendar.localDate(calendar.addWorkingDays(noon, n));
}

export interface MonthlyReportPlan {
  /** The month the report covers (YYYY-MM): the one before `now`'s local month. */
  month: string;
  /** The day the job produces it (the configured working day). */
  productionDay: string;
  /** The 5th working day: the limit. */
  dueDay: string;
  /** Whether `now` is on or after the production day. */
  due: boolean;
}

export function planMonthlyReport({ calendar, now, workingDay }: { calendar: BusinessCalendar; now: Date; workingDay: number }): MonthlyReportPlan {
  if (!Number.isInteger(workingDay) || workingDay < 1 || workingDay > MONTHLY_REPORT_DUE_WORKING_DAY) {
    throw new Error(`the monthly report's working day must be 1..${MONTHLY_REPORT_DUE_WORKING_DAY}`);
  }
  const today = calendar.localDate(now);
  const month = addMonths(today.slice(0, 7), -1);
  const productionDay = nthWorkingDayAfterMonth(calendar, month, workingDay);
  const dueDay = nthWorkingDayAfterMonth(calendar, month, MONTHLY_REPORT_DUE_WORKING_DAY);
  return { month, productionDay, dueDay, due: today >= productionDay };
}
