import { describe, expect, it } from 'vitest';
import { computeDeadlines, personContactBy } from '../../services/deadlines/compute-deadlines';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { testCalendar } from '../support/app';

const calendar = testCalendar();
const iso = (d: Date | null | undefined) => d?.toISOString();
const at = (s: string) => new Date(s).toISOString();

// Fri 27 Nov 2026, 17:30 Beijing time.
const FRIDAY_EVENING = new Date('2026-11-27T17:30:00+08:00');

describe('deadlines at acceptance', () => {
  it('level 1: around the clock for the first response, the leadership group and its meeting', () => {
    const d = computeDeadlines({ acceptedAt: FRIDAY_EVENING, tier: 'L1', urgent: true, policy: DEFAULT_POLICY, calendar });
    expect(iso(d.first_response)).toBe(at('2026-11-27T17:45:00+08:00'));
    expect(iso(d.forward_to_leadership)).toBe(at('2026-11-27T18:30:00+08:00'));
    expect(iso(d.leadership_meeting)).toBe(at('2026-11-28T17:30:00+08:00'));
    // 3 working days from Monday: 30 Nov, 1 Dec, 2 Dec → 18:00 on 2 Dec.
    expect(iso(d.feedback)).toBe(at('2026-12-02T18:00:00+08:00'));
    expect(d.to_supervisor).toBeUndefined();
    expect(iso(personContactBy(d))).toBe(at('2026-11-27T17:45:00+08:00'));
  });

  it('level 2: the supervisor within 4 service hours (Friday 17:30 → Monday 12:30)', () => {
    const d = computeDeadlines({ acceptedAt: FRIDAY_EVENING, tier: 'L2', urgent: false, policy: DEFAULT_POLICY, calendar });
    expect(iso(d.to_supervisor)).toBe(at('2026-11-30T12:30:00+08:00'));
    expect(d.first_response).toBeUndefined();
    // 5 working days: 30 Nov … 4 Dec.
    expect(iso(d.feedback)).toBe(at('2026-12-04T18:00:00+08:00'));
    expect(iso(personContactBy(d))).toBe(at('2026-11-30T12:30:00+08:00'));
  });

  it('an urgent level 2 (a threat of self-harm) gets a person within 30 minutes and the supervisor within 4 elapsed hours, at night too', () => {
    const d = computeDeadlines({ acceptedAt: new Date('2026-11-28T23:50:00+08:00'), tier: 'L2', urgent: true, policy: DEFAULT_POLICY, calendar });
    expect(iso(d.first_response)).toBe(at('2026-11-29T00:20:00+08:00'));
    // Urgent windows run around the clock: Sunday night does not wait for Monday's service hours.
    expect(iso(d.to_supervisor)).toBe(at('2026-11-29T03:50:00+08:00'));
  });

  it('level 3: no person window, 7 working days, investigation 10 calendar days', () => {
    const d = computeDeadlines({ acceptedAt: FRIDAY_EVENING, tier: 'L3', urgent: false, policy: DEFAULT_POLICY, calendar });
    expect(personContactBy(d)).toBeNull();
    // 7 working days from Mon 30 Nov → Tue 8 Dec 18:00.
    expect(iso(d.feedback)).toBe(at('2026-12-08T18:00:00+08:00'));
    // 10 calendar days from 28 Nov → 7 Dec (Mon, working) → 24:00.
    expect(iso(d.investigation)).toBe(at('2026-12-08T00:00:00+08:00'));
    // 15 calendar days → 12 Dec (Sat) → next working day Mon 14 Dec → 24:00.
    expect(iso(d.statutory_decision)).toBe(at('2026-12-15T00:00:00+08:00'));
  });

  it('never lets an internal target pass the statutory limit', () => {
    // Accepted 13 Feb 2026 (before the Spring Festival break): 7 working days would run past the
    // statutory 15 days (28 Feb, a make-up working Saturday, 24:00).
    const d = computeDeadlines({ acceptedAt: new Date('2026-02-13T10:00:00+08:00'), tier: null, urgent: false, policy: DEFAULT_POLICY, calendar });
    expect(iso(d.feedback)).toBe(iso(d.statutory_decision));
    for (const due of Object.values(d)) expect(due!.getTime()).toBeLessThanOrEqual(d.statutory_decision!.getTime());
  });

  it('pauses, restart and extension are optional: empty or null inputs change nothing', () => {
    const base = { acceptedAt: FRIDAY_EVENING, tier: 'L1' as const, urgent: true, policy: DEFAULT_POLICY, calendar };
    expect(computeDeadlines({ ...base, pauses: [], restartedAt: null, extendedDecisionDays: null })).toEqual(computeDeadlines(base));
  });
});
