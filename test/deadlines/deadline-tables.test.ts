// Deadlines worked out by hand from the State Council's published calendars (国务院办公厅关于2025年 /
// 2026年部分节假日安排的通知), then checked against computeDeadlines on the real calendar data
// (services/calendar/cn-holidays.json) with the shipped policy.
//
// The published calendar used below:
//   2025 春节 28 Jan (Tue) – 4 Feb (Tue) off; Sun 26 Jan and Sat 8 Feb worked.
//   2025 国庆+中秋 1 Oct (Wed) – 8 Oct (Wed) off; Sun 28 Sep and Sat 11 Oct worked.
//   2026 春节 15 Feb (Sun) – 23 Feb (Mon) off; Sat 14 Feb and Sat 28 Feb worked.
//   2026 中秋 25–27 Sep (Fri–Sun) off; 国庆 1 Oct (Thu) – 7 Oct (Wed) off; Sun 20 Sep and Sat 10 Oct worked.
// Weekdays for reference: 2025-01-24 Fri, 2025-09-26 Fri, 2026-02-13 Fri, 2026-09-18 Fri,
// 2026-11-02 Mon, 2026-12-30 Wed, 2027-01-01 Fri, 2027-02-05 Fri.
//
// The shipped policy (complaint-policy.json): urgent first response 30 min (L1 15 min), around the
// clock; L1 to the leadership group 60 min and its meeting 24 h, around the clock; L2 to the
// supervisor 4 service hours (09:00–18:00 working days; urgent: 30 min around the clock); feedback
// L1 3 / L2 5 / L3 7 working days, ending 18:00; investigation 10 and statutory decision 15
// calendar days, ending 24:00 (written as 00:00 of the next day), moved past rest days; no target
// after the statutory one.
import { describe, expect, it } from 'vitest';
import cnHolidays from '../../services/calendar/cn-holidays.json';
import { createBusinessCalendar } from '../../services/calendar/business-calendar';
import {
  computeDeadlineSchedule,
  computeDeadlines,
  DEADLINE_KINDS,
  type ClockPause,
  type DeadlineInput,
  type Deadlines,
} from '../../services/deadlines/compute-deadlines';
import { DEFAULT_POLICY, type TierName } from '../../services/policy/policy';

const policy = DEFAULT_POLICY;
function calendar(onBeyondData?: (year: number) => void) {
  return createBusinessCalendar(cnHolidays, { timeZone: policy.timeZone, serviceHours: policy.serviceHours, onBeyondData });
}
const at = (iso: string) => new Date(iso);
// Test-side formatting only: Asia/Shanghai is UTC+8 all year, so expected values read as local time.
const shanghai = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');
/** The deadlines as local times, only the kinds present (so a missing or extra kind fails the match). */
const local = (d: Deadlines) => Object.fromEntries(DEADLINE_KINDS.filter((k) => d[k]).map((k) => [k, shanghai(d[k]!)]));
const T = (localDateTime: string) => `${localDateTime}:00+08:00`;

type Row = [label: string, tier: TierName | null, urgent: boolean, acceptedAt: string, expected: Record<string, string>];

function check(rows: Row[], extra: Partial<DeadlineInput> = {}) {
  it.each(rows)('%s', (_label, tier, urgent, acceptedAt, expected) => {
    const years: number[] = [];
    const d = computeDeadlines({ acceptedAt: at(acceptedAt), tier, urgent, policy, calendar: calendar((y) => years.push(y)), ...extra });
    expect(local(d)).toEqual(expected);
    expect(years).toEqual([]); // all on file
  });
}

