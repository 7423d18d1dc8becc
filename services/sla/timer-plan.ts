// When a deadline's timers fire: the warning at `warnAtPercent` of the window (acceptance → due), the
// breach at the due time. Pure: the clock is passed in.
import { deadlineJobId, SLA_JOB, type DeadlineStep } from './sla-jobs';

export interface DeadlineTimerSource {
  id: string;
  dueAt: Date;
  /** Start of the window: the complaint's acceptance. */
  startsAt: Date;
  warnedAt?: Date | null;
  breachedAt?: Date | null;
  metAt?: Date | null;
}

export interface PlannedTimer {
  jobId: string;
  name: string;
  data: { deadlineId: string; fireAt: number } | { complaintId: string; fireAt: number };
  fireAt: number;
}

/** The warning time, or null when the window is empty (due at or before its start). */
export function warningTime(startsAt: Date, dueAt: Date, warnAtPercent: number): Date | null {
  const window = dueAt.getTime() - startsAt.getTime();
  if (window <= 0) return null;
  return new Date(startsAt.getTime() + Math.round((window * warnAtPercent) / 100));
}

/** The time a step of a deadline is due to fire (null: a warning with an empty window). */
export function stepFireAt(deadline: Pick<DeadlineTimerSource, 'dueAt' | 'startsAt'>, step: DeadlineStep, warnAtPercent: number): Date | null {
  return step === 'breach' ? deadline.dueAt : warningTime(deadline.startsAt, deadline.dueAt, warnAtPercent);
}

/**
 * The timers a deadline should have now: none once it is met or breached; the warning only while it
 * has not been given and the deadline is not yet due (a late warning is pointless next to the breach).
 */
export function plannedDeadlineTimers(deadline: DeadlineTimerSource, { warnAtPercent, now }: { warnAtPercent: number; now: Date }): PlannedTimer[] {
  if (deadline.metAt || deadline.breachedAt) return [];
  const timers: PlannedTimer[] = [];
  const warnAt = warningTime(deadline.startsAt, deadline.dueAt, warnAtPercent);
  if (!deadline.warnedAt && warnAt && now.getTime() < deadline.dueAt.getTime()) timers.push(deadlineTimer(deadline.id, 'warn', warnAt));
  timers.push(deadlineTimer(deadline.id, 'breach', deadline.dueAt));
  return timers;
}

function deadlineTimer(deadlineId: string, step: DeadlineStep, at: Date): PlannedTimer {
  const fireAt = at.getTime();
  return { jobId: deadlineJobId(deadlineId, step), name: step === 'warn' ? SLA_JOB.warning : SLA_JOB.breach, data: { deadlineId, fireAt }, fireAt };
}
