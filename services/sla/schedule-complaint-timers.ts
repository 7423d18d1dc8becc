// Brings one complaint's timers in line with its rows: call it after the complaint is filed and
// whenever its deadlines are recomputed (tier change, extension, pause). The reconciler does the same
// for every complaint every few minutes, so a missed call only delays a timer, it never loses one.
import type { Queue } from 'bullmq';
import type { Database } from '../db/client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy } from '../policy/policy';
import { cancelDeadlineTimers, cancelLadderTimers, presentTimer, scheduleDeadlineTimers, syncTimer } from './deadline-timers';
import { expectedLadderTimer, FINISHED_STATUSES, LADDER_SELECT } from './expected-timers';
import { ladderJobId, TIMER_JOB_OPTIONS } from './sla-jobs';
import { plannedDeadlineTimers } from './timer-plan';

export interface ScheduleComplaintTimersOptions {
  db: Database;
  queue: Queue;
  complaintId: string;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  now: Date;
  /**
   * Just filed: no timer of it can be in Redis yet except one the reconciler added meanwhile (for the
   * same rows, so the same job). Every timer is added in one round trip, without looking each one up
   * first; an id already present is left as it is (BullMQ ignores a job id it holds).
   */
  fresh?: boolean;
}

export async function scheduleComplaintTimers(options: ScheduleComplaintTimersOptions): Promise<{ created: number; removed: number }> {
  const { db, queue, complaintId, policy, calendar, now, fresh } = options;
  const complaint = await db.complaint.findUnique({
    where: { id: complaintId },
    select: {
      ...LADDER_SELECT, acceptedAt: true, status: true,
      deadlines: { select: { id: true, dueAt: true, warnedAt: true, breachedAt: true, metAt: true } },
    },
  });
  if (!complaint) return { created: 0, removed: 0 };
  const finished = (FINISHED_STATUSES as readonly string[]).includes(complaint.status);
  if (fresh && !finished) {
    const timers = complaint.deadlines.flatMap((deadline) =>
      plannedDeadlineTimers({ ...deadline, startsAt: complaint.acceptedAt }, { warnAtPercent: policy.sla.warnAtPercent, now }));
    const ladder = expectedLadderTimer(complaint, { policy, calendar, now });
    if (ladder) timers.push(ladder);
    await queue.addBulk(timers.map((timer) => ({
      name: timer.name, data: timer.data, opts: { ...TIMER_JOB_OPTIONS, jobId: timer.jobId, delay: Math.max(0, timer.fireAt - now.getTime()) },
    })));
    return { created: timers.length, removed: 0 };
  }
  let created = 0;
  let removed = 0;
  for (const deadline of complaint.deadlines) {
    if (finished) {
      removed += await cancelDeadlineTimers(queue, deadline.id);
      continue;
    }
    const counts = await scheduleDeadlineTimers(queue, { ...deadline, startsAt: complaint.acceptedAt }, { warnAtPercent: policy.sla.warnAtPercent, now });
    created += counts.created;
    removed += counts.removed;
  }
  const ladder = finished ? null : expectedLadderTimer(complaint, { policy, calendar, now });
  if (ladder) {
    const outcome = await syncTimer(queue, ladder, await presentTimer(queue, ladderJobId(complaintId)), now);
    if (outcome !== 'kept') created++;
    if (outcome === 'replaced') removed++;
  } else if (await cancelLadderTimers(queue, complaintId)) {
    removed++;
  }
  return { created, removed };
}
