// Every deadline a complaint has at acceptance, by tier (requirements.md, "How time is counted"):
// level-1 and urgent windows run around the clock; other hour windows run in service hours; day
// periods start the day after acceptance; nothing may fall after the statutory limit.
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy, TierName } from '../policy/policy';
import { computeFeedbackDeadline, computeStatutoryDecisionDeadline } from './compute-feedback-deadline';

export const DEADLINE_KINDS = [
  'first_response', 'to_supervisor', 'forward_to_leadership', 'leadership_meeting', 'investigation', 'feedback', 'statutory_decision',
] as const;
export type DeadlineKindName = (typeof DEADLINE_KINDS)[number];
export type Deadlines = Partial<Record<DeadlineKindName, Date>>;

export interface DeadlineInput {
  acceptedAt: Date;
  /** null: not yet triaged (L3 windows). */
  tier: TierName | null;
  urgent: boolean;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
}

const MINUTE = 60_000;

export function computeDeadlines({ acceptedAt, tier, urgent, policy, calendar }: DeadlineInput): Deadlines {
  const statutory = computeStatutoryDecisionDeadline({ acceptedAt, policy, calendar });
  const capped = (d: Date) => (d.getTime() < statutory.getTime() ? d : statutory);
  const aroundTheClock = (minutes: number) => capped(new Date(acceptedAt.getTime() + minutes * MINUTE));

  const deadlines: Deadlines = {
    feedback: computeFeedbackDeadline({ acceptedAt, tier, policy, calendar }),
    investigation: capped(calendar.addCalendarDays(acceptedAt, policy.investigation.days)),
    statutory_decision: statutory,
  };
  if (tier === 'L1') {
    deadlines.first_response = aroundTheClock(policy.urgent.l1InitialResponseMinutes);
    deadlines.forward_to_leadership = aroundTheClock(policy.l1.forwardToLeadershipMinutes);
    deadlines.leadership_meeting = aroundTheClock(policy.l1.meetingHours * 60);
  } else if (urgent) {
    deadlines.first_response = aroundTheClock(policy.urgent.initialResponseMinutes);
  }
  if (tier === 'L2') {
    deadlines.to_supervisor = urgent
      ? aroundTheClock(policy.urgent.initialResponseMinutes)
      : capped(calendar.addServiceMinutes(acceptedAt, policy.l2.toSupervisorHours * 60));
  }
  return deadlines;
}

/** The time a person will contact the customer by, for the acknowledgement; null for level 3. */
export function personContactBy(deadlines: Deadlines): Date | null {
  return deadlines.first_response ?? deadlines.to_supervisor ?? null;
}
