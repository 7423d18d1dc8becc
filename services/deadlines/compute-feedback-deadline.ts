// When the customer must have the result. The tier's working-day target, capped by the statutory
// calendar-day limit: no internal target may fall after the statutory one (requirements.md,
// "How time is counted"), so around long holidays the statutory date can be the earlier one.
import type { BusinessCalendar } from '../calendar/business-calendar';
import { feedbackBusinessDays, type ComplaintPolicy, type TierName } from '../policy/policy';

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
  const tierTarget = calendar.addWorkingDays(acceptedAt, feedbackBusinessDays(policy, tier));
  const statutory = computeStatutoryDecisionDeadline({ acceptedAt, policy, calendar });
  return tierTarget.getTime() <= statutory.getTime() ? tierTarget : statutory;
}
