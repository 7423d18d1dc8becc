// Which timers the database says Redis should hold: shared by the per-complaint scheduler and the
// reconciler, so both plan exactly the same jobs.
import type { Prisma } from '../db/client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy, TierName } from '../policy/policy';
import { LEADERSHIP_ALERT_KIND, nextEscalations, type LadderAlert } from './escalation-ladder';
import { plannedLadderTimer } from './deadline-timers';
import type { PlannedTimer } from './timer-plan';

/** Finished complaints keep their deadline rows but get no more timers. */
export const FINISHED_STATUSES = ['resolved', 'closed'] as const;

/** Deadlines that still need timers: not met, not breached, of a complaint still open. */
export const PENDING_DEADLINE_WHERE = {
  metAt: null,
  breachedAt: null,
  complaint: { status: { notIn: [...FINISHED_STATUSES] } },
} satisfies Prisma.ComplaintDeadlineWhereInput;

export const DEADLINE_TIMER_SELECT = {
  id: true, dueAt: true, warnedAt: true, breachedAt: true, metAt: true, complaint: { select: { acceptedAt: true } },
} satisfies Prisma.ComplaintDeadlineSelect;

/** Complaints whose climb to the leadership group may still be due. */
export const LADDER_CANDIDATE_WHERE = {
  tier: { in: ['L1', 'L2'] },
  status: { notIn: [...FINISHED_STATUSES] },
  alerts: { some: { recipientRole: 'supervisor', kind: { startsWith: 'triage.' }, status: 'open' } },
  NOT: { alerts: { some: { kind: LEADERSHIP_ALERT_KIND } } },
} satisfies Prisma.ComplaintWhereInput;

export const LADDER_SELECT = {
  id: true, tier: true, urgent: true, alerts: { select: { kind: true, recipientRole: true, status: true, createdAt: true } },
} satisfies Prisma.ComplaintSelect;

/** The ladder job a complaint should have, or null (acknowledged, climbed, or no ladder for its tier). */
export function expectedLadderTimer(
  complaint: { id: string; tier: TierName | null; urgent: boolean; alerts: LadderAlert[] },
  { policy, calendar, now }: { policy: ComplaintPolicy; calendar: BusinessCalendar; now: Date },
): PlannedTimer | null {
  const climb = nextEscalations({ tier: complaint.tier, urgent: complaint.urgent, step: 'ladder', alerts: complaint.alerts, policy, calendar, now }).find(
    (e) => e.kind === LEADERSHIP_ALERT_KIND,
  );
  return climb ? plannedLadderTimer(complaint.id, climb.dueAt ?? now) : null;
}
