// Working days and deadlines as the policy counts them (requirements.md, "How time is counted").
// Holidays and make-up working days (调休) are data, not code: adding a year means adding data.
// Pure: no clock reads, no env reads; every instant is passed in.
import { z } from 'zod';

const MINUTE_MS = 60_000;

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

/**
 * A span during which a clock is stopped (waiting for an external appraisal), half-open:
 * [from, to). Overlapping or touching spans are merged; empty ones are ignored.
 */
export interface ClockStop {
  from: Date;
  to: Date;
}

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
  /**
   * Close of service hours on the Nth working day, counting from the day after `from` (民法典 201).
   * With `stops`: a working day whose service hours a stop overlaps (even by a minute) does not
   * count; one whose service hours no stop touches counts, whatever happens in the evening.
   */
  addWorkingDays(from: Date, n: number, stops?: readonly ClockStop[]): Date;
  /**
   * 24:00 of the Nth calendar day after `from`, moved to the next working day if it is a rest day
   * (民法典 203). With `stops`: a calendar day a stop overlaps (any part of 00:00–24:00) does not
   * count, and the period cannot end on such a day either (it moves on to the next working day no
   * stop touches).
   */
  addCalendarDays(from: Date, n: number, stops?: readonly ClockStop[]): Date;
  /** The date (YYYY-MM-DD) of `d` in the calendar's time zone. */
  localDate(d: Date): string;
  /**
   * `minutes` of service time after `from`: the clock runs only inside service hours on working
   * days (an hour window opened at 17:30 on a Friday ends on Monday morning). With `stops`: service
   * time inside a stop does not count either.
   */
  addServiceMinutes(from: Date, minutes: number, stops?: readonly ClockStop[]): Date;
  /** `d` as ISO 8601 local time with the zone's offset: 2026-09-28T10:00:00+08:00 (milliseconds only when not zero). */
  formatLocal(d: Date): string;
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
    addWorkingDays(from, n, stops = []) {
      assertCount(n, 1);
      const stopped = normaliseStops(stops);
      const warned = new Set<number>();
      // A working day counts unless a stop overlaps its service hours.
      const counts = (day: string) =>
        workingDay(day, warned) && !overlapsAny(toInstant(day, serviceStart).getTime(), toInstant(day, serviceEnd).getTime(), stopped);
      let day = localDateOf(from);
      for (let counted = 0; counted < n; ) {
        day = nextDate(day);
        if (counts(day)) counted++;
      }
      return toInstant(day, serviceEnd);
    },
    addServiceMinutes(from, minutes, stops = []) {
      assertCount(minutes, 1);
      const stopped = normaliseStops(stops);
      const warned = new Set<number>();
      let day = localDateOf(from);
      let remaining = minutes * MINUTE_MS;
      for (;;) {
        if (workingDay(day, warned)) {
          const open = Math.max(toInstant(day, serviceStart).getTime(), from.getTime());
          const close = toInstant(day, serviceEnd).getTime();
          for (const [a, b] of runningSegments(open, close, stopped)) {
            if (remaining <= b - a) return new Date(a + remaining);
            remaining -= b - a;
          }
        }
        day = nextDate(day);
      }
    },
    addCalendarDays(from, n, stops = []) {
      assertCount(n, 1);
      const stopped = normaliseStops(stops);
      const warned = new Set<number>();
      const touched = (day: string) => overlapsAny(toInstant(day, 0).getTime(), toInstant(nextDate(day), 0).getTime(), stopped);
      let last = localDateOf(from);
      for (let counted = 0; counted < n; ) {
        last = nextDate(last);
        if (!touched(last)) counted++;
      }
      while (!workingDay(last, warned) || touched(last)) last = nextDate(last);
      // 24:00 of the last day is 00:00 of the day after.
      return toInstant(nextDate(last), 0);
    },
    formatLocal(d) {
      const p = wallClock(partsFormatter, d);
      const offsetMinutes = Math.round(offsetMs(partsFormatter, d) / MINUTE_MS);
      const sign = offsetMinutes < 0 ? '-' : '+';
      const abs = Math.abs(offsetMinutes);
      const ms = d.getUTCMilliseconds();
      return (
        `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
        `${ms ? `.${String(ms).padStart(3, '0')}` : ''}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
      );
    },
  };
}

/**
 * Stops as sorted, merged [from, to) pairs in epoch ms; empty or inverted spans are dropped (an
 * inverted span is a caller's bug: refused).
 */
export function normaliseStops(stops: readonly ClockStop[]): [number, number][] {
  const spans = stops.map(({ from, to }) => {
    const a = from.getTime();
    const b = to.getTime();
    if (Number.isNaN(a) || Number.isNaN(b)) throw new RangeError('a clock stop needs valid dates');
    if (b < a) throw new RangeError(`a clock stop must not end before it starts (${from.toISOString()} > ${to.toISOString()})`);
    return [a, b] as [number, number];
  });
  spans.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of spans) {
    if (a === b) continue;
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** Whether [a, b) and any stop share an instant. */
function overlapsAny(a: number, b: number, stops: readonly [number, number][]): boolean {
  return stops.some(([s, e]) => s < b && e > a);
}

/** The parts of [a, b) no stop covers, in order. `stops` sorted and merged. */
function runningSegments(a: number, b: number, stops: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let cursor = a;
  for (const [s, e] of stops) {
    if (cursor >= b) break;
    if (e <= cursor) continue;
    if (s >= b) break;
    if (s > cursor) out.push([cursor, s]);
    cursor = Math.max(cursor, e);
  }
  if (cursor < b) out.push([cursor, b]);
  return out;
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
  // The wall clock is the instant shifted by the zone's offset, read in UTC: no formatToParts per call.
  const shifted = new Date(d.getTime() - d.getUTCMilliseconds() + offsetMs(fmt, d));
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(),
  };
}

function wallClockFromParts(fmt: Intl.DateTimeFormat, d: Date) {
  const parts = fmt.formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

// Offsets per zone and quarter hour (UTC): every zone changes its offset on a quarter hour, so one
// look-up through Intl (slow: formatToParts) serves every instant of the same quarter hour.
const QUARTER_HOUR_MS = 15 * 60_000;
const offsetCache = new WeakMap<Intl.DateTimeFormat, Map<number, number>>();

/** The zone's UTC offset at instant `d`, in ms (positive east of Greenwich). */
function offsetMs(fmt: Intl.DateTimeFormat, d: Date): number {
  let cache = offsetCache.get(fmt);
  if (!cache) offsetCache.set(fmt, (cache = new Map()));
  const quarter = Math.floor(d.getTime() / QUARTER_HOUR_MS);
  let offset = cache.get(quarter);
  if (offset === undefined) {
    const p = wallClockFromParts(fmt, d);
    const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    offset = wallAsUtc - (d.getTime() - d.getUTCMilliseconds());
    if (cache.size > 100_000) cache.clear();
    cache.set(quarter, offset);
  }
  return offset;
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
