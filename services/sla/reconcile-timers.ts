// Makes Redis match the database: every pending deadline has its timers and every complaint whose
// supervisor has not acknowledged has its ladder job (missing ones are added, with delay 0 when
// already due; ones planned for another time are replaced); timers of deadlines met, breached or
// gone are removed. Runs at start and every few minutes, from any number of processes at once:
// deterministic job ids make the adds idempotent, and every processor re-checks the database.
//
// Redis is read before the database: a timer added after the scan is not seen, so it cannot be
// mistaken for a stale one; a deadline that appears after the scan is simply added (a no-op if its
// job exists by then).
import type { JobType, Queue } from 'bullmq';
import type { Database } from '../db/client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy } from '../policy/policy';
import { plannedFireAt, syncTimer, type PresentTimer } from './deadline-timers';
import { DEADLINE_TIMER_SELECT, expectedLadderTimer, LADDER_CANDIDATE_WHERE, LADDER_SELECT, PENDING_DEADLINE_WHERE } from './expected-timers';
import { isTimerJobId } from './sla-jobs';
import { plannedDeadlineTimers, type PlannedTimer } from './timer-plan';

export interface ReconcileOptions {
  db: Database;
  queue: Queue;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  now: Date;
  /** Rows and jobs read per round trip. */
  batchSize?: number;
}

export interface ReconcileResult {
  /** Timers added (missing, or replacing one planned for another time). */
  created: number;
  /** Stale timers taken out (and replaced ones). */
  removed: number;
}

const SCANNED_STATES: JobType[] = ['delayed', 'waiting', 'prioritized', 'waiting-children', 'active', 'failed', 'completed'];
const REMOVABLE_STATES = new Set(['delayed', 'waiting', 'prioritized', 'waiting-children']);

export async function reconcileTimers({ db, queue, policy, calendar, now, batchSize = 1000 }: ReconcileOptions): Promise<ReconcileResult> {
  // A job's delay counts from the moment it is added, and a full reconcile runs for a while (about a
  // minute at 100 000 open complaints): each add reckons its delay from `now` moved on by the time
  // the reconcile has taken so far, or the timers added last would fire that much late.
  const began = performance.now();
  const addedAt = () => new Date(now.getTime() + (performance.now() - began));
  const present = await scanTimers(queue, batchSize);
  const expected = new Map<string, PlannedTimer>();
  for await (const timer of expectedTimers({ db, policy, calendar, now, batchSize })) expected.set(timer.jobId, timer);

  const result: ReconcileResult = { created: 0, removed: 0 };
  for (const timer of expected.values()) {
    const outcome = await syncTimer(queue, timer, present.get(timer.jobId), addedAt());
    if (outcome !== 'kept') result.created++;
    if (outcome === 'replaced') result.removed++;
  }
  for (const [jobId, job] of present) {
    if (expected.has(jobId) || !REMOVABLE_STATES.has(job.state)) continue;
    if ((await queue.remove(jobId)) === 1) result.removed++;
  }
  // Expires after a day: no leftover key once the queue is gone.
  await (await queue.getBackend().client).set(reconciledAtKey(queue), String(now.getTime()), { EX: 24 * 3600 });
  return result;
}

/** Where the time of the last full reconcile is kept: under the queue's prefix, so it goes with the queue. */
function reconciledAtKey(queue: Queue): string {
  return queue.toKey('sla-reconciled-at');
}

/** When this queue's timers were last fully reconciled (null: never, or Redis lost its data since). */
export async function lastReconciledAt(queue: Queue): Promise<Date | null> {
  const value = await (await queue.getBackend().client).get(reconciledAtKey(queue));
  return value && /^\d+$/.test(value) ? new Date(Number(value)) : null;
}

/**
 * Every timer job Redis holds, with its state and planned time. Reads the ids a batch at a time
 * (getRanges) and of each timer only its data field, in one pipeline per batch: getJobs would read
 * every job whole, twice in this BullMQ, and decoding that was nearly all of a reconcile's cost.
 */
async function scanTimers(queue: Queue, batchSize: number): Promise<Map<string, PresentTimer>> {
  const present = new Map<string, PresentTimer>();
  const client = await queue.getBackend().client;
  for (const state of SCANNED_STATES) {
    for (let start = 0; ; start += batchSize) {
      const ids = await queue.getRanges([state], start, start + batchSize - 1, true);
      // A job seen twice (it moved between two reads) keeps the state read first.
      const timerIds = ids.filter((id) => isTimerJobId(id) && !present.has(id));
      if (timerIds.length > 0) {
        const pipeline = client.pipeline();
        for (const id of timerIds) pipeline.runCommand('hget', [queue.toKey(id), 'data']);
        const replies = (await pipeline.exec()) ?? [];
        timerIds.forEach((id, i) => {
          const [err, data] = replies[i] ?? [null, null];
          // Gone between the two reads (finished, removed): as getJobs, it is not there.
          if (err || typeof data !== 'string') return;
          present.set(id, { state, fireAt: plannedFireAt({ data: parseJobData(data) }) });
        });
      }
      if (ids.length < batchSize) break;
    }
  }
  return present;
}

function parseJobData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

async function* expectedTimers({ db, policy, calendar, now, batchSize }: Omit<ReconcileOptions, 'queue'> & { batchSize: number }): AsyncGenerator<PlannedTimer> {
  const warnAtPercent = policy.sla.warnAtPercent;
  for (let cursor: string | undefined; ; ) {
    const rows = await db.complaintDeadline.findMany({
      where: PENDING_DEADLINE_WHERE, select: DEADLINE_TIMER_SELECT, orderBy: { id: 'asc' }, take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const row of rows) yield* plannedDeadlineTimers({ ...row, startsAt: row.complaint.acceptedAt }, { warnAtPercent, now });
    if (rows.length < batchSize) break;
    cursor = rows[rows.length - 1]!.id;
  }
  for (let cursor: string | undefined; ; ) {
    const rows = await db.complaint.findMany({
      where: LADDER_CANDIDATE_WHERE, select: LADDER_SELECT, orderBy: { id: 'asc' }, take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const row of rows) {
      const timer = expectedLadderTimer(row, { policy, calendar, now });
      if (timer) yield timer;
    }
    if (rows.length < batchSize) break;
    cursor = rows[rows.length - 1]!.id;
  }
}