describe('国庆 2025 (1–8 Oct off; Sun 28 Sep and Sat 11 Oct worked)', () => {
  check([
    [
      // to_supervisor: Fri 16:00–18:00 is 2 h; Sat 27 rest; Sun 28 Sep is worked: 09:00 + 2 h = 11:00.
      // feedback 5 wd from Sat 27: Sun 28 (1), Mon 29 (2), Tue 30 (3), [1–8 Oct], Thu 9 (4), Fri 10 (5) → 18:00.
      // investigation: 26 Sep + 10 = 6 Oct, a holiday; 7, 8 Oct holidays → Thu 9 Oct, 24:00.
      // statutory: 26 Sep + 15 = Sat 11 Oct, a make-up working day → stays, 24:00.
      'L2 accepted Fri 26 Sep 16:00: the make-up Sunday counts, both for hours and for days',
      'L2', false, '2025-09-26T16:00:00+08:00',
      { to_supervisor: T('2025-09-28T11:00'), investigation: T('2025-10-10T00:00'), feedback: T('2025-10-10T18:00'), statutory_decision: T('2025-10-12T00:00') },
    ],
    [
      // feedback 7 wd: [1–8 Oct], Thu 9 (1), Fri 10 (2), Sat 11 make-up (3), Mon 13 (4), Tue 14 (5), Wed 15 (6), Thu 16 (7) → 16 Oct 18:00.
      // statutory: 30 Sep + 15 = Wed 15 Oct → 24:00 = 16 Oct 00:00, earlier than 16 Oct 18:00: the statute wins.
      // investigation: 30 Sep + 10 = Fri 10 Oct → 24:00.
      'L3 accepted Tue 30 Sep 10:00: the feedback target is capped by the statutory limit',
      'L3', false, '2025-09-30T10:00:00+08:00',
      { investigation: T('2025-10-11T00:00'), feedback: T('2025-10-16T00:00'), statutory_decision: T('2025-10-16T00:00') },
    ],
    [
      // statutory: 16 Sep + 15 = Wed 1 Oct, a holiday; 2–8 Oct holidays → Thu 9 Oct, 24:00.
      // feedback 7 wd: Wed 17 (1), Thu 18 (2), Fri 19 (3), Mon 22 (4), Tue 23 (5), Wed 24 (6), Thu 25 (7).
      // investigation: 16 Sep + 10 = Fri 26 Sep → 24:00.
      'L3 accepted Tue 16 Sep 10:00: the statutory limit ends in the holiday and moves to Thu 9 Oct',
      'L3', false, '2025-09-16T10:00:00+08:00',
      { investigation: T('2025-09-27T00:00'), feedback: T('2025-09-25T18:00'), statutory_decision: T('2025-10-10T00:00') },
    ],
    [
      // Around the clock: 15 min, 60 min, 24 h from Tue 30 Sep 20:00.
      // feedback 3 wd: [1–8 Oct], Thu 9 (1), Fri 10 (2), Sat 11 make-up (3) → 11 Oct 18:00.
      // investigation: 30 Sep + 10 = Fri 10 Oct → 24:00. statutory: Wed 15 Oct → 24:00.
      'L1 accepted Tue 30 Sep 20:00, the eve of the holiday: windows around the clock, feedback on the make-up Saturday',
      'L1', false, '2025-09-30T20:00:00+08:00',
      {
        first_response: T('2025-09-30T20:15'), forward_to_leadership: T('2025-09-30T21:00'), leadership_meeting: T('2025-10-01T20:00'),
        investigation: T('2025-10-11T00:00'), feedback: T('2025-10-11T18:00'), statutory_decision: T('2025-10-16T00:00'),
      },
    ],
  ]);
});

