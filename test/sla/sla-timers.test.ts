// The SLA clock on the real Redis and PostgreSQL: timers fire once, met deadlines never fire, the
// ladder climbs on time unless acknowledged, the reconciler rebuilds a lost Redis, and crashes,
// retries and parallel workers never duplicate an alert or an event. Windows are seconds long.
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { deadlineJobId, isTimerJobId, ladderJobId, RECONCILE_SCHEDULER_ID, TIMER_JOB_OPTIONS } from '../../services/sla/sla-jobs';
import { onDeadlineBreach } from '../../services/sla/handle-deadline-step';
import { scheduleComplaintTimers } from '../../services/sla/schedule-complaint-timers';
import { reconcileTimers } from '../../services/sla/reconcile-timers';
import { testCalendar } from '../support/app';
import {
  alertsOf, dueAfter, eventsOf, fastPolicy, fileComplaint, privateDatabase, silentLog, sleep, SlaTestBench, waitUntil, type PrivateDatabase,
} from './sla-support';

let database: PrivateDatabase;
let db: Database;
let bench: SlaTestBench;
let supervisors: number;
let leaders: number;

beforeAll(async () => {
  database = await privateDatabase();
  db = database.db;
  const claims = await db.department.findUniqueOrThrow({ where: { code: 'CLAIMS' }, select: { id: true } });
  supervisors = await db.staff.count({ where: { departmentId: claims.id, role: 'supervisor', active: true } });
  leaders = await db.staff.count({ where: { role: 'leadership', active: true } });
  await fileComplaint(db, 'L3'); // loads the word-segmentation dictionary, so filing is quick below
});
afterAll(async () => {
  await database?.drop();
});
afterEach(async () => {
  await bench?.cleanUp();
  // Each test starts from a database with nothing pending: the reconcile job a worker's scheduler
  // runs at once would otherwise pick up the complaints of earlier tests.
  await db.complaintDeadline.updateMany({ where: { metAt: null }, data: { metAt: new Date() } });
  await db.alert.updateMany({ where: { status: 'open' }, data: { status: 'acknowledged', acknowledgedAt: new Date() } });
});

const types = async (complaintId: string, prefix: string) =>
  (await eventsOf(db, complaintId)).filter((e) => e.type.startsWith(prefix)).map((e) => e.type);

/** Counts each job id a worker completes. */
function completions(worker: { on(event: 'completed', listener: (job: Job) => void): unknown } | null): Map<string, number> {
  const counts = new Map<string, number>();
  worker?.on('completed', (job: Job) => counts.set(job.id!, (counts.get(job.id!) ?? 0) + 1));
  return counts;
}

