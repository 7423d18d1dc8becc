// The SLA clock as one running thing: the timer queue, a worker (in the bot process by default, or
// alone under `npm run worker`; any number side by side on one Redis), the reconcile job scheduler
// and a reconcile at start. `close()` waits for running jobs.
import type { Queue, Worker } from 'bullmq';
import type { Database } from '../db/client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy } from '../policy/policy';
import type { Logger } from '../logger';
import type { Actor } from '../complaints/record-event';
import type { DeadlineKindName } from '../deadlines/compute-deadlines';
import { cancelLadderTimers } from './deadline-timers';
import { markDeadlineMet, type MarkDeadlineMetResult } from './mark-deadline-met';
import { logOnlyNotifier, type NotifyAlert } from './notify-alerts';
import { lastReconciledAt, reconcileTimers, type ReconcileResult } from './reconcile-timers';
import { scheduleComplaintTimers } from './schedule-complaint-timers';
import { createSlaQueue, DEFAULT_SLA_QUEUE_NAME, RECONCILE_SCHEDULER_ID, SLA_JOB, type SlaRedisOptions } from './sla-jobs';
import { createSlaWorker, sweepUndeliveredAlerts, type SlaWorkerTuning } from './sla-worker';
import { reconcileOnRedisReturn } from './reconcile-on-redis-return';

export interface SlaRuntimeOptions {
  db: Database;
  /** `{ url: config.redisUrl }`; the runtime opens (and closes) its own connections. */
  redis: SlaRedisOptions;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  log: Logger;
  /** Called with each new alert's id after its transaction commits (delivery). Default: log only. */
  notify?: NotifyAlert;
  clock?: () => Date;
  queueName?: string;
  /** false: this process only schedules (workers run elsewhere). Default true. */
  runWorkers?: boolean;
  /** Reconcile once at start, unless one ran within the interval (in the background: see `firstReconcile`). Default true. */
  reconcileOnStart?: boolean;
  /** Default: policy.sla.reconcileIntervalMinutes. */
  reconcileIntervalMs?: number;
  /** Undelivered alerts younger than this are left to whoever raised them (tests shorten it). */
  sweepGraceMs?: number;
  /** Worker settings (concurrency 5 by default; tests shorten lock and stall intervals). */
  worker?: SlaWorkerTuning;
}

