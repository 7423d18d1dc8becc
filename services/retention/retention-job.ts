// The retention pass on a BullMQ job scheduler: every day at 03:30 in the policy's time zone (a quiet
// hour), and once when the worker starts. The job carries no data; the pass finds its own work and
// each complaint is claimed in the database, so a retried, duplicated or concurrent run is harmless.
import { Queue, Worker, type Job } from 'bullmq';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { ComplaintPolicy } from '../policy/policy';
import { runRetention } from './run-retention';

export const DEFAULT_RETENTION_QUEUE = 'retention';
export const RETENTION_SCHEDULER_ID = 'retention-daily';
export const RETENTION_JOB = 'retention.run';
export const RETENTION_PATTERN = '30 3 * * *';

export interface RetentionRuntime {
  readonly queue: Queue;
  readonly worker: Worker | null;
  close(): Promise<void>;
}

export async function startRetentionRuntime(deps: { db: Database; policy: ComplaintPolicy; log: Logger; redisUrl: string; clock: () => Date; runWorker: boolean; queueName?: string }): Promise<RetentionRuntime> {
  const name = deps.queueName ?? DEFAULT_RETENTION_QUEUE;
  const queue = new Queue(name, { connection: { url: deps.redisUrl, enableOfflineQueue: false } });
  queue.on('error', (err) => deps.log.error({ queue: name, errName: err.name, errMessage: err.message }, 'retention queue error'));
  const jobOpts = { attempts: 5, backoff: { type: 'exponential' as const, delay: 60_000 }, removeOnComplete: 50, removeOnFail: 50 };
  await queue.upsertJobScheduler(RETENTION_SCHEDULER_ID, { pattern: RETENTION_PATTERN, tz: deps.policy.timeZone }, { name: RETENTION_JOB, data: {}, opts: jobOpts });
  let worker: Worker | null = null;
  if (deps.runWorker) {
    worker = new Worker(
      name,
      async (job: Job) => {
        if (job.name !== RETENTION_JOB) return { skipped: job.name };
        const report = await runRetention({ db: deps.db, policy: deps.policy, now: deps.clock(), log: deps.log });
        deps.log.info({ jobId: job.id, byLine: report.byLine.map((l) => ({ line: l.line, due: l.due, anonymised: l.anonymised })), complainantsAnonymised: report.complainantsAnonymised }, 'retention pass done');
        return { anonymised: report.byLine.reduce((n, l) => n + l.anonymised, 0), complainantsAnonymised: report.complainantsAnonymised };
      },
      { connection: { url: deps.redisUrl, maxRetriesPerRequest: null }, concurrency: 1 },
    );
    worker.on('error', (err) => deps.log.error({ queue: name, errName: err.name, errMessage: err.message }, 'retention worker error'));
    worker.on('failed', (job, err) => deps.log.warn({ jobId: job?.id, errName: err.name, errMessage: err.message }, 'retention pass failed; it is retried'));
    await queue.add(RETENTION_JOB, {}, { ...jobOpts, jobId: `retention-at-start-${deps.clock().toISOString().slice(0, 10)}` });
  }
  return {
    queue,
    worker,
    close: async () => {
      await worker?.close();
      await queue.close();
    },
  };
}
