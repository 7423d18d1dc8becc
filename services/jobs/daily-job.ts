// A job that runs once a day on a BullMQ job scheduler, and once when a worker starts (a process that
// was down at the scheduled hour still does the day's work). The scheduler is upserted by every
// instance — one job per day whoever takes it; `runWorker` adds a worker. Jobs carry no data: the work
// finds and claims its own rows in the database, so retries and concurrent runs are harmless.
import { Queue, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Logger } from '../logger';

export interface DailyJobRuntime {
  readonly queue: Queue;
  readonly worker: Worker | null;
  close(): Promise<void>;
}

export interface DailyJobOptions {
  queueName: string;
  schedulerId: string;
  jobName: string;
  /** Cron pattern in `timeZone`, e.g. '0 8 * * *'. */
  pattern: string;
  timeZone: string;
  redisUrl: string;
  runWorker: boolean;
  log: Logger;
  /** What the logs call it ("reports", "retention"). */
  label: string;
  /** Id of the job added at worker start, one per day (e.g. with the local date). */
  startJobId: string;
  run: (job: Job) => Promise<unknown>;
  /** How many finished jobs Redis keeps; default 50. */
  keep?: number;
  /** The first retry's delay (exponential, 5 attempts); default 60 s. */
  retryDelayMs?: number;
  /** Tests shorten how soon a dead worker's job is taken over. */
  worker?: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval'>;
}

export async function startDailyJob(o: DailyJobOptions): Promise<DailyJobRuntime> {
  const queue = new Queue(o.queueName, { connection: { url: o.redisUrl, enableOfflineQueue: false } });
  queue.on('error', (err) => o.log.error({ queue: o.queueName, errName: err.name, errMessage: err.message }, `${o.label} queue error`));
  const jobOpts = {
    attempts: 5, backoff: { type: 'exponential' as const, delay: o.retryDelayMs ?? 60_000 }, removeOnComplete: o.keep ?? 50, removeOnFail: o.keep ?? 50,
  };
  await queue.upsertJobScheduler(o.schedulerId, { pattern: o.pattern, tz: o.timeZone }, { name: o.jobName, data: {}, opts: jobOpts });
  let worker: Worker | null = null;
  if (o.runWorker) {
    worker = new Worker(
      o.queueName,
      async (job: Job) => (job.name === o.jobName ? o.run(job) : { skipped: job.name }),
      { connection: { url: o.redisUrl, maxRetriesPerRequest: null }, concurrency: 1, ...o.worker },
    );
    worker.on('error', (err) => o.log.error({ queue: o.queueName, errName: err.name, errMessage: err.message }, `${o.label} worker error`));
    worker.on('failed', (job, err) => o.log.warn({ jobId: job?.id, errName: err.name, errMessage: err.message }, `${o.label} job failed; it is retried`));
    await queue.add(o.jobName, {}, { ...jobOpts, jobId: o.startJobId });
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