describe('国庆 2026 (1–7 Oct off; Sun 20 Sep and Sat 10 Oct worked; 中秋 25–27 Sep off)', () => {
  check([
    [
      // Around the clock from Wed 30 Sep 23:59: +15 min = 1 Oct 00:14; +60 min = 00:59; +24 h = 1 Oct 23:59.
      // feedback 3 wd from Thu 1 Oct: [1–7 Oct], Thu 8 (1), Fri 9 (2), Sat 10 make-up (3) → 10 Oct 18:00.
      // investigation: 30 Sep + 10 = Sat 10 Oct, a make-up working day → 24:00.
      // statutory: 30 Sep + 15 = Thu 15 Oct → 24:00.
      'L1 urgent accepted Wed 30 Sep 23:59: the day of acceptance does not count, however late',
      'L1', true, '2026-09-30T23:59:00+08:00',
      {
        first_response: T('2026-10-01T00:14'), forward_to_leadership: T('2026-10-01T00:59'), leadership_meeting: T('2026-10-01T23:59'),
        investigation: T('2026-10-11T00:00'), feedback: T('2026-10-10T18:00'), statutory_decision: T('2026-10-16T00:00'),
      },
    ],
    [
      // to_supervisor: service hours start 09:00 → 13:00.
      // feedback 5 wd from Fri 9: Fri 9 (1), Sat 10 make-up (2), Mon 12 (3), Tue 13 (4), Wed 14 (5).
      // investigation: 8 Oct + 10 = Sun 18 Oct → Mon 19, 24:00. statutory: 8 Oct + 15 = Fri 23 Oct → 24:00.
      'L2 accepted Thu 8 Oct 00:00: midnight belongs to the new day, which does not count',
      'L2', false, '2026-10-08T00:00:00+08:00',
      { to_supervisor: T('2026-10-08T13:00'), investigation: T('2026-10-20T00:00'), feedback: T('2026-10-14T18:00'), statutory_decision: T('2026-10-24T00:00') },
    ],
    [
      // One minute earlier, Wed 7 Oct 23:59 (a holiday): to_supervisor still Thu 8 09:00 + 4 h = 13:00;
      // feedback 5 wd from Thu 8: Thu 8 (1), Fri 9 (2), Sat 10 (3), Mon 12 (4), Tue 13 (5) — a day earlier.
      // investigation: 7 Oct + 10 = Sat 17 Oct, rest → Mon 19. statutory: 7 Oct + 15 = Thu 22 Oct → 24:00.
      'L2 accepted Wed 7 Oct 23:59, on the last holiday: one minute earlier, a day earlier',
      'L2', false, '2026-10-07T23:59:00+08:00',
      { to_supervisor: T('2026-10-08T13:00'), investigation: T('2026-10-20T00:00'), feedback: T('2026-10-13T18:00'), statutory_decision: T('2026-10-23T00:00') },
    ],
    [
      // feedback 7 wd: [4–7 Oct], Thu 8 (1), Fri 9 (2), Sat 10 make-up (3), Mon 12 (4), Tue 13 (5), Wed 14 (6), Thu 15 (7).
      // investigation: 3 Oct + 10 = Tue 13 Oct → 24:00. statutory: 3 Oct + 15 = Sun 18 Oct → Mon 19, 24:00.
      'L3 accepted Sat 3 Oct 11:00, on a holiday',
      'L3', false, '2026-10-03T11:00:00+08:00',
      { investigation: T('2026-10-14T00:00'), feedback: T('2026-10-15T18:00'), statutory_decision: T('2026-10-20T00:00') },
    ],
    [
      // Urgent L2 on a holiday: a person within 30 min around the clock (on-duty rota): 11:30, both windows.
      // feedback 5 wd: Thu 8 (1), Fri 9 (2), Sat 10 (3), Mon 12 (4), Tue 13 (5). Days as the row above.
      'L2 urgent accepted Sat 3 Oct 11:00, on a holiday: the urgent windows do not wait for working hours',
      'L2', true, '2026-10-03T11:00:00+08:00',
      {
        first_response: T('2026-10-03T11:30'), to_supervisor: T('2026-10-03T15:00'),
        investigation: T('2026-10-14T00:00'), feedback: T('2026-10-13T18:00'), statutory_decision: T('2026-10-20T00:00'),
      },
    ],
    [
      // Sat 10 Oct is worked: to_supervisor 10:00 + 4 h = 14:00 the same day.
      // feedback 5 wd: Sun 11 rest, Mon 12 (1), Tue 13 (2), Wed 14 (3), Thu 15 (4), Fri 16 (5).
      // investigation: 10 Oct + 10 = Tue 20 Oct → 24:00. statutory: 10 Oct + 15 = Sun 25 Oct → Mon 26, 24:00.
      'L2 accepted Sat 10 Oct 10:00, a make-up working Saturday: service hours run that day',
      'L2', false, '2026-10-10T10:00:00+08:00',
      { to_supervisor: T('2026-10-10T14:00'), investigation: T('2026-10-21T00:00'), feedback: T('2026-10-16T18:00'), statutory_decision: T('2026-10-27T00:00') },
    ],
    [
      // Sun 20 Sep is worked: 16:00–18:00 (2 h), then Mon 21 09:00 + 2 h = 11:00.
      // feedback 5 wd: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4), [25–27 Sep], Mon 28 (5).
      // investigation: 20 Sep + 10 = Wed 30 Sep → 24:00. statutory: 20 Sep + 15 = Mon 5 Oct, holiday → Thu 8 Oct, 24:00.
      'L2 accepted Sun 20 Sep 16:00, a make-up working Sunday',
      'L2', false, '2026-09-20T16:00:00+08:00',
      { to_supervisor: T('2026-09-21T11:00'), investigation: T('2026-10-01T00:00'), feedback: T('2026-09-28T18:00'), statutory_decision: T('2026-10-09T00:00') },
    ],
    [
      // Around the clock from Fri 18 Sep 10:00: 10:15, 11:00, Sat 19 10:00.
      // feedback 3 wd: Sat 19 rest, Sun 20 make-up (1), Mon 21 (2), Tue 22 (3).
      // investigation: 18 Sep + 10 = Mon 28 Sep → 24:00.
      // statutory: 18 Sep + 15 = Sat 3 Oct, a holiday; 4–7 Oct holidays → Thu 8 Oct, 24:00.
      'L1 accepted Fri 18 Sep 10:00: the make-up Sunday counts; the statutory limit ends in the holiday',
      'L1', false, '2026-09-18T10:00:00+08:00',
      {
        first_response: T('2026-09-18T10:15'), forward_to_leadership: T('2026-09-18T11:00'), leadership_meeting: T('2026-09-19T10:00'),
        investigation: T('2026-09-29T00:00'), feedback: T('2026-09-22T18:00'), statutory_decision: T('2026-10-09T00:00'),
      },
    ],
    [
      // The CLI example. to_supervisor 10:00 + 4 h = 14:00.
      // feedback 5 wd: Tue 29 (1), Wed 30 (2), [1–7 Oct], Thu 8 (3), Fri 9 (4), Sat 10 make-up (5).
      // investigation: 28 Sep + 10 = Thu 8 Oct → 24:00. statutory: 28 Sep + 15 = Tue 13 Oct → 24:00.
      'L2 accepted Mon 28 Sep 10:00, just after 中秋',
      'L2', false, '2026-09-28T10:00:00+08:00',
      { to_supervisor: T('2026-09-28T14:00'), investigation: T('2026-10-09T00:00'), feedback: T('2026-10-10T18:00'), statutory_decision: T('2026-10-14T00:00') },
    ],
  ]);
});

