// The worker: thin processors that parse a job and call one use case. A timer that fires before its
// (re-planned) time is sent back to the delayed set; bad job data fails without retries; any other
// error is rethrown so BullMQ retries with backoff.
import { DelayedError, UnrecoverableError, Worker, type Job, type Processor, type Queue, type WorkerOptions } from 'bullmq';
import type { Database } from '../db/client';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ComplaintPolicy } from '../policy/policy';
import type { Logger } from '../logger';
import { onDeadlineBreach, onDeadlineWarning } from './handle-deadline-step';
import { onLadderEscalation } from './escalate-unacknowledged';
import { notifyAlerts, type NotifyAlert } from './notify-alerts';
import { findUndeliveredAlerts } from '../alerts/delivery/sweep-undelivered';
import { lastReconciledAt, reconcileTimers } from './reconcile-timers';
import { deadlineJobData, ladderJobData, parseJobData, SLA_JOB, workerConnection, type SlaRedisOptions } from './sla-jobs';

export interface SlaProcessorDeps {
  db: Database;
  queue: Queue;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  log: Logger;
  notify: NotifyAlert;
  clock: () => Date;
  /** With the reconcile job, hand alerts nobody has delivered yet (a crash, a failed webhook) to `notify` again. */
  sweepAlerts?: boolean;
  /** How old an undelivered alert must be before the sweep takes it (default in sweep-undelivered.ts). */
  sweepGraceMs?: number;
  /**
   * A scheduled reconcile is skipped when a full one ran less than this long ago (the job scheduler
   * fires its first job as soon as a worker starts, right after the reconcile at start). Default 0.
   */
  reconcileMinGapMs?: number;
}

/** Alerts raised but not delivered (a process died, a path failed for a reason a retry can fix): delivered now. */
export async function sweepUndeliveredAlerts({ db, notify, log, now, sweepGraceMs }: Pick<SlaProcessorDeps, 'db' | 'notify' | 'log' | 'sweepGraceMs'> & { now: Date }): Promise<number> {
  const alertIds = await findUndeliveredAlerts({ db, now, graceMs: sweepGraceMs });
  if (alertIds.length > 0) {
    log.info({ alerts: alertIds.length }, 'delivering alerts that nobody delivered');
    await notifyAlerts(alertIds, notify, log);
  }
  return alertIds.length;
}

export function createSlaProcessor(deps: SlaProcessorDeps): Processor {
  const { db, queue, policy, calendar, log, notify, clock } = deps;
  return async (job: Job, token?: string) => {
    const now = clock();
    switch (job.name) {
      case SLA_JOB.warning:
      case SLA_JOB.breach: {
        const { deadlineId } = parseJobData(deadlineJobData, job);
        const run = job.name === SLA_JOB.warning ? onDeadlineWarning : onDeadlineBreach;
        const result = await run({ db, deadlineId, policy, calendar, notify, log, now });
        if (result.outcome === 'early') return delayUntil(job, token, result.fireAt);
        return result.outcome;
      }
      case SLA_JOB.ladder: {
        const { complaintId } = parseJobData(ladderJobData, job);
        const result = await onLadderEscalation({ db, complaintId, policy, calendar, notify, log, now });
        if (result.outcome === 'early') return delayUntil(job, token, result.fireAt);
        return result.outcome;
      }
      case SLA_JOB.reconcile: {
        const last = deps.reconcileMinGapMs ? await lastReconciledAt(queue) : null;
        if (last && now.getTime() - last.getTime() < deps.reconcileMinGapMs!) {
          const swept = deps.sweepAlerts ? await sweepUndeliveredAlerts({ db, notify, log, now, sweepGraceMs: deps.sweepGraceMs }) : 0;
          return { skipped: 'reconciled recently', reconciledAt: last.toISOString(), alertsSwept: swept };
        }
        const result = await reconcileTimers({ db, queue, policy, calendar, now });
        const swept = deps.sweepAlerts ? await sweepUndeliveredAlerts({ db, notify, log, now, sweepGraceMs: deps.sweepGraceMs }) : 0;
        log.info({ jobId: job.id, ...result, alertsSwept: swept }, 'SLA timers reconciled');
        return { ...result, alertsSwept: swept };
      }
      default:
        throw new UnrecoverableError(`unknown SLA job name "${job.name}"`);
    }
  };
}

/** Sends a running job back to the delayed set for `fireAt`, keeping its id (and its planned time in sync). */
async function delayUntil(job: Job, token: string | undefined, fireAt: Date): Promise<never> {
  await job.updateData({ ...(job.data as object), fireAt: fireAt.getTime() });
  await job.moveToDelayed(fireAt.getTime(), token);
  throw new DelayedError();
}

export type SlaWorkerTuning = Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount' | 'drainDelay'>;

export function createSlaWorker({
  queueName, redis, deps, tuning = {},
}: { queueName: string; redis: SlaRedisOptions; deps: SlaProcessorDeps; tuning?: SlaWorkerTuning }): Worker {
  const { log } = deps;
  const worker = new Worker(queueName, createSlaProcessor(deps), { connection: workerConnection(redis), concurrency: 5, ...tuning });
  worker.on('error', (err) => log.error({ queue: queueName, errName: err.name, errMessage: err.message }, 'SLA worker error'));
  worker.on('failed', (job, err) =>
    log.warn({ jobId: job?.id, jobName: job?.name, attemptsMade: job?.attemptsMade, errName: err.name, errMessage: err.message }, 'SLA job failed'),
  );
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'SLA job stalled (its worker stopped); it runs again'));
  return worker;
}
