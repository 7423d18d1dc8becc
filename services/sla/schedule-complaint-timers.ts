// Brings one complaint's timers in line with its rows: call it after the complaint is filed and
// whenever its deadlines are recomputed (tier change, extension, pause). The reconciler does the same
// for every complaint every few minutes, so a missed call only delays a timer, it never loses one.
import type { Queue } from 'bullmq';
import { type Database } from '../db/client';
import { pooledSql } from '../db/sql';
import type { TierName } from '../policy/policy';
import type { LadderAlert } from './escalation-ladder';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy } from '../policy/policy';
import { cancelDeadlineTimers, cancelLadderTimers, presentTimer, scheduleDeadlineTimers, syncTimer } from './deadline-timers';
import { expectedLadderTimer, FINISHED_STATUSES } from './expected-timers';
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
  const complaint = await readComplaintTimers(db, complaintId);
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

type Stamp = string | null;

/**
 * The complaint's timer inputs (its ladder facts and deadlines) in one plain-SQL read on the client's
 * pool: this runs after every filing, on the bot's hot path (through Prisma it was three statements).
 */
async function readComplaintTimers(db: Database, complaintId: string) {
  const { rows: [row] } = await pooledSql(db).query<{
    id: string; tier: TierName | null; urgent: boolean; status: string; accepted_at: string;
    alerts: { kind: string; recipient_role: string; status: LadderAlert['status']; created_at: string }[];
    deadlines: { id: string; due_at: string; warned_at: Stamp; breached_at: Stamp; met_at: Stamp }[];
  }>(
    `SELECT k.id::text AS id, k.tier::text AS tier, k.urgent, k.status::text AS status, to_json(k.accepted_at)#>>'{}' AS accepted_at,
            (SELECT coalesce(json_agg(json_build_object('kind', a.kind, 'recipient_role', a.recipient_role, 'status', a.status, 'created_at', a.created_at)), '[]')
               FROM alert a WHERE a.complaint_id = k.id) AS alerts,
            (SELECT coalesce(json_agg(json_build_object('id', d.id, 'due_at', d.due_at, 'warned_at', d.warned_at, 'breached_at', d.breached_at, 'met_at', d.met_at)), '[]')
               FROM complaint_deadline d WHERE d.complaint_id = k.id) AS deadlines
       FROM complaint k WHERE k.id = $1::uuid`,
    [complaintId],
  );
  if (!row) return null;
  const at = (stamp: Stamp) => (stamp === null ? null : new Date(stamp));
  return {
    id: row.id, tier: row.tier, urgent: row.urgent, status: row.status, acceptedAt: new Date(row.accepted_at),
    alerts: row.alerts.map((a) => ({ kind: a.kind, recipientRole: a.recipient_role, status: a.status, createdAt: new Date(a.created_at) })),
    deadlines: row.deadlines.map((d) => ({ id: d.id, dueAt: new Date(d.due_at), warnedAt: at(d.warned_at), breachedAt: at(d.breached_at), metAt: at(d.met_at) })),
  };
}