describe('春节 2025 (28 Jan – 4 Feb off; Sun 26 Jan and Sat 8 Feb worked)', () => {
  check([
    [
      // to_supervisor: 10:00 + 4 h = 14:00 the same Friday.
      // feedback 5 wd: Sat 25 rest, Sun 26 make-up (1), Mon 27 (2), [28 Jan – 4 Feb], Wed 5 (3), Thu 6 (4), Fri 7 (5).
      // investigation: 24 Jan + 10 = Mon 3 Feb, holiday; Tue 4 holiday → Wed 5 Feb, 24:00.
      // statutory: 24 Jan + 15 = Sat 8 Feb, a make-up working day → stays, 24:00.
      'L2 accepted Fri 24 Jan 10:00',
      'L2', false, '2025-01-24T10:00:00+08:00',
      { to_supervisor: T('2025-01-24T14:00'), investigation: T('2025-02-06T00:00'), feedback: T('2025-02-07T18:00'), statutory_decision: T('2025-02-09T00:00') },
    ],
    [
      // feedback 7 wd: [28 Jan – 4 Feb], Wed 5 (1), Thu 6 (2), Fri 7 (3), Sat 8 make-up (4), Mon 10 (5), Tue 11 (6), Wed 12 (7) → 12 Feb 18:00;
      // statutory: 27 Jan + 15 = Tue 11 Feb → 24:00 = 12 Feb 00:00, earlier: the statute wins.
      // investigation: 27 Jan + 10 = Thu 6 Feb → 24:00.
      'L3 accepted Mon 27 Jan 17:00, the eve of the holiday: capped by the statute',
      'L3', false, '2025-01-27T17:00:00+08:00',
      { investigation: T('2025-02-07T00:00'), feedback: T('2025-02-12T00:00'), statutory_decision: T('2025-02-12T00:00') },
    ],
    [
      // Urgent L2 at Sat 25 Jan 23:50: 30 min around the clock → Sun 26 00:20 (first response and supervisor).
      // feedback 5 wd: Sun 26 make-up (1), Mon 27 (2), Wed 5 Feb (3), Thu 6 (4), Fri 7 (5).
      // investigation: 25 Jan + 10 = Tue 4 Feb, holiday → Wed 5 Feb, 24:00. statutory: 25 Jan + 15 = Sun 9 Feb → Mon 10, 24:00.
      'L2 urgent accepted Sat 25 Jan 23:50',
      'L2', true, '2025-01-25T23:50:00+08:00',
      {
        first_response: T('2025-01-26T00:20'), to_supervisor: T('2025-01-26T03:50'),
        investigation: T('2025-02-06T00:00'), feedback: T('2025-02-07T18:00'), statutory_decision: T('2025-02-11T00:00'),
      },
    ],
  ]);
});

describe('春节 2026 (15–23 Feb off; Sat 14 Feb and Sat 28 Feb worked)', () => {
  check([
    [
      // to_supervisor: Fri 15:00–18:00 (3 h), Sat 14 worked: 09:00 + 1 h = 10:00.
      // feedback 5 wd: Sat 14 make-up (1), [15–23 Feb], Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5).
      // investigation: 13 Feb + 10 = Mon 23 Feb, holiday → Tue 24, 24:00.
      // statutory: 13 Feb + 15 = Sat 28 Feb, a make-up working day → stays, 24:00.
      'L2 accepted Fri 13 Feb 15:00',
      'L2', false, '2026-02-13T15:00:00+08:00',
      { to_supervisor: T('2026-02-14T10:00'), investigation: T('2026-02-25T00:00'), feedback: T('2026-02-27T18:00'), statutory_decision: T('2026-03-01T00:00') },
    ],
    [
      // Around the clock from Wed 18 Feb 03:00 (a holiday): 03:15, 04:00, Thu 19 03:00.
      // feedback 3 wd: [19–23 Feb], Tue 24 (1), Wed 25 (2), Thu 26 (3).
      // investigation: 18 Feb + 10 = Sat 28 Feb, make-up → 24:00. statutory: 18 Feb + 15 = Thu 5 Mar → 24:00.
      'L1 urgent accepted Wed 18 Feb 03:00, in the middle of the holiday',
      'L1', true, '2026-02-18T03:00:00+08:00',
      {
        first_response: T('2026-02-18T03:15'), forward_to_leadership: T('2026-02-18T04:00'), leadership_meeting: T('2026-02-19T03:00'),
        investigation: T('2026-03-01T00:00'), feedback: T('2026-02-26T18:00'), statutory_decision: T('2026-03-06T00:00'),
      },
    ],
    [
      // feedback 7 wd: Fri 27 (1), Sat 28 make-up (2), Mon 2 Mar (3), Tue 3 (4), Wed 4 (5), Thu 5 (6), Fri 6 (7).
      // investigation: 26 Feb + 10 = Sun 8 Mar → Mon 9, 24:00. statutory: 26 Feb + 15 = Fri 13 Mar → 24:00.
      'L3 accepted Thu 26 Feb 10:00: the make-up Saturday after the holiday counts',
      'L3', false, '2026-02-26T10:00:00+08:00',
      { investigation: T('2026-03-10T00:00'), feedback: T('2026-03-06T18:00'), statutory_decision: T('2026-03-14T00:00') },
    ],
    [
      // Untriaged gets L3's window: as the 13 Feb L2 row for the days, 7 wd: Sat 14 (1), Tue 24 (2), Wed 25 (3),
      // Thu 26 (4), Fri 27 (5), Sat 28 (6), Mon 2 Mar (7) → 2 Mar 18:00, after the statute (1 Mar 00:00): capped.
      'untriaged, accepted Fri 13 Feb 15:00: L3 window, capped by the statute',
      null, false, '2026-02-13T15:00:00+08:00',
      { investigation: T('2026-02-25T00:00'), feedback: T('2026-03-01T00:00'), statutory_decision: T('2026-03-01T00:00') },
    ],
  ]);
});