describe('deadline timers', () => {
  it('gives a just-filed complaint, in one round trip, exactly the timers the step-by-step schedule would keep', async () => {
    bench = new SlaTestBench(db); // a queue of its own, no worker: nothing fires while the test looks
    const complaint = await fileComplaint(db, 'L1');
    const queue = bench.queue;
    const options = { db, queue, complaintId: complaint.id, policy: fastPolicy(), calendar: testCalendar(), now: new Date() };
    const fresh = await scheduleComplaintTimers({ ...options, fresh: true });
    const ids = async () => (await queue.getJobs(['delayed', 'waiting'])).map((j) => j.id!).filter((id) => id.includes(complaint.id) || isTimerJobId(id)).sort();
    const afterFresh = await ids();
    expect(fresh.created).toBeGreaterThan(4); // warning and breach of each deadline, and the ladder's first step
    // The step-by-step path finds every timer in place, at its time: nothing to add or replace.
    expect(await scheduleComplaintTimers(options)).toEqual({ created: 0, removed: 0 });
    // Filed twice (a retried hook, or the reconciler first): still one job per timer.
    await scheduleComplaintTimers({ ...options, fresh: true });
    expect(await ids()).toEqual(afterFresh);
  });

  it('warn at the configured share of the window and breach at the due time, once each, with events and alerts', async () => {
    bench = new SlaTestBench(db);
    const runtime = await bench.start();
    const complaint = await fileComplaint(db, 'L3');
    const deadlineId = await dueAfter(db, complaint, 'feedback', 2_000);
    await runtime.scheduleComplaint(complaint.id);
    expect(await bench.queue.getJob(deadlineJobId(deadlineId, 'warn'))).toBeDefined();
    expect(await bench.queue.getJob(deadlineJobId(deadlineId, 'breach'))).toBeDefined();

    const breached = await waitUntil(async () => (await db.complaintDeadline.findUniqueOrThrow({ where: { id: deadlineId } })).breachedAt);
    const deadline = await db.complaintDeadline.findUniqueOrThrow({ where: { id: deadlineId } });
    // Warned at 50 % (1 s), breached at 100 % (2 s); delayed jobs fire within a fraction of a second.
    expect(deadline.warnedAt!.getTime() - complaint.acceptedAt.getTime()).toBeGreaterThanOrEqual(1_000 - 250);
    expect(deadline.warnedAt!.getTime() - complaint.acceptedAt.getTime()).toBeLessThan(1_900);
    expect(breached.getTime() - deadline.dueAt.getTime()).toBeGreaterThanOrEqual(-250);
    expect(breached.getTime() - deadline.dueAt.getTime()).toBeLessThan(900);

    expect(await types(complaint.id, 'deadline.')).toEqual(['deadline.warning', 'deadline.breached']);
    const [warning] = await eventsOf(db, complaint.id, 'deadline.warning');
    expect(warning?.payload).toMatchObject({ deadlineKind: 'feedback', warnAtPercent: 50 });
    const alerts = await alertsOf(db, complaint.id);
    expect(alerts.map((a) => [a.kind, a.recipientRole])).toEqual([
      ...Array(supervisors).fill(['sla.warning.feedback', 'supervisor']),
      ...Array(supervisors).fill(['sla.breach.feedback', 'supervisor']),
    ]);
    const raised = await eventsOf(db, complaint.id, 'alert.raised');
    expect(raised.map((e) => e.payload)).toEqual([
      expect.objectContaining({ kind: 'sla.warning.feedback', recipientRole: 'supervisor', ladderStep: 'deadline_warning' }),
      expect.objectContaining({ kind: 'sla.breach.feedback', recipientRole: 'supervisor', ladderStep: 'deadline_breach' }),
    ]);
    await waitUntil(async () => runtime.notified.length === alerts.length);
    expect([...runtime.notified].sort()).toEqual(alerts.map((a) => a.id).sort());
    // Done jobs leave Redis.
    await waitUntil(async () => !(await bench.queue.getJob(deadlineJobId(deadlineId, 'breach'))));

    // A duplicated job (another id, same deadline) and a direct retry both find the step claimed.
    await bench.queue.add('deadline.breach', { deadlineId, fireAt: deadline.dueAt.getTime() }, { ...TIMER_JOB_OPTIONS, jobId: `dup-${deadlineId}` });
    await waitUntil(async () => !(await bench.queue.getJob(`dup-${deadlineId}`)));
    const again = await onDeadlineBreach({ db, deadlineId, policy: bench.policy, calendar: testCalendar(), notify: () => undefined, log: silentLog, now: new Date() });
    expect(again).toMatchObject({ outcome: 'skipped' });
    expect(await types(complaint.id, 'deadline.')).toEqual(['deadline.warning', 'deadline.breached']);
    expect(await alertsOf(db, complaint.id)).toHaveLength(alerts.length);
  });

  it('follows a deadline moved later (the early timer goes back to wait) or earlier (rescheduled)', async () => {
    bench = new SlaTestBench(db);
    const runtime = await bench.start();
    const complaint = await fileComplaint(db, 'L3');
    const later = await dueAfter(db, complaint, 'feedback', 1_000);
    const earlier = await dueAfter(db, complaint, 'investigation', 60_000);
    await runtime.scheduleComplaint(complaint.id);
    // Extended behind the timers' back: they fire at the old times, find the new ones and wait again.
    await dueAfter(db, complaint, 'feedback', 2_000);
    // Brought forward: the caller reschedules, and the job planned for the old time is replaced.
    await dueAfter(db, complaint, 'investigation', 1_600);
    await runtime.scheduleComplaint(complaint.id);

    const [feedback, investigation] = await waitUntil(async () => {
      const rows = await Promise.all([later, earlier].map((id) => db.complaintDeadline.findUniqueOrThrow({ where: { id } })));
      return rows.every((r) => r.breachedAt) && rows;
    });
    const offset = (d: Date | null) => d!.getTime() - complaint.acceptedAt.getTime();
    expect(offset(feedback!.warnedAt)).toBeGreaterThanOrEqual(1_000 - 250);
    expect(offset(feedback!.breachedAt)).toBeGreaterThanOrEqual(2_000 - 250);
    expect(offset(investigation!.warnedAt)).toBeLessThan(1_600);
    expect(offset(investigation!.breachedAt)).toBeLessThan(2_400);
    expect(await types(complaint.id, 'deadline.')).toEqual(['deadline.warning', 'deadline.warning', 'deadline.breached', 'deadline.breached']);
  });

  it('removes the timers of a deadline met in time, and they never fire', async () => {
    bench = new SlaTestBench(db);
    const runtime = await bench.start();
    const complaint = await fileComplaint(db, 'L3');
    const deadlineId = await dueAfter(db, complaint, 'feedback', 1_000);
    await runtime.scheduleComplaint(complaint.id);
    expect(await bench.queue.getJob(deadlineJobId(deadlineId, 'breach'))).toBeDefined();

    const met = await runtime.markDeadlineMet({ complaintId: complaint.id, kind: 'feedback' });
    expect(met).toEqual({ met: true, deadlineId, late: false, timersCancelled: true });
    expect(await bench.queue.getJob(deadlineJobId(deadlineId, 'warn'))).toBeUndefined();
    expect(await bench.queue.getJob(deadlineJobId(deadlineId, 'breach'))).toBeUndefined();
    expect(await runtime.markDeadlineMet({ complaintId: complaint.id, kind: 'feedback' })).toMatchObject({ met: false, deadlineId });

    await sleep(1_300);
    expect(await types(complaint.id, 'deadline.')).toEqual(['deadline.met']);
    expect(await alertsOf(db, complaint.id)).toEqual([]);
  });
});

