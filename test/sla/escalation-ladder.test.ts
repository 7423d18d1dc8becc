// The escalation ladder and the timer times as tables: pure functions of the complaint, its alerts,
// the policy and the clock.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import {
  nextEscalations,
  type EscalationInput,
  type LadderAlert,
} from '../../services/sla/escalation-ladder';
import { plannedDeadlineTimers, warningTime } from '../../services/sla/timer-plan';
import { testCalendar } from '../support/app';

const T0 = new Date('2026-09-29T10:00:00+08:00'); // a Tuesday, in service hours
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const alert = (kind: string, recipientRole: string, status: LadderAlert['status'] = 'open', createdAt = T0): LadderAlert => ({ kind, recipientRole, status, createdAt });
const supervisorL1 = alert('triage.l1', 'supervisor');
const supervisorL2 = alert('triage.l2', 'supervisor');

const base = { urgent: false, policy: DEFAULT_POLICY, calendar: testCalendar(), now: T0 } satisfies Partial<EscalationInput>;
const brief = (input: EscalationInput) => nextEscalations(input).map((e) => [e.recipientRole, e.kind, e.dueAt?.toISOString() ?? 'now']);

describe('nextEscalations: the climb when nobody acknowledges', () => {
  const cases: Array<[string, Partial<EscalationInput>, string[][]]> = [
    ['L1: leadership group 60 minutes after the supervisor alert', { tier: 'L1', alerts: [supervisorL1] }, [['leadership', 'ladder.leadership', at(60).toISOString()]]],
    ['L1, asked after the hour: the same due time (now past)', { tier: 'L1', alerts: [supervisorL1], now: at(61) }, [['leadership', 'ladder.leadership', at(60).toISOString()]]],
    ['L1 acknowledged by the supervisor: no climb', { tier: 'L1', alerts: [alert('triage.l1', 'supervisor', 'acknowledged')] }, []],
    ['L1, one of two supervisors acknowledged: no climb', { tier: 'L1', alerts: [supervisorL1, alert('triage.l1', 'supervisor', 'acknowledged')] }, []],
    ['L1 already with the leadership group: no second climb', { tier: 'L1', alerts: [supervisorL1, alert('ladder.leadership', 'leadership')] }, []],
    ['L1 without a supervisor alert: nothing to climb from', { tier: 'L1', alerts: [] }, []],
    // 10:00 Tuesday + 4 service hours = 14:00 the same day.
    ['L2: leadership group after 4 business hours', { tier: 'L2', alerts: [supervisorL2] }, [['leadership', 'ladder.leadership', '2026-09-29T06:00:00.000Z']]],
    // 16:00 Wednesday 30 Sep + 4 service hours: 2 h that day, then 国庆 (1–7 Oct 2026): the other 2 h on Thursday 8 Oct.
    ['L2 before 国庆: the business hours skip the holiday', { tier: 'L2', alerts: [alert('triage.urgent', 'supervisor', 'open', new Date('2026-09-30T16:00:00+08:00'))] }, [['leadership', 'ladder.leadership', '2026-10-08T03:00:00.000Z']]],
    ['L2 acknowledged: no climb', { tier: 'L2', alerts: [alert('triage.l2', 'supervisor', 'resolved')] }, []],
    ['L3 (urgent): no timed climb', { tier: 'L3', urgent: true, alerts: [alert('triage.urgent', 'supervisor')] }, []],
    ['not yet triaged: no climb', { tier: null, alerts: [] }, []],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => expect(brief({ ...base, step: 'ladder', tier: null, alerts: [], ...input } as EscalationInput)).toEqual(expected));
  }

  it('takes fractional minutes, so tests can shorten the window to seconds', () => {
    const policy = { alertLadder: { ...DEFAULT_POLICY.alertLadder, l1: { ...DEFAULT_POLICY.alertLadder.l1, leadershipAfterMinutes: 0.05 } } };
    expect(brief({ ...base, policy, step: 'ladder', tier: 'L1', alerts: [supervisorL1] })).toEqual([['leadership', 'ladder.leadership', new Date(T0.getTime() + 3_000).toISOString()]]);
  });
});