describe('beyond the data (2027 not on file): weekends only, and onBeyondData is called', () => {
  it.each<Row>([
    [
      // 2027 has no data: Fri 5 Feb 10:00 → to_supervisor 14:00; feedback 5 wd: Mon 8 – Fri 12 Feb (whatever 春节 2027 will be).
      // investigation: 5 Feb + 10 = Mon 15 Feb → 24:00. statutory: 5 Feb + 15 = Sat 20 Feb → Mon 22, 24:00.
      'L2 accepted Fri 5 Feb 2027 10:00',
      'L2', false, '2027-02-05T10:00:00+08:00',
      { to_supervisor: T('2027-02-05T14:00'), investigation: T('2027-02-16T00:00'), feedback: T('2027-02-12T18:00'), statutory_decision: T('2027-02-23T00:00') },
    ],
    [
      // Across the year end: 7 wd from Wed 30 Dec 2026: Thu 31 (1), Fri 1 Jan 2027 (2, a weekday without data),
      // Mon 4 (3), Tue 5 (4), Wed 6 (5), Thu 7 (6), Fri 8 (7). investigation: 30 Dec + 10 = Sat 9 Jan → Mon 11, 24:00.
      // statutory: 30 Dec + 15 = Thu 14 Jan → 24:00.
      'L3 accepted Wed 30 Dec 2026 10:00, running into 2027',
      'L3', false, '2026-12-30T10:00:00+08:00',
      { investigation: T('2027-01-12T00:00'), feedback: T('2027-01-08T18:00'), statutory_decision: T('2027-01-15T00:00') },
    ],
  ])('%s', (_label, tier, urgent, acceptedAt, expected) => {
    const years: number[] = [];
    const d = computeDeadlines({ acceptedAt: at(acceptedAt), tier, urgent, policy, calendar: calendar((y) => years.push(y)) });
    expect(local(d)).toEqual(expected);
    expect(years.length).toBeGreaterThan(0);
    expect(new Set(years)).toEqual(new Set([2027]));
  });
});

// --- pauses for external appraisal and restarts on new facts --------------------------------------
// Rules (compute-deadlines.ts): a deadline moves only if still pending when the pause began. Around
// the clock: by the elapsed paused time. Service-hour windows: by the service time paused. Working-
// day periods: a working day whose 09:00–18:00 the pause overlaps does not count. Calendar-day periods
// (investigation, statutory): a day the pause overlaps at all does not count, and the period cannot
// end on one. November 2026 has no holidays: Mon 2, Mon 9, Mon 16, Mon 23, Mon 30 Nov.

type PauseRow = [label: string, tier: TierName | null, acceptedAt: string, pauses: [string, string | null][], restartedAt: string | null, expected: Record<string, string>];
const pausesOf = (p: [string, string | null][]): ClockPause[] => p.map(([from, to]) => ({ from: at(from), to: to ? at(to) : null }));

