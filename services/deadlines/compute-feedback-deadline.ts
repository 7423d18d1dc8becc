// When the customer must have the result. The tier's working-day target, capped by the statutory
// calendar-day limit: no internal target may fall after the statutory one (requirements.md,
// "How time is counted"), so around long holidays the statutory date can be the earlier one.
// Shorthands for a complaint whose clock never stopped; pauses, restarts and extensions go through
// computeDeadlineSchedule (compute-deadlines.ts), which these delegate to.
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy, TierName } from '../policy/policy';
import { computeDeadlineSchedule } from './compute-deadlines';

export interface StatutoryDeadlineInput {
  acceptedAt: Date;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
}

export interface FeedbackDeadlineInput extends StatutoryDeadlineInput {
  /** null before triage: the policy then gives L3's window. */
  tier: TierName | null;
}

/** 24:00 of the last of `statutory.decisionDays` calendar days, moved past rest days (民法典 203). */
export function computeStatutoryDecisionDeadline({ acceptedAt, policy, calendar }: StatutoryDeadlineInput): Date {
  return calendar.addCalendarDays(acceptedAt, policy.statutory.decisionDays);
}

/** The earlier of the tier's working-day feedback target and the statutory decision deadline. */
export function computeFeedbackDeadline({ acceptedAt, tier, policy, calendar }: FeedbackDeadlineInput): Date {
  // No pause, so nothing is suspended: feedback is always there.
  return computeDeadlineSchedule({ acceptedAt, tier, urgent: false, policy, calendar }).deadlines.feedback!;
}
