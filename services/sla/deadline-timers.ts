// Putting timers into the queue and taking them out. Adds are idempotent (deterministic job ids); a
// timer planned for a different time than the job in Redis (a recomputed deadline) is replaced; a
// job a worker is running is left alone (its processor re-checks the database anyway).
import type { Job, Queue } from 'bullmq';
import { deadlineJobId, ladderJobId, SLA_JOB, TIMER_JOB_OPTIONS } from './sla-jobs';
import { plannedDeadlineTimers, type DeadlineTimerSource, type PlannedTimer } from './timer-plan';

/** What Redis holds for a timer id: its state and the time it was planned for. */
export interface PresentTimer {
  state: string;
  fireAt: number | null;
}

export type SyncOutcome = 'kept' | 'created' | 'replaced';

const PENDING_STATES = new Set(['delayed', 'waiting', 'wait', 'prioritized', 'paused', 'waiting-children']);

export async function presentTimer(queue: Queue, jobId: string): Promise<PresentTimer | undefined> {
  const job = await queue.getJob(jobId);
  if (!job) return undefined;
  return { state: await job.getState(), fireAt: plannedFireAt(job) };
}

export function plannedFireAt(job: Pick<Job, 'data'>): number | null {
  const fireAt = (job.data as { fireAt?: unknown } | undefined)?.fireAt;
  return typeof fireAt === 'number' ? fireAt : null;
}

/**
 * Makes Redis hold `timer`: adds it when missing, replaces a pending job planned for another time
 * and a failed or completed one (so a timer whose retries ran out gets another chance).
 */
export async function syncTimer(queue: Queue, timer: PlannedTimer, present: PresentTimer | undefined, now: Date): Promise<SyncOutcome> {
  if (present) {
    if (present.state === 'active') return 'kept';
    if (PENDING_STATES.has(present.state) && present.fireAt === timer.fireAt) return 'kept';
    // 0: locked by a worker that just picked it up; it re-checks the database itself.
    if ((await queue.remove(timer.jobId)) === 0 && (await queue.getJob(timer.jobId))) return 'kept';
  }
  await queue.add(timer.name, timer.data, { ...TIMER_JOB_OPTIONS, jobId: timer.jobId, delay: Math.max(0, timer.fireAt - now.getTime()) });
  return present ? 'replaced' : 'created';
}

/** Removes a pending timer; a running one is left to finish (it finds nothing to do). */
export async function removeTimer(queue: Queue, jobId: string): Promise<boolean> {
  return (await queue.remove(jobId)) === 1;
}

/** Schedules the warning and breach of one deadline (or removes them once it is met or breached). */
export async function scheduleDeadlineTimers(
  queue: Queue,
  deadline: DeadlineTimerSource,
  { warnAtPercent, now }: { warnAtPercent: number; now: Date },
): Promise<{ created: number; removed: number }> {
  const planned = plannedDeadlineTimers(deadline, { warnAtPercent, now });
  let created = 0;
  let removed = 0;
  for (const step of ['warn', 'breach'] as const) {
    const jobId = deadlineJobId(deadline.id, step);
    const timer = planned.find((t) => t.jobId === jobId);
    if (!timer) {
      if (await removeTimer(queue, jobId)) removed++;
      continue;
    }
    const outcome = await syncTimer(queue, timer, await presentTimer(queue, jobId), now);
    if (outcome !== 'kept') created++;
    if (outcome === 'replaced') removed++;
  }
  return { created, removed };
}

/** Removes both timers of a deadline (it was met, or it no longer exists). Returns how many went. */
export async function cancelDeadlineTimers(queue: Queue, deadlineId: string): Promise<number> {
  let removed = 0;
  for (const step of ['warn', 'breach'] as const) if (await removeTimer(queue, deadlineJobId(deadlineId, step))) removed++;
  return removed;
}

export function plannedLadderTimer(complaintId: string, dueAt: Date): PlannedTimer {
  const fireAt = dueAt.getTime();
  return { jobId: ladderJobId(complaintId), name: SLA_JOB.ladder, data: { complaintId, fireAt }, fireAt };
}

/** The delayed job that climbs to the leadership group unless a supervisor acknowledges first. */
export async function scheduleLadderTimer(queue: Queue, { complaintId, dueAt, now }: { complaintId: string; dueAt: Date; now: Date }): Promise<SyncOutcome> {
  const timer = plannedLadderTimer(complaintId, dueAt);
  return syncTimer(queue, timer, await presentTimer(queue, timer.jobId), now);
}

/** Call when a supervisor acknowledges (the job would find nothing to do, but need not wait for it). */
export async function cancelLadderTimers(queue: Queue, complaintId: string): Promise<boolean> {
  return removeTimer(queue, ladderJobId(complaintId));
}
