// Every deadline a complaint has, by tier (requirements.md, "How time is counted"): level-1 and
// urgent windows run around the clock; other hour windows run in service hours; day periods start
// the day after acceptance; nothing may fall after the statutory limit. Pure: every instant is an
// argument.
//
// The clock can stop and restart (requirements.md: "time spent waiting for an external appraisal
// does not count; new facts from the customer restart the clock"):
//
// Restart (`restartedAt`): every period counts from the restart as if the complaint had been
// accepted then — day periods from the day after the restart, hour windows from the restart
// instant. Pauses that ended before the restart no longer matter.
//
// Pauses (`pauses`, each [from, to), `to: null` while still waiting): a deadline moves only if it
// was still pending when the pause began (its due time, counting the earlier pauses, lies after
// `from`); a deadline already due by then stays where it is. How far it moves depends on how its
// period is counted — the paused time is taken out of the period in the period's own unit:
//  - around-the-clock windows (L1 windows, urgent first response): by the elapsed paused time,
//    to the millisecond (paused 2 h 10 min → 2 h 10 min later);
//  - service-hour windows (L2 to the supervisor): by the service time (09:00–18:00 on working days)
//    the pause covered (paused Mon 17:00 – Tue 10:00 → 2 service hours later);
//  - working-day periods (tier feedback): a working day whose service hours the pause overlaps,
//    even by one minute, does not count, so the period ends that many working days later; a
//    pause that touches no service hours (an evening, a weekend, a holiday) moves nothing;
//  - calendar-day periods (investigation, statutory decision 15 days, or 30/60 extended): a
//    calendar day the pause overlaps, any part of 00:00–24:00, does not count, so the period ends
//    that many calendar days later; if the last day is a rest day or paused, the period ends on
//    the next working day not paused (民法典 203), at 24:00.
// Whole days are never split: the day of acceptance does not count (民法典 201), and by the same
// rule neither does a day the clock stood still on. The statutory limit is extended like any other
// calendar-day period (the regulation excludes appraisal time), and internal targets are still
// capped by it.
//
// A pause still open has no end, so the deadlines pending when it began have no due time yet: they
// are left out of `deadlines` and listed in `suspended` until the pause ends. Deadlines already due
// before it began keep their time.
//
// Extension (`extendedDecisionDays`, granted 30 then 60 days): replaces `statutory.decisionDays`;
// the investigation and the feedback to the customer are due with the extended decision (the date
// the customer is told), not by the shorter tier targets the extension was granted to leave.
import { normaliseStops, type BusinessCalendar, type ClockStop } from '../calendar/business-calendar';
import { feedbackBusinessDays, type ComplaintPolicy, type TierName } from '../policy/policy';

export const DEADLINE_KINDS = [
  'first_response', 'to_supervisor', 'forward_to_leadership', 'leadership_meeting', 'investigation', 'feedback', 'statutory_decision',
] as const;
export type DeadlineKindName = (typeof DEADLINE_KINDS)[number];
export type Deadlines = Partial<Record<DeadlineKindName, Date>>;

/** Time the clock stood still waiting for an external appraisal; `to: null` while still waiting. */
export interface ClockPause {
  from: Date;
  to: Date | null;
}

export interface DeadlineInput {
  acceptedAt: Date;
  /** null: not yet triaged (L3 windows). */
  tier: TierName | null;
  urgent: boolean;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  /** Appraisal pauses, any order; they may overlap (merged). At most one may be open. */
  pauses?: readonly ClockPause[];
  /** New facts from the customer: periods count from here as if accepted then. Not before acceptedAt. */
  restartedAt?: Date | null;
  /**
   * Calendar days of the decision period after an approved extension (e.g. 30, then 60): more than
   * `statutory.decisionDays`, at most `investigation.extendedMaxDays`. null/absent: no extension.
   */
  extendedDecisionDays?: number | null;
}

export interface DeadlineSchedule {
  /** Where the periods count from: the restart, else acceptance. */
  clockStart: Date;
  /** Due times; kinds suspended by an open pause are absent. */
  deadlines: Deadlines;
  /** Kinds that were pending when the open pause began: no due time until it ends. */
  suspended: DeadlineKindName[];
  /** Start of the open pause, if the clock is stopped now. */
  pausedSince: Date | null;
  /** Calendar days of the decision period used (statutory or extended). */
  decisionDays: number;
}

const MINUTE = 60_000;

/** The due times (kinds suspended by an open pause left out); see computeDeadlineSchedule. */
export function computeDeadlines(input: DeadlineInput): Deadlines {
  return computeDeadlineSchedule(input).deadlines;
}

