import { describe, expect, it } from 'vitest';
import cnHolidays from '../../services/calendar/cn-holidays.json';
import { createBusinessCalendar } from '../../services/calendar/business-calendar';
import { computeFeedbackDeadline, computeStatutoryDecisionDeadline } from '../../services/deadlines/compute-feedback-deadline';
import { DEFAULT_POLICY, type ComplaintPolicy, type TierName } from '../../services/policy/policy';

// Defaults: L1 3, L2 5, L3 (and untriaged) 7 working days; statutory 15 calendar days.
const policy = DEFAULT_POLICY;
const calendar = createBusinessCalendar(cnHolidays, { timeZone: policy.timeZone, serviceHours: policy.serviceHours });
const at = (iso: string) => new Date(iso);
// Test-side formatting only: Asia/Shanghai is UTC+8 all year.
const shanghai = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');

describe('computeFeedbackDeadline', () => {
  it.each<[string, string, TierName | null, string]>([
    // Mon 28 Sep 2026. Working days: Sep 29(1), 30(2), [Oct 1–7 holiday], Oct 8(3), 9(4), Sat 10 make-up(5),
    // Mon 12(6), Tue 13(7). Statutory: Sep 28 + 15 = Tue 13 Oct → 24:00, later than every tier target.
    ['L1 around National Day', '2026-09-28T10:00:00+08:00', 'L1', '2026-10-08T18:00:00+08:00'],
    ['L2 around National Day', '2026-09-28T10:00:00+08:00', 'L2', '2026-10-10T18:00:00+08:00'],
    ['L3 around National Day', '2026-09-28T10:00:00+08:00', 'L3', '2026-10-13T18:00:00+08:00'],
    ['untriaged gets L3', '2026-09-28T10:00:00+08:00', null, '2026-10-13T18:00:00+08:00'],
    // Fri 13 Feb 2026. Working days: Sat 14 make-up(1), [15–23 holiday], 24(2), 25(3), 26(4), 27(5),
    // Sat 28 make-up(6), Mon 2 Mar(7). Statutory: Feb 13 + 15 = Sat 28 Feb, a working day → 1 Mar 00:00.
    ['L1 before Spring Festival', '2026-02-13T15:00:00+08:00', 'L1', '2026-02-25T18:00:00+08:00'],
    ['L2 before Spring Festival', '2026-02-13T15:00:00+08:00', 'L2', '2026-02-27T18:00:00+08:00'],
    // L3 would be 2 Mar 18:00; the statutory limit (1 Mar 00:00) is earlier and wins.
    ['L3 capped by statute', '2026-02-13T15:00:00+08:00', 'L3', '2026-03-01T00:00:00+08:00'],
    // Thu 24 Sep 2026. Working days: [25–27 holiday], Mon 28(1), 29(2), 30(3), [Oct 1–7], 8(4), 9(5), Sat 10(6),
    // Mon 12(7) → 12 Oct 18:00. Statutory: Sep 24 + 15 = Fri 9 Oct, working → 10 Oct 00:00, earlier.
    ['L3 capped by statute at National Day', '2026-09-24T10:00:00+08:00', 'L3', '2026-10-10T00:00:00+08:00'],
    // Sep 28(1), 29(2), 30(3) → 30 Sep 18:00, well before the statute.
    ['L1 unaffected', '2026-09-24T10:00:00+08:00', 'L1', '2026-09-30T18:00:00+08:00'],
    // Fri 6 Mar 2026 20:30: Mon 9(1), 10(2), 11(3).
    ['L1 accepted Friday evening', '2026-03-06T20:30:00+08:00', 'L1', '2026-03-11T18:00:00+08:00'],
  ])('%s', (_label, acceptedAt, tier, expected) => {
    expect(shanghai(computeFeedbackDeadline({ acceptedAt: at(acceptedAt), tier, policy, calendar }))).toBe(expected);
  });

  it('follows the policy values, and the statute still caps a long internal target', () => {
    const slow: ComplaintPolicy = { ...policy, l3: { ...policy.l3, feedbackBusinessDays: 20 } };
    // Mon 2 Mar 2026 + 20 working days would be 30 Mar; statutory: Mar 2 + 15 = Tue 17 Mar → 18 Mar 00:00.
    const due = computeFeedbackDeadline({ acceptedAt: at('2026-03-02T10:00:00+08:00'), tier: 'L3', policy: slow, calendar });
    expect(shanghai(due)).toBe('2026-03-18T00:00:00+08:00');
  });
});

describe('computeStatutoryDecisionDeadline', () => {
  it.each<[string, number, string]>([
    // Sep 16 + 15 = Thu 1 Oct (holiday, block to 7 Oct) → last day Thu 8 Oct → 9 Oct 00:00.
    ['2026-09-16T10:00:00+08:00', 15, '2026-10-09T00:00:00+08:00'],
    // Sep 16 + 30 = Fri 16 Oct, working → 17 Oct 00:00.
    ['2026-09-16T10:00:00+08:00', 30, '2026-10-17T00:00:00+08:00'],
    // Sat 7 Mar + 15 = Sun 22 Mar → Mon 23 Mar → 24 Mar 00:00.
    ['2026-03-07T10:00:00+08:00', 15, '2026-03-24T00:00:00+08:00'],
  ])('%s + %d days → %s', (acceptedAt, decisionDays, expected) => {
    const p: ComplaintPolicy = { ...policy, statutory: { decisionDays } };
    expect(shanghai(computeStatutoryDecisionDeadline({ acceptedAt: at(acceptedAt), policy: p, calendar }))).toBe(expected);
  });
});
