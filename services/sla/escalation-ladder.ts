// The escalation ladder (requirements.md R-TIER1/R-TIER2/R-URGENT, "alert ladder when nobody acts"),
// as a pure function of the complaint, the step that happened, its alerts, the policy and the clock.
//
//   L1  supervisor at once (raised at intake by raise-triage-alert) → leadership group when no
//       supervisor has acknowledged within alertLadder.l1.leadershipAfterMinutes → senior management
//       when the feedback or statutory deadline is breached.
//   L2  supervisor at intake → leadership group when no supervisor has acknowledged within
//       alertLadder.l2.leadershipAfterBusinessHours of service time.
//   Any deadline: the department's supervisor is warned at warnAtPercent and told of a breach.
//   A first response not given in time (L1 or urgent) climbs one level above the highest reached.
//
// An acknowledged supervisor alert stops the climb to the leadership group; a breach is escalated
// whatever was acknowledged. Minutes may be fractional, so tests can shorten windows to seconds.
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { DeadlineKindName } from '../deadlines/compute-deadlines';
import type { ComplaintPolicy, TierName } from '../policy/policy';

export type LadderStep = 'ladder' | 'warning' | 'breach';
export type EscalationRole = 'supervisor' | 'leadership';

export const LEADERSHIP_ALERT_KIND = 'ladder.leadership';
export const SENIOR_MANAGEMENT_ALERT_KIND = 'ladder.senior_management';
export const warningAlertKind = (deadlineKind: DeadlineKindName) => `sla.warning.${deadlineKind}`;
export const breachAlertKind = (deadlineKind: DeadlineKindName) => `sla.breach.${deadlineKind}`;

/** An alert the complaint already has (any status). */
export interface LadderAlert {
  kind: string;
  recipientRole: string;
  status: 'open' | 'acknowledged' | 'resolved';
  createdAt: Date;
}

export interface EscalationInput {
  tier: TierName | null;
  urgent: boolean;
  /** The deadline that was warned about or breached (steps 'warning' and 'breach'). */
  deadlineKind?: DeadlineKindName | null;
  /** 'ladder': is the climb to the leadership group due; 'warning'/'breach': a deadline timer fired. */
  step: LadderStep;
  alerts: readonly LadderAlert[];
  policy: Pick<ComplaintPolicy, 'alertLadder'>;
  calendar: Pick<BusinessCalendar, 'addServiceMinutes'>;
  now: Date;
}

export interface Escalation {
  recipientRole: EscalationRole;
  kind: string;
  /** Why, for the alert.raised event. */
  ladderStep: string;
  /** When it is due; absent = now. A due time still ahead means: schedule it, do not raise it yet. */
  dueAt?: Date;
  /** 'deadline': one alert per due time of the deadline (a recomputed deadline warns again); 'complaint': once. */
  scope: 'complaint' | 'deadline';
}

const MINUTE = 60_000;
const SENIOR_ON_L1_BREACH: readonly DeadlineKindName[] = ['feedback', 'statutory_decision'];

export function nextEscalations(input: EscalationInput): Escalation[] {
  switch (input.step) {
    case 'ladder':
      return climbWhenUnacknowledged(input);
    case 'warning':
      return input.deadlineKind
        ? [{ recipientRole: 'supervisor', kind: warningAlertKind(input.deadlineKind), ladderStep: 'deadline_warning', scope: 'deadline' }]
        : [];
    case 'breach':
      return onBreach(input);
  }
}

/** Supervisor alerts raised at intake (triage.l1, triage.l2, triage.urgent). */
export function isSupervisorIntakeAlert(alert: Pick<LadderAlert, 'kind' | 'recipientRole'>): boolean {
  return alert.recipientRole === 'supervisor' && alert.kind.startsWith('triage.');
}

function climbWhenUnacknowledged({ tier, alerts, policy, calendar }: EscalationInput): Escalation[] {
  if (tier !== 'L1' && tier !== 'L2') return [];
  const supervisorAlerts = alerts.filter(isSupervisorIntakeAlert);
  if (supervisorAlerts.length === 0) return [];
  if (supervisorAlerts.some((a) => a.status !== 'open')) return [];
  if (alerts.some((a) => a.kind === LEADERSHIP_ALERT_KIND)) return [];
  const raisedAt = new Date(Math.min(...supervisorAlerts.map((a) => a.createdAt.getTime())));
  const dueAt =
    tier === 'L1'
      ? new Date(raisedAt.getTime() + policy.alertLadder.l1.leadershipAfterMinutes * MINUTE)
      : calendar.addServiceMinutes(raisedAt, policy.alertLadder.l2.leadershipAfterBusinessHours * 60);
  return [{ recipientRole: 'leadership', kind: LEADERSHIP_ALERT_KIND, ladderStep: 'supervisor_unacknowledged', dueAt, scope: 'complaint' }];
}

function onBreach({ tier, urgent, deadlineKind, alerts }: EscalationInput): Escalation[] {
  if (!deadlineKind) return [];
  const out: Escalation[] = [{ recipientRole: 'supervisor', kind: breachAlertKind(deadlineKind), ladderStep: 'deadline_breach', scope: 'deadline' }];
  const senior: Escalation = { recipientRole: 'leadership', kind: SENIOR_MANAGEMENT_ALERT_KIND, ladderStep: 'l1_deadline_breach', scope: 'complaint' };
  if (deadlineKind === 'first_response' && (urgent || tier === 'L1')) {
    const leadershipReached = alerts.some((a) => a.kind === LEADERSHIP_ALERT_KIND);
    out.push(
      leadershipReached
        ? { ...senior, ladderStep: 'urgent_response_missed' }
        : { recipientRole: 'leadership', kind: LEADERSHIP_ALERT_KIND, ladderStep: 'urgent_response_missed', scope: 'complaint' },
    );
  }
  if (tier === 'L1' && SENIOR_ON_L1_BREACH.includes(deadlineKind) && !out.some((e) => e.kind === SENIOR_MANAGEMENT_ALERT_KIND)) out.push(senior);
  return out;
}

/** Whether an escalation is to be raised now (no due time, or one already reached). */
export function isDue(escalation: Pick<Escalation, 'dueAt'>, now: Date): boolean {
  return !escalation.dueAt || escalation.dueAt.getTime() <= now.getTime();
}
