// Working days and deadlines as the policy counts them (requirements.md, "How time is counted").
// Holidays and make-up working days (调休) are data, not code: adding a year means adding data.
// Pure: no clock reads, no env reads; every instant is passed in.
import { z } from 'zod';

// A real calendar date as YYYY-MM-DD (2026-02-30 is rejected).
const isoDate = z.iso.date();

export const holidayDataSchema = z.object({
  source: z.string(),
  years: z.record(
    z.string().regex(/^\d{4}$/),
    z.object({ holidays: z.array(isoDate), workdays: z.array(isoDate) }),
  ),
});

export type HolidayData = z.infer<typeof holidayDataSchema>;

export interface BusinessCalendarOptions {
  timeZone: string;
  serviceHours: { start: string; end: string };
  /** Called when a date falls in a year not on file; weekends-only is used for it. Lets the caller log a warning. */
  onBeyondData?: (year: number) => void;
}

export interface BusinessCalendar {
  readonly timeZone: string;
  isWorkingDay(localDate: string): boolean;
  /** Whether the date's year is in the holiday data (otherwise weekends-only is assumed). */
  covers(localDate: string): boolean;
  /** Close of service hours on the Nth working day, counting from the day after `from` (民法典 201). */
  addWorkingDays(from: Date, n: number): Date;
  /** 24:00 of the Nth calendar day after `from`, moved to the next working day if it is a rest day (民法典 203). */
  addCalendarDays(from: Date, n: number): Date;
  /** The date (YYYY-MM-DD) of `d` in the calendar's time zone. */
  localDate(d: Date): string;
  /**
   * `minutes` of service time after `from`: the clock runs only inside service hours on working
   * days (an hour window opened at 17:30 on a Friday ends on Monday morning).
   */
  addServiceMinutes(from: Date, minutes: number): Date;
}

export function createBusinessCalendar(data: HolidayData, options: BusinessCalendarOptions): BusinessCalendar {
  const parsed = holidayDataSchema.parse(data);
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const [year, entry] of Object.entries(parsed.years)) {
    for (const d of [...entry.holidays, ...entry.workdays]) {
      if (!d.startsWith(`${year}-`)) throw new Error(`holiday data: ${d} is filed under year ${year}`);
    }
    entry.holidays.forEach((d) => holidays.add(d));
    entry.workdays.forEach((d) => workdays.add(d));
  }
  for (const d of workdays) {
    if (holidays.has(d)) throw new Error(`holiday data: ${d} is both a holiday and a working day`);
  }
  const yearsOnFile = new Set(Object.keys(parsed.years).map(Number));
  const { timeZone } = options;
  const serviceEnd = parseClock(options.serviceHours.end);
  const serviceStart = parseClock(options.serviceHours.start);
  if (serviceStart >= serviceEnd) throw new Error('service hours must start before they end');
  // Fails fast on an unknown zone name instead of at the first deadline.
  const partsFormatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

  const covers = (localDate: string) => yearsOnFile.has(yearOf(localDate));

  // `warned` dedupes the callback within one computation, so a 60-day walk warns once, not 60 times.
  const workingDay = (localDate: string, warned: Set<number>): boolean => {
    if (workdays.has(localDate)) return true;
    if (holidays.has(localDate)) return false;
    const year = yearOf(localDate);
    if (!yearsOnFile.has(year) && !warned.has(year)) {
      warned.add(year);
      options.onBeyondData?.(year);
    }
    const weekday = new Date(`${localDate}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  };

  const localDateOf = (d: Date): string => {
    const p = wallClock(partsFormatter, d);
    return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  };

  // Local wall-clock time -> instant. Guess with offset 0, correct by the zone's offset at the guess,
  // then once more in case the first correction crossed an offset change (DST elsewhere).
  const toInstant = (localDate: string, minutesOfDay: number): Date => {
    const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
    const wallAsUtc = Date.UTC(y, m - 1, d, 0, minutesOfDay);
    let instant = wallAsUtc - offsetMs(partsFormatter, new Date(wallAsUtc));
    instant = wallAsUtc - offsetMs(partsFormatter, new Date(instant));
    return new Date(instant);
  };

  return {
    timeZone,
    isWorkingDay: (localDate) => workingDay(isoDate.parse(localDate), new Set()),
    covers: (localDate) => covers(isoDate.parse(localDate)),
    localDate: localDateOf,
    addWorkingDays(from, n) {
      assertCount(n, 1);
      const warned = new Set<number>();
      let day = localDateOf(from);
      for (let counted = 0; counted < n; ) {
        day = nextDate(day);
        if (workingDay(day, warned)) counted++;
      }
      return toInstant(day, serviceEnd);
    },
    addServiceMinutes(from, minutes) {
      assertCount(minutes, 1);
      const warned = new Set<number>();
      let day = localDateOf(from);
      const p = wallClock(partsFormatter, from);
      // Minute of the local day the clock starts counting at, on `day`.
      let at = Math.max(p.hour * 60 + p.minute + p.second / 60, serviceStart);
      let remaining = minutes;
      for (;;) {
        if (workingDay(day, warned) && at < serviceEnd) {
          const open = serviceEnd - at;
          if (remaining <= open) return new Date(toInstant(day, 0).getTime() + (at + remaining) * 60_000);
          remaining -= open;
        }
        day = nextDate(day);
        at = serviceStart;
      }
    },
    addCalendarDays(from, n) {
      assertCount(n, 1);
      const warned = new Set<number>();
      let last = addDays(localDateOf(from), n);
      while (!workingDay(last, warned)) last = nextDate(last);
      // 24:00 of the last day is 00:00 of the day after.
      return toInstant(nextDate(last), 0);
    },
  };
}

function assertCount(n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`day count must be an integer >= ${min}, got ${n}`);
}

function parseClock(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`service hours must be HH:MM, got "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function wallClock(fmt: Intl.DateTimeFormat, d: Date) {
  const parts = fmt.formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The zone's UTC offset at instant `d`, in ms (positive east of Greenwich). */
function offsetMs(fmt: Intl.DateTimeFormat, d: Date): number {
  const p = wallClock(fmt, d);
  const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wallAsUtc - (d.getTime() - d.getUTCMilliseconds());
}

// Pure calendar-date arithmetic on YYYY-MM-DD strings; UTC here is only a date counter, not a zone.
function addDays(localDate: string, n: number): string {
  const t = new Date(`${localDate}T00:00:00Z`).getTime() + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

function nextDate(localDate: string): string {
  return addDays(localDate, 1);
}

function yearOf(localDate: string): number {
  return Number(localDate.slice(0, 4));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