// Without any pause, an L2 accepted Mon 2 Nov 10:00: to_supervisor 14:00; feedback 5 wd Tue 3 – Mon 9 → 9 Nov 18:00;
// investigation 2 Nov + 10 = Thu 12 → 13 Nov 00:00; statutory 2 Nov + 15 = Tue 17 → 18 Nov 00:00.
// L3: feedback 7 wd Tue 3 – Wed 11 → 11 Nov 18:00.
describe('pauses and restarts', () => {
  it.each<PauseRow>([
    [
      // Paused Wed 4 Nov 15:00 – Mon 9 Nov 11:30: working days whose service hours it overlaps: Wed 4, Thu 5, Fri 6, Mon 9.
      // feedback 7 wd: Tue 3 (1), [4, 5, 6, 9 paused], Tue 10 (2), Wed 11 (3), Thu 12 (4), Fri 13 (5), Mon 16 (6), Tue 17 (7).
      // Calendar days it touches: 4, 5, 6, 7, 8, 9 Nov (6). statutory: Tue 3 (1), Tue 10 (2) … Mon 23 (15) → 24:00
      // (= 17 Nov + 6). investigation: Tue 10 (2) … Wed 18 (10) → 24:00 (= 12 Nov + 6).
      'L3, a finished pause of 4 working days / 6 calendar days',
      'L3', '2026-11-02T10:00:00+08:00', [['2026-11-04T15:00:00+08:00', '2026-11-09T11:30:00+08:00']], null,
      { investigation: T('2026-11-19T00:00'), feedback: T('2026-11-17T18:00'), statutory_decision: T('2026-11-24T00:00') },
    ],
    [
      // Paused Fri 6 Nov 18:30 – Mon 9 Nov 08:30: no service hours touched → to_supervisor and feedback unchanged (9 Nov 18:00).
      // Calendar days touched: 6, 7, 8, 9 Nov (4). statutory: 3 (1), 4 (2), 5 (3), 10 (4) … Sat 21 (15) → Mon 23, 24:00.
      // investigation: 3, 4, 5, 10 … 16 (10) → Mon 16 Nov, 24:00.
      'L2, a weekend pause: no working day lost, four calendar days lost',
      'L2', '2026-11-02T10:00:00+08:00', [['2026-11-06T18:30:00+08:00', '2026-11-09T08:30:00+08:00']], null,
      { to_supervisor: T('2026-11-02T14:00'), investigation: T('2026-11-17T00:00'), feedback: T('2026-11-09T18:00'), statutory_decision: T('2026-11-24T00:00') },
    ],
    [
      // Paused Wed 11 Nov 10:00 – Fri 13 Nov 10:00: to_supervisor (2 Nov 14:00) and feedback (9 Nov 18:00) were due
      // before it began → unchanged. Still pending: investigation and statutory; days touched 11, 12, 13 Nov.
      // investigation: 3 … 10 Nov (8), 14 (9), Sun 15 (10) → Mon 16, 24:00. statutory: 3 … 10 (8), 14 (9) … Fri 20 (15) → 24:00.
      'L2, a pause after some deadlines fell due moves only the pending ones',
      'L2', '2026-11-02T10:00:00+08:00', [['2026-11-11T10:00:00+08:00', '2026-11-13T10:00:00+08:00']], null,
      { to_supervisor: T('2026-11-02T14:00'), investigation: T('2026-11-17T00:00'), feedback: T('2026-11-09T18:00'), statutory_decision: T('2026-11-21T00:00') },
    ],
    [
      // Still waiting since Wed 4 Nov 15:00: feedback (11 Nov 18:00), investigation (13 Nov) and statutory (18 Nov) were
      // pending → no due time until the appraisal is back.
      'L3, a pause still open suspends every pending deadline',
      'L3', '2026-11-02T10:00:00+08:00', [['2026-11-04T15:00:00+08:00', null]], null,
      {},
    ],
    [
      // Still waiting since Mon 2 Nov 15:00: to_supervisor was due at 14:00, before → kept; the rest suspended.
      'L2, a pause still open keeps what was due before it began',
      'L2', '2026-11-02T10:00:00+08:00', [['2026-11-02T15:00:00+08:00', null]], null,
      { to_supervisor: T('2026-11-02T14:00') },
    ],
    [
      // L1 accepted Fri 18 Sep 10:00 (windows 10:15, 11:00, Sat 19 10:00). Paused 10:30 – 12:40 (2 h 10 min):
      // first_response 10:15 was due before → unchanged; forward 11:00 + 2:10 = 13:10; meeting Sat 19 10:00 + 2:10 = 12:10.
      // The pause lies on the day of acceptance, which no day period counts → feedback (22 Sep 18:00), investigation
      // (29 Sep 00:00) and statutory (9 Oct 00:00) unchanged.
      'L1, around-the-clock windows move by the elapsed pause',
      'L1', '2026-09-18T10:00:00+08:00', [['2026-09-18T10:30:00+08:00', '2026-09-18T12:40:00+08:00']], null,
      {
        first_response: T('2026-09-18T10:15'), forward_to_leadership: T('2026-09-18T13:10'), leadership_meeting: T('2026-09-19T12:10'),
        investigation: T('2026-09-29T00:00'), feedback: T('2026-09-22T18:00'), statutory_decision: T('2026-10-09T00:00'),
      },
    ],
    [
      // L2 accepted Mon 21 Sep 2026 16:00; paused Mon 17:00 – Tue 22 10:00. to_supervisor: 16:00–17:00 runs (1 h), the
      // pause takes 17:00–18:00 and Tue 09:00–10:00, then 3 h from 10:00 → Tue 13:00 (without the pause: Tue 11:00).
      // feedback: Tue 22's service hours are touched → not counted: Wed 23 (1), Thu 24 (2), [25–27 Sep], Mon 28 (3),
      // Tue 29 (4), Wed 30 (5) (without the pause: Tue 29).
      // statutory: day touched after acceptance: Tue 22. Wed 23 (1) … Wed 7 Oct (15), a holiday → Thu 8, 24:00 — the same
      // as without the pause (21 Sep + 15 = 6 Oct, holiday → 8 Oct): the holiday absorbs the lost day.
      // investigation: Wed 23 (1) … Fri 2 Oct (10), holiday → Thu 8, 24:00 (without: 1 Oct → 8 Oct).
      'L2, service-hour window and working days across 中秋/国庆 2026',
      'L2', '2026-09-21T16:00:00+08:00', [['2026-09-21T17:00:00+08:00', '2026-09-22T10:00:00+08:00']], null,
      { to_supervisor: T('2026-09-22T13:00'), investigation: T('2026-10-09T00:00'), feedback: T('2026-09-30T18:00'), statutory_decision: T('2026-10-09T00:00') },
    ],
    [
      // L2 accepted Mon 21 Sep 2026 10:00; paused Wed 23 14:00 – Mon 28 11:00 (over 中秋). Working days touched: Wed 23,
      // Thu 24, Mon 28. feedback: Tue 22 (1), Tue 29 (2), Wed 30 (3), [1–7 Oct], Thu 8 (4), Fri 9 (5) (without: 29 Sep).
      // Calendar days touched: 23–28 Sep (6). statutory: Tue 22 (1), 29 Sep (2) … Mon 12 Oct (15) → 24:00 (without: 9 Oct).
      // investigation: 22 (1), 29 (2), 30 (3), 1 Oct (4) … 7 Oct (10), holiday → Thu 8, 24:00 (unchanged).
      'L2, an appraisal over 中秋 2026 pushes the feedback past 国庆',
      'L2', '2026-09-21T10:00:00+08:00', [['2026-09-23T14:00:00+08:00', '2026-09-28T11:00:00+08:00']], null,
      { to_supervisor: T('2026-09-21T14:00'), investigation: T('2026-10-09T00:00'), feedback: T('2026-10-09T18:00'), statutory_decision: T('2026-10-13T00:00') },
    ],
    [
      // Two pauses: Tue 3 Nov 09:00–10:00 and Thu 5 Nov 17:00 – Fri 6 Nov 09:30. Working days touched: Tue 3, Thu 5, Fri 6.
      // feedback 5 wd: Wed 4 (1), Mon 9 (2), Tue 10 (3), Wed 11 (4), Thu 12 (5). Calendar days touched: 3, 5, 6 Nov.
      // statutory: 4 (1), 7 (2) … Fri 20 (15) → 24:00. investigation: 4 (1), 7 (2), 8 (3), 9 (4), 10 (5), 11 (6),
      // 12 (7), 13 (8), 14 (9), Sun 15 (10) → Mon 16, 24:00.
      'L2, two pauses add up',
      'L2', '2026-11-02T10:00:00+08:00', [['2026-11-05T17:00:00+08:00', '2026-11-06T09:30:00+08:00'], ['2026-11-03T09:00:00+08:00', '2026-11-03T10:00:00+08:00']], null,
      { to_supervisor: T('2026-11-02T14:00'), investigation: T('2026-11-17T00:00'), feedback: T('2026-11-12T18:00'), statutory_decision: T('2026-11-21T00:00') },
    ],
    [
      // New facts on Thu 12 Nov 15:00: as if accepted then. to_supervisor 15:00–18:00 (3 h) + Fri 13 09:00 + 1 h = 10:00.
      // feedback 5 wd: Fri 13 (1), Mon 16 (2), Tue 17 (3), Wed 18 (4), Thu 19 (5). investigation: 12 + 10 = Sun 22 → Mon 23,
      // 24:00. statutory: 12 + 15 = Fri 27 → 24:00. The pause before the restart (4–9 Nov) no longer matters.
      'L2, a restart counts from the new facts; earlier pauses are spent',
      'L2', '2026-11-02T10:00:00+08:00', [['2026-11-04T15:00:00+08:00', '2026-11-09T11:30:00+08:00']], '2026-11-12T15:00:00+08:00',
      { to_supervisor: T('2026-11-13T10:00'), investigation: T('2026-11-24T00:00'), feedback: T('2026-11-19T18:00'), statutory_decision: T('2026-11-28T00:00') },
    ],
    [
      // Restart Thu 12 Nov 15:00, then paused Mon 16 Nov 09:00–12:00. to_supervisor (13 Nov 10:00) was due before → kept.
      // feedback: Fri 13 (1), [Mon 16 touched], Tue 17 (2), Wed 18 (3), Thu 19 (4), Fri 20 (5).
      // statutory: 13 (1), 14 (2), 15 (3), [16], 17 (4) … Sat 28 (15) → Mon 30, 24:00.
      // investigation: 13 (1), 14 (2), 15 (3), 17 (4) … Mon 23 (10) → 24:00 (as without the pause, which ended on Sun 22).
      'L2, a pause after a restart',
      'L2', '2026-11-02T10:00:00+08:00', [['2026-11-16T09:00:00+08:00', '2026-11-16T12:00:00+08:00']], '2026-11-12T15:00:00+08:00',
      { to_supervisor: T('2026-11-13T10:00'), investigation: T('2026-11-24T00:00'), feedback: T('2026-11-20T18:00'), statutory_decision: T('2026-12-01T00:00') },
    ],
    [
      // Restart on the make-up Saturday 28 Feb 2026 10:00 of an L1 accepted 10 Feb: windows from the restart: 10:15,
      // 11:00, Sun 1 Mar 10:00. feedback 3 wd: Mon 2 (1), Tue 3 (2), Wed 4 (3). investigation: 28 Feb + 10 = Tue 10 Mar
      // → 24:00. statutory: 28 Feb + 15 = Sun 15 Mar → Mon 16, 24:00.
      'L1, restarted on a make-up Saturday',
      'L1', '2026-02-10T10:00:00+08:00', [], '2026-02-28T10:00:00+08:00',
      {
        first_response: T('2026-02-28T10:15'), forward_to_leadership: T('2026-02-28T11:00'), leadership_meeting: T('2026-03-01T10:00'),
        investigation: T('2026-03-11T00:00'), feedback: T('2026-03-04T18:00'), statutory_decision: T('2026-03-17T00:00'),
      },
    ],
  ])('%s', (_label, tier, acceptedAt, pauses, restartedAt, expected) => {
    const d = computeDeadlines({
      acceptedAt: at(acceptedAt), tier, urgent: false, policy, calendar: calendar(), pauses: pausesOf(pauses), restartedAt: restartedAt ? at(restartedAt) : null,
    });
    expect(local(d)).toEqual(expected);
  });

  it('reports what an open pause suspends and since when', () => {
    const s = computeDeadlineSchedule({
      acceptedAt: at('2026-11-02T10:00:00+08:00'), tier: 'L2', urgent: false, policy, calendar: calendar(),
      pauses: [{ from: at('2026-11-02T15:00:00+08:00'), to: null }],
    });
    expect(s.suspended).toEqual(['investigation', 'feedback', 'statutory_decision']);
    expect(s.pausedSince?.toISOString()).toBe(at('2026-11-02T15:00:00+08:00').toISOString());
    expect(s.clockStart.toISOString()).toBe(at('2026-11-02T10:00:00+08:00').toISOString());
    expect(s.decisionDays).toBe(15);
  });

  it('a pause of no length, or one entirely before the restart, changes nothing', () => {
    const base = { acceptedAt: at('2026-11-02T10:00:00+08:00'), tier: 'L2' as const, urgent: false, policy, calendar: calendar() };
    const plain = local(computeDeadlines(base));
    expect(local(computeDeadlines({ ...base, pauses: [{ from: at('2026-11-04T10:00:00+08:00'), to: at('2026-11-04T10:00:00+08:00') }] }))).toEqual(plain);
    const restarted = { ...base, restartedAt: at('2026-11-05T10:00:00+08:00') };
    expect(local(computeDeadlines({ ...restarted, pauses: [{ from: at('2026-11-03T10:00:00+08:00'), to: at('2026-11-04T10:00:00+08:00') }] }))).toEqual(
      local(computeDeadlines(restarted)),
    );
  });

  it.each<[string, Partial<DeadlineInput>]>([
    ['a pause ending before it starts', { pauses: [{ from: at('2026-11-04T10:00:00+08:00'), to: at('2026-11-03T10:00:00+08:00') }] }],
    ['two open pauses', { pauses: [{ from: at('2026-11-04T10:00:00+08:00'), to: null }, { from: at('2026-11-05T10:00:00+08:00'), to: null }] }],
    ['a restart before acceptance', { restartedAt: at('2026-11-01T10:00:00+08:00') }],
    ['an extension not longer than the statutory period', { extendedDecisionDays: 15 }],
    ['an extension past the 60-day cap', { extendedDecisionDays: 61 }],
  ])('refuses %s', (_label, extra) => {
    expect(() =>
      computeDeadlines({ acceptedAt: at('2026-11-02T10:00:00+08:00'), tier: 'L2', urgent: false, policy, calendar: calendar(), ...extra }),
    ).toThrow(RangeError);
  });
});