export function computeDeadlineSchedule(input: DeadlineInput): DeadlineSchedule {
  const { acceptedAt, tier, urgent, policy, calendar } = input;
  const start = clockStartOf(acceptedAt, input.restartedAt ?? null);
  const { stops, pausedSince } = splitPauses(input.pauses ?? [], start);
  const decisionDays = decisionDaysOf(policy, input.extendedDecisionDays ?? null);
  const extended = decisionDays !== policy.statutory.decisionDays;

  // Everything is first computed with the finished pauses only; an open pause then suspends what
  // was still pending when it began.
  const statutory = calendar.addCalendarDays(start, decisionDays, stops);
  const capped = (d: Date) => (d.getTime() < statutory.getTime() ? d : statutory);
  const aroundTheClock = (minutes: number) => capped(addElapsedMinutes(start, minutes, stops));

  const all: Deadlines = {};
  if (tier === 'L1') {
    all.first_response = aroundTheClock(policy.urgent.l1InitialResponseMinutes);
  } else if (urgent) {
    all.first_response = aroundTheClock(policy.urgent.initialResponseMinutes);
  }
  if (tier === 'L2') {
    // "Hour and minute windows run inside service hours … except level-1 and urgent windows, which run
    // around the clock": an urgent L2's four hours to the supervisor are elapsed hours. (The person's
    // first response within the urgent window is its own step, first_response.)
    all.to_supervisor = urgent
      ? aroundTheClock(policy.l2.toSupervisorHours * 60)
      : capped(calendar.addServiceMinutes(start, policy.l2.toSupervisorHours * 60, stops));
  }
  if (tier === 'L1') {
    all.forward_to_leadership = aroundTheClock(policy.l1.forwardToLeadershipMinutes);
    all.leadership_meeting = aroundTheClock(policy.l1.meetingHours * 60);
  }
  all.investigation = extended ? statutory : capped(calendar.addCalendarDays(start, policy.investigation.days, stops));
  all.feedback = extended ? statutory : capped(calendar.addWorkingDays(start, feedbackBusinessDays(policy, tier), stops));
  all.statutory_decision = statutory;

  const deadlines: Deadlines = {};
  const suspended: DeadlineKindName[] = [];
  for (const kind of DEADLINE_KINDS) {
    const due = all[kind];
    if (!due) continue;
    if (pausedSince && due.getTime() > pausedSince.getTime()) suspended.push(kind);
    else deadlines[kind] = due;
  }
  return { clockStart: start, deadlines, suspended, pausedSince, decisionDays };
}

/** The time a person will contact the customer by, for the acknowledgement; null for level 3. */
export function personContactBy(deadlines: Deadlines): Date | null {
  return deadlines.first_response ?? deadlines.to_supervisor ?? null;
}

/** `minutes` of running clock after `from`, around the clock; time inside a stop does not run. */
export function addElapsedMinutes(from: Date, minutes: number, stops: readonly ClockStop[] = []): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be >= 0, got ${minutes}`);
  let t = from.getTime();
  let remaining = minutes * MINUTE;
  for (const [s, e] of normaliseStops(stops)) {
    if (e <= t) continue;
    if (s >= t + remaining) break; // the window was over before this pause began
    if (s > t) remaining -= s - t;
    t = e;
  }
  return new Date(t + remaining);
}

function clockStartOf(acceptedAt: Date, restartedAt: Date | null): Date {
  if (Number.isNaN(acceptedAt.getTime())) throw new RangeError('acceptedAt is not a valid date');
  if (!restartedAt) return acceptedAt;
  if (Number.isNaN(restartedAt.getTime())) throw new RangeError('restartedAt is not a valid date');
  if (restartedAt.getTime() < acceptedAt.getTime()) {
    throw new RangeError(`the clock cannot restart (${restartedAt.toISOString()}) before acceptance (${acceptedAt.toISOString()})`);
  }
  return restartedAt;
}

/** Finished pauses as stops, clipped to the clock start; the open pause's start (not before the clock start). */
function splitPauses(pauses: readonly ClockPause[], start: Date): { stops: ClockStop[]; pausedSince: Date | null } {
  const stops: ClockStop[] = [];
  let pausedSince: Date | null = null;
  for (const { from, to } of pauses) {
    if (Number.isNaN(from.getTime()) || (to && Number.isNaN(to.getTime()))) throw new RangeError('a pause needs valid dates');
    if (to && to.getTime() < from.getTime()) {
      throw new RangeError(`a pause must not end before it starts (${from.toISOString()} > ${to.toISOString()})`);
    }
    if (to === null) {
      if (pausedSince) throw new RangeError('at most one pause can be open');
      pausedSince = new Date(Math.max(from.getTime(), start.getTime()));
    } else if (to.getTime() > start.getTime()) {
      stops.push({ from: new Date(Math.max(from.getTime(), start.getTime())), to });
    }
  }
  return { stops, pausedSince };
}

function decisionDaysOf(policy: ComplaintPolicy, extended: number | null): number {
  if (extended === null) return policy.statutory.decisionDays;
  if (!Number.isInteger(extended) || extended <= policy.statutory.decisionDays || extended > policy.investigation.extendedMaxDays) {
    throw new RangeError(
      `an extended decision period must be a whole number of days above ${policy.statutory.decisionDays} and at most ${policy.investigation.extendedMaxDays}, got ${extended}`,
    );
  }
  return extended;
}