describe('escalation ladder', () => {
  it('climbs from an unacknowledged L1 supervisor alert to the leadership group on time', async () => {
    bench = new SlaTestBench(db, fastPolicy(2));
    const runtime = await bench.start();
    const complaint = await fileComplaint(db, 'L1');
    const [supervisorAlert] = await alertsOf(db, complaint.id, 'triage.l1');
    await runtime.scheduleComplaint(complaint.id);
    expect(await bench.queue.getJob(ladderJobId(complaint.id))).toBeDefined();

    const climbed = await waitUntil(async () => {
      const found = await alertsOf(db, complaint.id, 'ladder.leadership');
      return found.length === leaders && found;
    });
    const late = climbed[0]!.createdAt.getTime() - supervisorAlert!.createdAt.getTime();
    expect(late).toBeGreaterThanOrEqual(2_000 - 250);
    expect(late).toBeLessThan(2_900);
    expect(climbed.every((a) => a.recipientRole === 'leadership' && a.status === 'open')).toBe(true);
    const raised = (await eventsOf(db, complaint.id, 'alert.raised')).map((e) => e.payload);
    expect(raised).toEqual([
      expect.objectContaining({ kind: 'triage.l1', recipientRole: 'supervisor' }),
      expect.objectContaining({ kind: 'ladder.leadership', recipientRole: 'leadership', ladderStep: 'supervisor_unacknowledged' }),
    ]);
    await waitUntil(async () => runtime.notified.length === leaders);
    expect(runtime.notified.sort()).toEqual(climbed.map((a) => a.id).sort());
    // Once climbed, the reconciler plans no ladder job for it.
    await runtime.reconcileNow();
    expect(await bench.queue.getJob(ladderJobId(complaint.id))).toBeUndefined();
  });

  it('stops the climb when the supervisor acknowledges', async () => {
    bench = new SlaTestBench(db, fastPolicy(1.5));
    const runtime = await bench.start();
    const complaint = await fileComplaint(db, 'L1');
    await runtime.scheduleComplaint(complaint.id);
    expect(await bench.queue.getJob(ladderJobId(complaint.id))).toBeDefined();
    await db.alert.updateMany({ where: { complaintId: complaint.id, kind: 'triage.l1' }, data: { status: 'acknowledged', acknowledgedAt: new Date() } });

    // The job fires, finds the acknowledgement and does nothing.
    await waitUntil(async () => !(await bench.queue.getJob(ladderJobId(complaint.id))));
    await sleep(300);
    expect(await alertsOf(db, complaint.id, 'ladder.leadership')).toEqual([]);
    expect(runtime.notified).toEqual([]);
    await runtime.reconcileNow();
    expect(await bench.queue.getJob(ladderJobId(complaint.id))).toBeUndefined();
  });
});

