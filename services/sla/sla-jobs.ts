// The SLA queue's vocabulary: job names, deterministic job ids, job data and retry options. Job ids
// never contain ':' (BullMQ reserves it); job data holds ids and the planned firing time only, never
// personal data, and is parsed (zod) when a worker reads it.
import { Queue, UnrecoverableError, type Job, type JobsOptions, type RedisOptions } from 'bullmq';
import { z } from 'zod';

export const DEFAULT_SLA_QUEUE_NAME = 'sla-timers';

export const SLA_JOB = {
  warning: 'deadline.warning',
  breach: 'deadline.breach',
  ladder: 'ladder.escalate',
  reconcile: 'reconcile',
} as const;
export type SlaJobName = (typeof SLA_JOB)[keyof typeof SLA_JOB];

/** The two timers of a deadline: a warning part-way through its window, and the breach at its end. */
export type DeadlineStep = 'warn' | 'breach';

export const RECONCILE_SCHEDULER_ID = 'sla-reconcile';
export const DEADLINE_JOB_PREFIX = 'dl-';
export const LADDER_JOB_PREFIX = 'ladder-';

export function deadlineJobId(deadlineId: string, step: DeadlineStep): string {
  return `${DEADLINE_JOB_PREFIX}${deadlineId}-${step}`;
}

export function ladderJobId(complaintId: string): string {
  return `${LADDER_JOB_PREFIX}${complaintId}-leadership`;
}

/** Whether a job id is one of the timers this module owns (the reconciler leaves any other alone). */
export function isTimerJobId(jobId: string | undefined): jobId is string {
  return !!jobId && (jobId.startsWith(DEADLINE_JOB_PREFIX) || jobId.startsWith(LADDER_JOB_PREFIX));
}

/** `fireAt` (epoch ms) is when the timer was planned for: the reconciler compares it with the database. */
export const deadlineJobData = z.strictObject({ deadlineId: z.guid(), fireAt: z.number().int() });
export const ladderJobData = z.strictObject({ complaintId: z.guid(), fireAt: z.number().int() });
export type DeadlineJobData = z.infer<typeof deadlineJobData>;
export type LadderJobData = z.infer<typeof ladderJobData>;

/** Bad job data will not get better on a retry. */
export function parseJobData<T>(schema: z.ZodType<T>, job: Pick<Job, 'id' | 'name' | 'data'>): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`SLA job ${job.id ?? '?'} (${job.name}) has invalid data: ${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`);
  return parsed.data;
}

/**
 * Retries with exponential backoff (a database hiccup); completed timers are deleted so their id can
 * be used again when a deadline is recomputed; failed ones are kept a week for inspection, and the
 * reconciler re-creates those that are still due.
 */
export const TIMER_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** How to reach Redis: `{ url: config.redisUrl }`, optionally with further ioredis options. */
export type SlaRedisOptions = RedisOptions & { url: string };

/**
 * The queue that holds the timers. Commands fail fast while Redis is away (no offline queue), so a
 * caller scheduling after an intake never hangs; the reconciler re-creates whatever was missed.
 */
export function createSlaQueue(redis: SlaRedisOptions, name = DEFAULT_SLA_QUEUE_NAME): Queue {
  return new Queue(name, { connection: { ...redis, enableOfflineQueue: false } });
}

/** Worker connections block on Redis and must retry forever (BullMQ requires maxRetriesPerRequest: null). */
export function workerConnection(redis: SlaRedisOptions): RedisOptions {
  return { ...redis, maxRetriesPerRequest: null };
}