describe('nextEscalations: warnings and breaches', () => {
  const cases: Array<[string, Partial<EscalationInput>, string[][]]> = [
    ['a warning goes to the supervisor', { tier: 'L3', step: 'warning', deadlineKind: 'feedback' }, [['supervisor', 'sla.warning.feedback', 'now']]],
    ['an L3 breach goes to the supervisor only', { tier: 'L3', step: 'breach', deadlineKind: 'feedback' }, [['supervisor', 'sla.breach.feedback', 'now']]],
    ['an L1 feedback breach reaches senior management', { tier: 'L1', step: 'breach', deadlineKind: 'feedback' }, [['supervisor', 'sla.breach.feedback', 'now'], ['leadership', 'ladder.senior_management', 'now']]],
    ['an L1 statutory breach reaches senior management', { tier: 'L1', step: 'breach', deadlineKind: 'statutory_decision' }, [['supervisor', 'sla.breach.statutory_decision', 'now'], ['leadership', 'ladder.senior_management', 'now']]],
    ['an L1 investigation breach stays with the supervisor', { tier: 'L1', step: 'breach', deadlineKind: 'investigation' }, [['supervisor', 'sla.breach.investigation', 'now']]],
    ['an L2 feedback breach stays with the supervisor', { tier: 'L2', step: 'breach', deadlineKind: 'feedback' }, [['supervisor', 'sla.breach.feedback', 'now']]],
    ['urgent first response missed: one level up, to the leadership group', { tier: 'L3', urgent: true, step: 'breach', deadlineKind: 'first_response', alerts: [alert('triage.urgent', 'supervisor')] }, [['supervisor', 'sla.breach.first_response', 'now'], ['leadership', 'ladder.leadership', 'now']]],
    ['urgent first response missed, even when the supervisor acknowledged', { tier: 'L2', urgent: true, step: 'breach', deadlineKind: 'first_response', alerts: [alert('triage.urgent', 'supervisor', 'acknowledged')] }, [['supervisor', 'sla.breach.first_response', 'now'], ['leadership', 'ladder.leadership', 'now']]],
    ['L1 first response missed after the leadership group was told: senior management', { tier: 'L1', step: 'breach', deadlineKind: 'first_response', alerts: [supervisorL1, alert('ladder.leadership', 'leadership')] }, [['supervisor', 'sla.breach.first_response', 'now'], ['leadership', 'ladder.senior_management', 'now']]],
    ['L1 first response missed: leadership group', { tier: 'L1', step: 'breach', deadlineKind: 'first_response', alerts: [supervisorL1] }, [['supervisor', 'sla.breach.first_response', 'now'], ['leadership', 'ladder.leadership', 'now']]],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => expect(brief({ ...base, step: 'warning', tier: null, alerts: [], ...input } as EscalationInput)).toEqual(expected));
  }

  it('scopes deadline alerts to one due time and ladder alerts to the complaint', () => {
    const [supervisor, senior] = nextEscalations({ ...base, tier: 'L1', step: 'breach', deadlineKind: 'feedback', alerts: [] });
    expect([supervisor?.scope, senior?.scope]).toEqual(['deadline', 'complaint']);
  });
});

describe('timer times', () => {
  it('warns at the given share of the window', () => {
    expect(warningTime(T0, at(100), 80)).toEqual(at(80));
    expect(warningTime(T0, at(15), 80)).toEqual(at(12));
    expect(warningTime(T0, T0, 80)).toBeNull();
  });

  const deadline = { id: '00000000-0000-4000-8000-000000000001', startsAt: T0, dueAt: at(100) };
  const plan = (d: Parameters<typeof plannedDeadlineTimers>[0], now = T0) =>
    plannedDeadlineTimers(d, { warnAtPercent: 80, now }).map((t) => [t.jobId, t.name, new Date(t.fireAt).toISOString()]);
  const id = deadline.id;
  const cases: Array<[string, Parameters<typeof plannedDeadlineTimers>[0], Date, string[][]]> = [
    ['pending: warning and breach', deadline, T0, [[`dl-${id}-warn`, 'deadline.warning', at(80).toISOString()], [`dl-${id}-breach`, 'deadline.breach', at(100).toISOString()]]],
    ['warned: breach only', { ...deadline, warnedAt: at(80) }, at(81), [[`dl-${id}-breach`, 'deadline.breach', at(100).toISOString()]]],
    ['past its warning time: still warned (at once)', deadline, at(90), [[`dl-${id}-warn`, 'deadline.warning', at(80).toISOString()], [`dl-${id}-breach`, 'deadline.breach', at(100).toISOString()]]],
    ['past due: no warning, the breach (at once)', deadline, at(101), [[`dl-${id}-breach`, 'deadline.breach', at(100).toISOString()]]],
    ['met: nothing', { ...deadline, metAt: at(10) }, T0, []],
    ['breached: nothing', { ...deadline, breachedAt: at(100) }, at(100), []],
  ];
  for (const [what, d, now, expected] of cases) it(what, () => expect(plan(d, now)).toEqual(expected));

  it('never puts ":" in a job id (BullMQ reserves it)', () => {
    for (const timer of plannedDeadlineTimers(deadline, { warnAtPercent: 80, now: T0 })) expect(timer.jobId).not.toContain(':');
  });
});