describe('reconciler', () => {
  it('re-creates the timers of a lost Redis, removes stale ones, and the re-created timers fire', async () => {
    bench = new SlaTestBench(db, fastPolicy(60));
    const scheduler = await bench.start({ runWorkers: false });
    const pending = await fileComplaint(db, 'L3'); // feedback, investigation, statutory decision
    const soon = await dueAfter(db, pending, 'feedback', 2_500);
    const l1 = await fileComplaint(db, 'L1'); // six deadlines and the climb to the leadership group
    await scheduler.scheduleComplaint(pending.id);
    await scheduler.scheduleComplaint(l1.id);
    // Stale: a deadline met behind the clock's back, and a timer whose deadline never existed.
    const metBehind = await db.complaintDeadline.update({
      where: { complaintId_kind: { complaintId: pending.id, kind: 'investigation' } }, data: { metAt: new Date() }, select: { id: true },
    });
    const ghost = randomUUID();
    await bench.queue.add('deadline.breach', { deadlineId: ghost, fireAt: Date.now() + 60_000 }, { ...TIMER_JOB_OPTIONS, jobId: deadlineJobId(ghost, 'breach'), delay: 60_000 });

    const timerIds = async () => (await bench.queue.getJobs(['delayed', 'waiting'])).map((j) => j.id!).filter(isTimerJobId).sort();
    // (3 + 6) deadlines × (warning + breach) + 1 ladder job, and the ghost.
    expect(await timerIds()).toHaveLength(9 * 2 + 1 + 1);

    expect(await scheduler.reconcileNow()).toEqual({ created: 0, removed: 3 });
    expect(await bench.queue.getJob(deadlineJobId(ghost, 'breach'))).toBeUndefined();
    expect(await bench.queue.getJob(deadlineJobId(metBehind.id, 'warn'))).toBeUndefined();
    expect(await bench.queue.getJob(deadlineJobId(metBehind.id, 'breach'))).toBeUndefined();
    const expected = await timerIds();
    expect(expected).toHaveLength(8 * 2 + 1);
    expect(expected).toContain(ladderJobId(l1.id));

    // Redis loses everything.
    await bench.queue.obliterate({ force: true });
    expect(await timerIds()).toEqual([]);
    expect(await scheduler.reconcileNow()).toEqual({ created: expected.length, removed: 0 });
    expect(await timerIds()).toEqual(expected);
    // Run again, or by two processes at once: nothing more to do.
    const [a, b] = await Promise.all([scheduler.reconcileNow(), scheduler.reconcileNow()]);
    expect(a.removed + b.removed).toBe(0);
    expect(await timerIds()).toEqual(expected);

    // A worker starting now fires the re-created timers.
    await bench.start();
    await waitUntil(async () => (await db.complaintDeadline.findUniqueOrThrow({ where: { id: soon } })).breachedAt);
    expect(await types(pending.id, 'deadline.')).toEqual(['deadline.warning', 'deadline.breached']);
  });

  it('replaces a timer Redis holds for another time than the database plans, and keeps the rest as they are', async () => {
    bench = new SlaTestBench(db, fastPolicy(60));
    const scheduler = await bench.start({ runWorkers: false });
    const complaint = await fileComplaint(db, 'L3');
    await scheduler.scheduleComplaint(complaint.id);
    // Whatever else this database holds is settled first.
    await scheduler.reconcileNow();
    const deadline = await db.complaintDeadline.findUniqueOrThrow({ where: { complaintId_kind: { complaintId: complaint.id, kind: 'feedback' } }, select: { id: true } });
    const warnId = deadlineJobId(deadline.id, 'warn');
    const planned = (await bench.queue.getJob(warnId))!.data.fireAt as number;
    const untouched = await bench.queue.getJob(deadlineJobId(deadline.id, 'breach'));
    // The job in Redis says an hour later than the plan (as after a crash between a deadline's change and its timers).
    await bench.queue.remove(warnId);
    await bench.queue.add('deadline.warning', { deadlineId: deadline.id, fireAt: planned + 3_600_000 }, { ...TIMER_JOB_OPTIONS, jobId: warnId, delay: 3_600_000 });

    expect(await scheduler.reconcileNow()).toEqual({ created: 1, removed: 1 });
    expect((await bench.queue.getJob(warnId))!.data.fireAt).toBe(planned);
    // The timers that matched were left alone (same job, not re-added).
    expect((await bench.queue.getJob(deadlineJobId(deadline.id, 'breach')))!.timestamp).toBe(untouched!.timestamp);
    expect(await scheduler.reconcileNow()).toEqual({ created: 0, removed: 0 });
  });

  it('adds each timer to fire at its planned time, however long the reconcile has been running by then', async () => {
    bench = new SlaTestBench(db, fastPolicy(3_600));
    await bench.start({ runWorkers: false });
    const complaint = await fileComplaint(db, 'L3');
    // A large database: reading the deadlines takes a while (here 2 s) before the first timer is added.
    const slowDb = new Proxy(db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'complaintDeadline') return value;
        const model = value as Database['complaintDeadline'];
        return new Proxy(model, {
          get(m, p, r) {
            const fn = Reflect.get(m, p, r) as unknown;
            if (p !== 'findMany' || typeof fn !== 'function') return fn;
            return async (...args: unknown[]) => {
              await new Promise((resolve) => setTimeout(resolve, 2_000));
              return (fn as (...a: unknown[]) => unknown).apply(m, args);
            };
          },
        });
      },
    });
    const deadline = await db.complaintDeadline.findUniqueOrThrow({ where: { complaintId_kind: { complaintId: complaint.id, kind: 'feedback' } }, select: { id: true } });
    await reconcileTimers({ db: slowDb, queue: bench.queue, policy: bench.policy, calendar: testCalendar(), now: new Date() });
    const job = (await bench.queue.getJob(deadlineJobId(deadline.id, 'warn')))!;
    // BullMQ fires a job `delay` ms after it was added (its timestamp): that is the planned time, not 2 s after it.
    expect(Math.abs(job.timestamp + job.opts.delay! - (job.data.fireAt as number))).toBeLessThan(500);
  });

  it('runs at start unless one ran within the interval (a restart after a crash loses nothing in Redis); a Redis that lost its data reconciles again', async () => {
    bench = new SlaTestBench(db, fastPolicy(60));
    const complaint = await fileComplaint(db, 'L3');
    const first = await bench.start({ runWorkers: false, reconcileOnStart: true, reconcileIntervalMs: 600_000 });
    expect(await first.firstReconcile).not.toBeNull();
    const timers = (await bench.queue.getJobs(['delayed'])).filter((j) => isTimerJobId(j.id) && JSON.stringify(j.data).includes('deadlineId'));
    expect(timers.length).toBeGreaterThan(0);
    await first.close();

    // Restarted at once: no second full pass.
    const restarted = await bench.start({ runWorkers: false, reconcileOnStart: true, reconcileIntervalMs: 600_000 });
    expect(await restarted.firstReconcile).toBeNull();
    await restarted.close();

    // Redis lost everything (a restart without persistence takes the marker too): the next start re-creates the timers.
    await bench.queue.obliterate({ force: true });
    await (await bench.queue.getBackend().client).del(bench.queue.toKey('sla-reconciled-at'));
    const afterLoss = await bench.start({ runWorkers: false, reconcileOnStart: true, reconcileIntervalMs: 600_000 });
    expect((await afterLoss.firstReconcile)?.created).toBeGreaterThan(0);
    const deadlines = await db.complaintDeadline.findMany({ where: { complaintId: complaint.id, metAt: null }, select: { id: true } });
    for (const d of deadlines) expect(await bench.queue.getJob(deadlineJobId(d.id, 'breach'))).toBeDefined();
  });

  it('runs on a schedule (BullMQ job scheduler)', async () => {
    bench = new SlaTestBench(db);
    await bench.start({ reconcileIntervalMs: 120_000 });
    expect(await bench.queue.getJobScheduler(RECONCILE_SCHEDULER_ID)).toMatchObject({ every: 120_000 });
  });
});

