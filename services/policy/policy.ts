// The complaint policy's open values (requirements.md, "Defaults"). Configuration, not code: the
// triage issue loads a versioned file over these defaults; every complaint records the version it was
// judged under.
export interface ComplaintPolicy {
  version: string;
  timeZone: string;
  serviceHours: { start: string; end: string };
  urgent: { initialResponseMinutes: number; l1InitialResponseMinutes: number };
  l1: { amountYuan: number; forwardToLeadershipMinutes: number; meetingHours: number; feedbackBusinessDays: number };
  l2: { toSupervisorHours: number; investigateBusinessDays: number; replyHoursAfterResult: number; feedbackBusinessDays: number };
  l3: { amountYuan: number; feedbackBusinessDays: number };
  investigation: { days: number; maxDays: number; extendedMaxDays: number };
  statutory: { decisionDays: number };
  survey: { delayHours: number; reminderAfterHours: number; noResponseAfterDays: number };
  review: { windowDays: number };
  compensationApproval: { teamLeadMaxYuan: number; departmentHeadMaxYuan: number };
  retention: { insuranceYears: number; securitiesYears: number };
  monthlyReport: { byBusinessDay: number };
}

export const DEFAULT_POLICY: ComplaintPolicy = {
  version: '2026.1',
  timeZone: 'Asia/Shanghai',
  serviceHours: { start: '09:00', end: '18:00' },
  urgent: { initialResponseMinutes: 30, l1InitialResponseMinutes: 15 },
  l1: { amountYuan: 500_000, forwardToLeadershipMinutes: 60, meetingHours: 24, feedbackBusinessDays: 3 },
  l2: { toSupervisorHours: 4, investigateBusinessDays: 5, replyHoursAfterResult: 4, feedbackBusinessDays: 5 },
  l3: { amountYuan: 50_000, feedbackBusinessDays: 7 },
  investigation: { days: 10, maxDays: 30, extendedMaxDays: 60 },
  statutory: { decisionDays: 15 },
  survey: { delayHours: 24, reminderAfterHours: 48, noResponseAfterDays: 7 },
  review: { windowDays: 30 },
  compensationApproval: { teamLeadMaxYuan: 10_000, departmentHeadMaxYuan: 100_000 },
  retention: { insuranceYears: 3, securitiesYears: 5 },
  monthlyReport: { byBusinessDay: 5 },
};

export type TierName = 'L1' | 'L2' | 'L3';

/** Business days to give the customer the result, by tier; an untriaged complaint gets L3's window. */
export function feedbackBusinessDays(policy: ComplaintPolicy, tier: TierName | null): number {
  switch (tier) {
    case 'L1':
      return policy.l1.feedbackBusinessDays;
    case 'L2':
      return policy.l2.feedbackBusinessDays;
    default:
      return policy.l3.feedbackBusinessDays;
  }
}