export interface SlaRuntime {
  readonly queue: Queue;
  /** Null when runWorkers is false. */
  readonly worker: Worker | null;
  /** The reconcile run at start; resolves null when it was off, skipped (one ran recently) or failed (logged). */
  readonly firstReconcile: Promise<ReconcileResult | null>;
  reconcileNow(): Promise<ReconcileResult>;
  /** After filing a complaint or recomputing its deadlines. Never throws: a failure is logged and the reconciler catches up. */
  /** `fresh`: the complaint was just filed (every timer added in one round trip, schedule-complaint-timers.ts). */
  scheduleComplaint(complaintId: string, options?: { fresh?: boolean }): Promise<void>;
  markDeadlineMet(input: { complaintId: string; kind: DeadlineKindName; actor?: Actor }): Promise<MarkDeadlineMetResult>;
  /** After a supervisor acknowledges an intake alert: the climb to the leadership group is off. */
  cancelLadder(complaintId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSlaRuntime(options: SlaRuntimeOptions): Promise<SlaRuntime> {
  const { db, redis, policy, calendar, log } = options;
  const clock = options.clock ?? (() => new Date());
  const notify = options.notify ?? logOnlyNotifier(log);
  // Sweeping makes sense only where alerts are really delivered.
  const sweepAlerts = options.notify !== undefined;
  const queueName = options.queueName ?? DEFAULT_SLA_QUEUE_NAME;
  const queue = createSlaQueue(redis, queueName);
  queue.on('error', (err) => log.error({ queue: queueName, errName: err.name, errMessage: err.message }, 'SLA queue error'));
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  const reconcileNow = () => track(reconcileTimers({ db, queue, policy, calendar, now: clock() }));
  let worker: Worker | null = null;
  if (options.runWorkers ?? true) {
    const every = options.reconcileIntervalMs ?? policy.sla.reconcileIntervalMinutes * 60_000;
    worker = createSlaWorker({
      queueName, redis, tuning: options.worker,
      // Half the interval: the scheduler's first job right after a reconcile at start does nothing.
      deps: { db, queue, policy, calendar, log, notify, clock, sweepAlerts, sweepGraceMs: options.sweepGraceMs, reconcileMinGapMs: every / 2 },
    });
  }
  // Every process upserts the same scheduler: one reconcile per interval, whichever worker takes it.
  const upsertReconcileScheduler = async () => {
    if (!worker) return;
    const every = options.reconcileIntervalMs ?? policy.sla.reconcileIntervalMinutes * 60_000;
    await queue.upsertJobScheduler(RECONCILE_SCHEDULER_ID, { every }, { name: SLA_JOB.reconcile, data: {}, opts: { removeOnComplete: true, removeOnFail: 50 } });
  };
  await upsertReconcileScheduler();
  // A full reconcile compares every pending deadline with every job (a minute of work at 100 000
  // open complaints), so a worker that starts — or restarts after a crash, which loses nothing in
  // Redis — skips it when one ran within the interval; the scheduled reconcile comes anyway. A Redis
  // that lost its data has lost the marker too, so then it runs.
  const reconcileEveryMs = options.reconcileIntervalMs ?? policy.sla.reconcileIntervalMinutes * 60_000;
  const reconcileAtStart = async (): Promise<ReconcileResult | null> => {
    const last = await lastReconciledAt(queue);
    let result: ReconcileResult | null = null;
    if (last && clock().getTime() - last.getTime() < reconcileEveryMs) {
      log.info({ queue: queueName, reconciledAt: last.toISOString() }, 'SLA timers reconciled recently; not again at start');
    } else {
      result = await reconcileNow();
      log.info({ queue: queueName, ...result }, 'SLA timers reconciled at start');
    }
    if (sweepAlerts && (options.runWorkers ?? true)) await sweepUndeliveredAlerts({ db, notify, log, now: clock(), sweepGraceMs: options.sweepGraceMs }).catch(() => 0);
    return result;
  };
  const firstReconcile: Promise<ReconcileResult | null> =
    (options.reconcileOnStart ?? true)
      ? reconcileAtStart().catch((err: Error) => {
          log.error({ queue: queueName, errName: err.name, errMessage: err.message }, 'SLA reconcile at start failed; the scheduled one will retry');
          return null;
        })
      : Promise.resolve(null);

  // Redis back after an outage (or a restart that lost its data): scheduler again, and one reconcile.
  const redisWatch = reconcileOnRedisReturn({
    redisUrl: redis.url, claimKey: queue.toKey('sla-reconcile-after-outage'), log: log.child({ queue: queueName }),
    recover: async ({ reconcile }) => {
      await upsertReconcileScheduler();
      if (reconcile) log.info({ queue: queueName, ...(await reconcileNow()) }, 'SLA timers reconciled after Redis returned');
    },
  });

  let closed = false;
  return {
    queue,
    worker,
    firstReconcile,
    reconcileNow,
    scheduleComplaint: async (complaintId, options) => {
      try {
        await track(scheduleComplaintTimers({ db, queue, complaintId, policy, calendar, now: clock(), fresh: options?.fresh }));
      } catch (err) {
        log.warn({ complaintId, errName: (err as Error).name, errMessage: (err as Error).message }, 'could not schedule SLA timers now; the reconciler will');
      }
    },
    markDeadlineMet: ({ complaintId, kind, actor }) => track(markDeadlineMet({ db, queue, complaintId, kind, actor, now: clock() })),
    cancelLadder: async (complaintId) => {
      await track(cancelLadderTimers(queue, complaintId)).catch(() => undefined);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // Waits for the jobs this worker is running; unfinished calls of this process finish first.
      await redisWatch.close();
      await worker?.close();
      await Promise.allSettled([...inFlight]);
      await queue.close();
    },
  };
}