describe('crashes, retries and parallel workers', () => {
  it('re-runs a job whose worker died mid-job once, without a second alert or event', async () => {
    bench = new SlaTestBench(db);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const heldByA: string[] = [];
    // Worker A commits its step, then hangs in delivery until it is killed.
    const a = await bench.start({
      notify: async (alertId) => {
        heldByA.push(alertId);
        await released;
      },
    });
    const complaint = await fileComplaint(db, 'L3');
    const deadlineId = await dueAfter(db, complaint, 'feedback', 2_000);
    await a.scheduleComplaint(complaint.id);
    await waitUntil(async () => heldByA.length > 0);
    await a.worker!.close(true);

    const b = await bench.start();
    const completedByB = completions(b.worker);
    await waitUntil(async () => completedByB.get(deadlineJobId(deadlineId, 'warn')) === 1 && completedByB.get(deadlineJobId(deadlineId, 'breach')) === 1);
    release();
    await sleep(500);
    expect(completedByB.get(deadlineJobId(deadlineId, 'warn'))).toBe(1);
    expect(await types(complaint.id, 'deadline.')).toEqual(['deadline.warning', 'deadline.breached']);
    const alerts = await alertsOf(db, complaint.id);
    expect(alerts).toHaveLength(2 * supervisors);
    expect(new Set(alerts.map((x) => x.dedupeKey)).size).toBe(alerts.length);
    expect(await eventsOf(db, complaint.id, 'alert.raised')).toHaveLength(2);
    // Each alert was handed to delivery by exactly one worker.
    expect(heldByA.filter((id) => b.notified.includes(id))).toEqual([]);
    expect([...heldByA, ...b.notified].sort()).toEqual(alerts.map((x) => x.id).sort());
  });

  it('retries a job that failed before committing (with backoff) and acts once', async () => {
    bench = new SlaTestBench(db);
    // The breach's first transaction (the second one of the test) fails as if the connection dropped.
    let transactions = 0;
    const flakyDb = new Proxy(db, {
      get(target, property, receiver) {
        if (property === '$transaction') {
          return (...args: Parameters<Database['$transaction']>) => {
            transactions++;
            if (transactions === 2) return Promise.reject(new Error('Connection terminated unexpectedly (simulated)'));
            return (target.$transaction as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const runtime = await bench.start({ db: flakyDb });
    const failed: string[] = [];
    runtime.worker!.on('failed', (job) => failed.push(job!.id!));
    const completed = completions(runtime.worker);
    const complaint = await fileComplaint(db, 'L3');
    const deadlineId = await dueAfter(db, complaint, 'feedback', 1_200);
    await runtime.scheduleComplaint(complaint.id);

    await waitUntil(async () => completed.get(deadlineJobId(deadlineId, 'warn')) === 1 && completed.get(deadlineJobId(deadlineId, 'breach')) === 1);
    expect(failed).toEqual([deadlineJobId(deadlineId, 'breach')]);
    expect(await types(complaint.id, 'deadline.')).toEqual(['deadline.warning', 'deadline.breached']);
    expect(await eventsOf(db, complaint.id, 'alert.raised')).toHaveLength(2);
  });

  // Twelve jobs through two workers: on a busy CI machine they have taken more than the default wait.
  it('lets two workers share one queue: every job runs once', { timeout: 40_000 }, async () => {
    bench = new SlaTestBench(db);
    const first = await bench.start();
    const second = await bench.start();
    const counts = [completions(first.worker), completions(second.worker)];
    const complaints = await Promise.all(Array.from({ length: 6 }, () => fileComplaint(db, 'L3')));
    const deadlineIds = await Promise.all(complaints.map((c) => dueAfter(db, c, 'feedback', 1_200)));
    await Promise.all(complaints.map((c) => (Math.random() < 0.5 ? first : second).scheduleComplaint(c.id)));

    const jobIds = deadlineIds.flatMap((id) => [deadlineJobId(id, 'warn'), deadlineJobId(id, 'breach')]);
    const total = (jobId: string) => counts.reduce((sum, c) => sum + (c.get(jobId) ?? 0), 0);
    await waitUntil(async () => jobIds.every((id) => total(id) >= 1), 25_000);
    await sleep(300);
    expect(jobIds.map(total)).toEqual(jobIds.map(() => 1));
    for (const complaint of complaints) expect(await types(complaint.id, 'deadline.')).toEqual(['deadline.warning', 'deadline.breached']);
    expect(new Set([...first.notified, ...second.notified]).size).toBe(first.notified.length + second.notified.length);
  });
});
