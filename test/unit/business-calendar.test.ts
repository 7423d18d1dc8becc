import { describe, expect, it } from 'vitest';
import cnHolidays from '../../services/calendar/cn-holidays.json';
import { createBusinessCalendar, type HolidayData } from '../../services/calendar/business-calendar';

// Reference weekdays: 2025-01-01 Wed; 2026-01-01 Thu, 2026-02-01 Sun, 2026-03-01 Sun,
// 2026-09-01 Tue, 2026-10-01 Thu, 2026-12-01 Tue; 2027-01-01 Fri.
const serviceHours = { start: '09:00', end: '18:00' };
const calendar = (onBeyondData?: (year: number) => void) =>
  createBusinessCalendar(cnHolidays, { timeZone: 'Asia/Shanghai', serviceHours, onBeyondData });
const at = (iso: string) => new Date(iso);
// Test-side formatting only: Asia/Shanghai is UTC+8 all year, so expected values read as local time.
const shanghai = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');

describe('isWorkingDay / covers', () => {
  it.each<[string, boolean, string]>([
    ['2026-01-01', false, 'Thu, New Year'],
    ['2026-01-03', false, 'Sat inside the New Year block'],
    ['2026-01-04', true, 'Sun, make-up working day'],
    ['2026-01-05', true, 'ordinary Mon'],
    ['2026-01-10', false, 'ordinary Sat'],
    ['2026-02-14', true, 'Sat, make-up day before Spring Festival'],
    ['2026-02-15', false, 'Spring Festival'],
    ['2026-02-23', false, 'Mon, last day of Spring Festival'],
    ['2026-02-24', true, 'Tue, back to work'],
    ['2026-02-28', true, 'Sat, make-up day after Spring Festival'],
    ['2026-05-09', true, 'Sat, make-up day'],
    ['2026-06-19', false, 'Fri, Dragon Boat'],
    ['2026-09-20', true, 'Sun, make-up day'],
    ['2026-09-25', false, 'Fri, Mid-Autumn'],
    ['2026-10-07', false, 'Wed, National Day block'],
    ['2026-10-08', true, 'Thu'],
    ['2026-10-10', true, 'Sat, make-up day'],
    ['2025-01-26', true, 'Sun, make-up day 2025'],
    ['2025-10-08', false, 'Wed, National Day block 2025'],
    ['2025-10-11', true, 'Sat, make-up day 2025'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(calendar().isWorkingDay(date)).toBe(expected);
  });

  it('rejects a malformed date instead of guessing', () => {
    expect(() => calendar().isWorkingDay('2026-13-01')).toThrow();
  });

  it('knows which years are on file', () => {
    const cal = calendar();
    expect(cal.covers('2025-06-01')).toBe(true);
    expect(cal.covers('2026-12-31')).toBe(true);
    expect(cal.covers('2027-01-01')).toBe(false);
    expect(cal.covers('2024-12-31')).toBe(false);
  });

  it('falls back to weekends-only beyond the data and says so', () => {
    const years: number[] = [];
    const cal = calendar((y) => years.push(y));
    expect(cal.isWorkingDay('2027-01-01')).toBe(true); // Fri; the 2027 New Year holiday is not on file yet
    expect(cal.isWorkingDay('2027-01-02')).toBe(false); // Sat
    expect(years).toEqual([2027, 2027]);
  });
});

describe('localDate', () => {
  it('uses the calendar time zone, not UTC', () => {
    expect(calendar().localDate(at('2026-03-05T16:30:00Z'))).toBe('2026-03-06'); // 00:30 Fri in Shanghai
    expect(calendar().localDate(at('2026-03-05T15:59:59Z'))).toBe('2026-03-05');
  });
});

describe('addWorkingDays: from the day after, ending 18:00 on the Nth working day', () => {
  it.each<[string, string, number, string]>([
    // Sep 29 Tue(1), 30 Wed(2), Oct 1–7 holiday, 8 Thu(3), 9 Fri(4), 10 Sat make-up(5), 11 Sun, 12 Mon(6), 13 Tue(7).
    ['National Day', '2026-09-28T10:00:00+08:00', 7, '2026-10-13T18:00:00+08:00'],
    // Fri evening: Sat 7 and Sun 8 Mar rest; Mon 9(1), Tue 10(2), Wed 11(3).
    ['Friday evening', '2026-03-06T20:30:00+08:00', 3, '2026-03-11T18:00:00+08:00'],
    // 00:30 Fri in Shanghai is still Thu in UTC; counting starts after the local Fri: Mon 9 Mar(1).
    ['just after local midnight', '2026-03-06T00:30:00+08:00', 1, '2026-03-09T18:00:00+08:00'],
    // Accepted on Sat 3 Oct, a holiday: 4–7 Oct holiday, Thu 8(1), Fri 9(2), Sat 10 make-up(3).
    ['accepted on a holiday', '2026-10-03T11:00:00+08:00', 3, '2026-10-10T18:00:00+08:00'],
    // Fri 13 Feb: Sat 14 is a make-up working day(1).
    ['before Spring Festival, 1 day', '2026-02-13T15:00:00+08:00', 1, '2026-02-14T18:00:00+08:00'],
    // Sat 14(1), 15–23 Feb holiday, Tue 24(2), Wed 25(3).
    ['before Spring Festival, 3 days', '2026-02-13T15:00:00+08:00', 3, '2026-02-25T18:00:00+08:00'],
    // Same count when accepted after service hours: the day itself never counts.
    ['before Spring Festival, late', '2026-02-13T23:59:00+08:00', 3, '2026-02-25T18:00:00+08:00'],
    // Sat 25 Jan rest, Sun 26 make-up(1), Mon 27(2), 28 Jan–4 Feb holiday, Wed 5(3), Thu 6(4), Fri 7(5).
    ['Spring Festival 2025', '2025-01-24T10:00:00+08:00', 5, '2025-02-07T18:00:00+08:00'],
    // Across the year end, both years on file: 1–3 Jan 2026 holiday, Sun 4 Jan make-up(1).
    ['New Year 2026', '2025-12-31T09:00:00+08:00', 1, '2026-01-04T18:00:00+08:00'],
  ])('%s: %s + %d → %s', (_label, from, n, expected) => {
    expect(shanghai(calendar().addWorkingDays(at(from), n))).toBe(expected);
  });

  it('runs into 2027 on weekends only and reports the missing year once', () => {
    const years: number[] = [];
    // Wed 30 Dec 2026: Thu 31(1), Fri 1 Jan 2027 (no data: weekday, counts)(2), Sat 2, Sun 3, Mon 4(3).
    const due = calendar((y) => years.push(y)).addWorkingDays(at('2026-12-30T10:00:00+08:00'), 3);
    expect(shanghai(due)).toBe('2027-01-04T18:00:00+08:00');
    expect(years).toEqual([2027]);
  });

  it('does not report when the data covers the whole span', () => {
    const years: number[] = [];
    calendar((y) => years.push(y)).addWorkingDays(at('2026-09-28T10:00:00+08:00'), 7);
    expect(years).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a count of %s', (n) => {
    expect(() => calendar().addWorkingDays(at('2026-09-28T10:00:00+08:00'), n)).toThrow(RangeError);
  });
});

describe('addCalendarDays: 24:00 of the Nth day after, moved past rest days (民法典 203)', () => {
  it.each<[string, string, number, string]>([
    // Sep 28 + 15 = Tue 13 Oct, a working day → 24:00 that day.
    ['ordinary end', '2026-09-28T10:00:00+08:00', 15, '2026-10-14T00:00:00+08:00'],
    // Sep 16 + 15 = Thu 1 Oct, holiday; 1–7 Oct holiday → Thu 8 Oct is the last day.
    ['ends on a holiday', '2026-09-16T10:00:00+08:00', 15, '2026-10-09T00:00:00+08:00'],
    // Sat 7 Mar + 15 = Sun 22 Mar, a weekend → Mon 23 Mar.
    ['ends on a Sunday', '2026-03-07T10:00:00+08:00', 15, '2026-03-24T00:00:00+08:00'],
    // Fri 13 Feb + 15 = Sat 28 Feb, a make-up working day → stays.
    ['ends on a make-up Saturday', '2026-02-13T15:00:00+08:00', 15, '2026-03-01T00:00:00+08:00'],
    // 23:30 local on 15 Sep (15:30 UTC, same date) + 15 = Wed 30 Sep, working → 24:00 that day.
    ['accepted late at night', '2026-09-15T23:30:00+08:00', 15, '2026-10-01T00:00:00+08:00'],
    // 00:30 local on 16 Sep is 15 Sep in UTC; the local date counts: 16 Sep + 15 = 1 Oct → 8 Oct.
    ['accepted just after local midnight', '2026-09-16T00:30:00+08:00', 15, '2026-10-09T00:00:00+08:00'],
  ])('%s: %s + %d → %s', (_label, from, n, expected) => {
    expect(shanghai(calendar().addCalendarDays(at(from), n))).toBe(expected);
  });

  it('runs into 2027 and reports it', () => {
    const years: number[] = [];
    // Sun 20 Dec 2026 + 15 = Mon 4 Jan 2027 (weekends-only: working) → 24:00 that day.
    const due = calendar((y) => years.push(y)).addCalendarDays(at('2026-12-20T10:00:00+08:00'), 15);
    expect(shanghai(due)).toBe('2027-01-05T00:00:00+08:00');
    expect(years).toEqual([2027]);
  });
});

describe('time-zone maths', () => {
  it('follows the zone offset, including a DST change (no hard-coded +8)', () => {
    const empty: HolidayData = { source: 'test', years: {} };
    const ny = createBusinessCalendar(empty, { timeZone: 'America/New_York', serviceHours });
    // Fri 6 Mar 2026 (EST, -05:00); US DST starts Sun 8 Mar; Mon 9 Mar 18:00 EDT (-04:00) = 22:00 UTC.
    expect(ny.addWorkingDays(at('2026-03-06T12:00:00-05:00'), 1).toISOString()).toBe('2026-03-09T22:00:00.000Z');
    // Sat 7 Mar + 1 = Sun 8 → Mon 9 → 24:00 Mon = Tue 10 00:00 EDT = 04:00 UTC.
    expect(ny.addCalendarDays(at('2026-03-07T12:00:00-05:00'), 1).toISOString()).toBe('2026-03-10T04:00:00.000Z');
  });
});

describe('createBusinessCalendar: bad configuration fails at once', () => {
  const make = (data: HolidayData, opts: Partial<{ timeZone: string; end: string }> = {}) => () =>
    createBusinessCalendar(data, { timeZone: opts.timeZone ?? 'Asia/Shanghai', serviceHours: { start: '09:00', end: opts.end ?? '18:00' } });

  it.each<[string, () => unknown]>([
    ['date filed under the wrong year', make({ source: 't', years: { '2026': { holidays: ['2027-01-01'], workdays: [] } } })],
    ['date both off and worked', make({ source: 't', years: { '2026': { holidays: ['2026-01-04'], workdays: ['2026-01-04'] } } })],
    ['malformed date', make({ source: 't', years: { '2026': { holidays: ['2026-1-4'], workdays: [] } } })],
    ['impossible date', make({ source: 't', years: { '2026': { holidays: ['2026-02-30'], workdays: [] } } })],
    ['bad service hours', make({ source: 't', years: {} }, { end: '6pm' })],
    ['unknown time zone', make({ source: 't', years: {} }, { timeZone: 'Mars/Olympus' })],
  ])('%s', (_label, build) => {
    expect(build).toThrow();
  });
});

describe('service-hour windows', () => {
  const calendar = createBusinessCalendar(cnHolidays, { timeZone: 'Asia/Shanghai', serviceHours: { start: '09:00', end: '18:00' } });
  const at = (iso: string) => new Date(iso);
  it.each([
    // Inside hours on a working day: plain addition.
    ['2026-11-25T10:00:00+08:00', 240, '2026-11-25T14:00:00+08:00'],
    // Runs past 18:00: the rest continues at 09:00 next working day.
    ['2026-11-25T16:00:00+08:00', 240, '2026-11-26T11:00:00+08:00'],
    // Friday evening → Monday.
    ['2026-11-27T17:30:00+08:00', 60, '2026-11-30T09:30:00+08:00'],
    // Before opening: starts at 09:00.
    ['2026-11-25T07:00:00+08:00', 30, '2026-11-25T09:30:00+08:00'],
    // Saturday 26 Sep 2026 is inside the Mid-Autumn break (25–27 Sep): counting starts Monday 28 Sep.
    ['2026-09-26T12:00:00+08:00', 240, '2026-09-28T13:00:00+08:00'],
    // 30 Sep 17:00 + 4 h: 1 h on 30 Sep, National Day 1–7 Oct, 3 h on Thu 8 Oct.
    ['2026-09-30T17:00:00+08:00', 240, '2026-10-08T12:00:00+08:00'],
    // Make-up working Saturday 10 Oct 2026 counts.
    ['2026-10-09T17:00:00+08:00', 120, '2026-10-10T10:00:00+08:00'],
  ])('%s + %i service minutes → %s', (from, minutes, expected) => {
    expect(calendar.addServiceMinutes(at(from), minutes).getTime()).toBe(at(expected).getTime());
  });
});

describe('formatLocal: ISO 8601 with the zone offset', () => {
  it.each<[string, string, string]>([
    ['Asia/Shanghai', '2026-09-28T02:00:00Z', '2026-09-28T10:00:00+08:00'],
    // 24:00 of 13 Oct is written as 00:00 of 14 Oct.
    ['Asia/Shanghai', '2026-10-13T16:00:00Z', '2026-10-14T00:00:00+08:00'],
    ['Asia/Shanghai', '2026-09-28T02:00:00.250Z', '2026-09-28T10:00:00.250+08:00'],
    ['America/New_York', '2026-03-06T17:00:00Z', '2026-03-06T12:00:00-05:00'],
    ['America/New_York', '2026-03-09T22:00:00Z', '2026-03-09T18:00:00-04:00'],
    ['Asia/Kolkata', '2026-01-01T00:00:00Z', '2026-01-01T05:30:00+05:30'],
    ['UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00+00:00'],
  ])('%s: %s → %s', (timeZone, instant, expected) => {
    const cal = createBusinessCalendar({ source: 't', years: {} }, { timeZone, serviceHours });
    expect(cal.formatLocal(at(instant))).toBe(expected);
    expect(new Date(expected).getTime()).toBe(at(instant).getTime());
  });
});

describe('stopped clocks (appraisal pauses)', () => {
  const stop = (from: string, to: string) => ({ from: at(from), to: at(to) });

  it('addServiceMinutes: service time inside a stop does not count', () => {
    // Mon 21 Sep 2026 16:00 + 4 h; stopped 17:00 – Tue 10:00: 1 h Mon, then 3 h from 10:00 → Tue 13:00.
    const due = calendar().addServiceMinutes(at('2026-09-21T16:00:00+08:00'), 240, [stop('2026-09-21T17:00:00+08:00', '2026-09-22T10:00:00+08:00')]);
    expect(shanghai(due)).toBe('2026-09-22T13:00:00+08:00');
    // A stop inside one day: 10:00 + 4 h with 11:00–11:30 stopped → 14:30.
    const inDay = calendar().addServiceMinutes(at('2026-11-25T10:00:00+08:00'), 240, [stop('2026-11-25T11:00:00+08:00', '2026-11-25T11:30:00+08:00')]);
    expect(shanghai(inDay)).toBe('2026-11-25T14:30:00+08:00');
    // Overlapping and touching stops merge: 11:00–11:20, 11:10–11:30, 11:30–12:00 → one hour stopped → 15:00.
    const merged = calendar().addServiceMinutes(at('2026-11-25T10:00:00+08:00'), 240, [
      stop('2026-11-25T11:10:00+08:00', '2026-11-25T11:30:00+08:00'),
      stop('2026-11-25T11:00:00+08:00', '2026-11-25T11:20:00+08:00'),
      stop('2026-11-25T11:30:00+08:00', '2026-11-25T12:00:00+08:00'),
    ]);
    expect(shanghai(merged)).toBe('2026-11-25T15:00:00+08:00');
  });

  it('addWorkingDays: a working day whose service hours a stop touches does not count; evenings do not matter', () => {
    // Fri 13 Feb 2026 + 3: Sat 14 (1), Tue 24 (2), Wed 25 (3). Stopped Sat 14 17:59–18:30 → Sat 14 lost: Tue 24 (1), 25 (2), 26 (3).
    expect(shanghai(calendar().addWorkingDays(at('2026-02-13T15:00:00+08:00'), 3, [stop('2026-02-14T17:59:00+08:00', '2026-02-14T18:30:00+08:00')]))).toBe(
      '2026-02-26T18:00:00+08:00',
    );
    // Stopped Sat 14 18:00–23:00 (after closing): nothing lost.
    expect(shanghai(calendar().addWorkingDays(at('2026-02-13T15:00:00+08:00'), 3, [stop('2026-02-14T18:00:00+08:00', '2026-02-14T23:00:00+08:00')]))).toBe(
      '2026-02-25T18:00:00+08:00',
    );
  });

  it('addCalendarDays: a day a stop touches at all does not count, nor can the period end on it', () => {
    // Sep 28 2026 + 15 = Tue 13 Oct. Stopped Mon 12 Oct 23:00 – Tue 13 Oct 01:00: 12 and 13 lost → Thu 15 Oct, 24:00.
    expect(shanghai(calendar().addCalendarDays(at('2026-09-28T10:00:00+08:00'), 15, [stop('2026-10-12T23:00:00+08:00', '2026-10-13T01:00:00+08:00')]))).toBe(
      '2026-10-16T00:00:00+08:00',
    );
    // A stop ending exactly at 00:00 does not touch the day that begins then: stopped Sun 11 Oct 00:00 – Mon 12 00:00 → one day → Wed 14.
    expect(shanghai(calendar().addCalendarDays(at('2026-09-28T10:00:00+08:00'), 15, [stop('2026-10-11T00:00:00+08:00', '2026-10-12T00:00:00+08:00')]))).toBe(
      '2026-10-15T00:00:00+08:00',
    );
  });

  it('refuses a stop that ends before it starts', () => {
    expect(() => calendar().addCalendarDays(at('2026-09-28T10:00:00+08:00'), 15, [stop('2026-10-12T00:00:00+08:00', '2026-10-11T00:00:00+08:00')])).toThrow(RangeError);
  });
});

describe('local time in zones with offset changes', () => {
  // The calendar reads the zone's offset once per quarter hour (services/calendar/business-calendar.ts):
  // every instant must still read as Intl reads it, right up to and across each change.
  const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
  const empty: HolidayData = { source: 'test', years: {} };
  it.each(zones)('formats every instant as Intl does in %s, around offset changes included', (timeZone) => {
    const cal = createBusinessCalendar(empty, { timeZone, serviceHours });
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const expected = (d: Date) => {
      const p = Object.fromEntries(intl.formatToParts(d).map((x) => [x.type, x.value]));
      return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
    };
    // Every 7 minutes 30 seconds through two years: each change of offset falls between two samples a few minutes apart.
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 450_000) {
      const d = new Date(t + (t % 997));
      expect(cal.formatLocal(d).slice(0, 19)).toBe(expected(d));
    }
  });
});