describe('extensions (30, then 60 days)', () => {
  it.each<[string, number, string, Record<string, string>]>([
    // Tue 1 Sep 2026 + 30 = Thu 1 Oct, a holiday; 2–7 Oct holidays → Thu 8 Oct, 24:00. The investigation and the
    // feedback (the date the customer is told) follow the extended decision.
    ['30 days ending in 国庆', 30, '2026-09-01T10:00:00+08:00', { to_supervisor: T('2026-09-01T14:00'), investigation: T('2026-10-09T00:00'), feedback: T('2026-10-09T00:00'), statutory_decision: T('2026-10-09T00:00') }],
    // Tue 1 Sep 2026 + 60 = Sat 31 Oct → Mon 2 Nov, 24:00.
    ['60 days ending on a Saturday', 60, '2026-09-01T10:00:00+08:00', { to_supervisor: T('2026-09-01T14:00'), investigation: T('2026-11-03T00:00'), feedback: T('2026-11-03T00:00'), statutory_decision: T('2026-11-03T00:00') }],
  ])('%s', (_label, days, acceptedAt, expected) => {
    const d = computeDeadlines({ acceptedAt: at(acceptedAt), tier: 'L2', urgent: false, policy, calendar: calendar(), extendedDecisionDays: days });
    expect(local(d)).toEqual(expected);
  });

  it('an extended period is paused like the statutory one', () => {
    // Mon 2 Nov 2026 + 30 = Wed 2 Dec → 24:00. Paused Tue 10 Nov 10:00 – Thu 12 Nov 10:00: days 10, 11, 12 do not
    // count → Sat 5 Dec → Mon 7 Dec, 24:00.
    const d = computeDeadlines({
      acceptedAt: at('2026-11-02T10:00:00+08:00'), tier: 'L3', urgent: false, policy, calendar: calendar(), extendedDecisionDays: 30,
      pauses: [{ from: at('2026-11-10T10:00:00+08:00'), to: at('2026-11-12T10:00:00+08:00') }],
    });
    expect(local(d)).toEqual({ investigation: T('2026-12-08T00:00'), feedback: T('2026-12-08T00:00'), statutory_decision: T('2026-12-08T00:00') });
  });
});
