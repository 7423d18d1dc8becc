// The retention pass on a BullMQ job scheduler: every day at 03:30 in the policy's time zone (a quiet
// hour), and once when the worker starts. The job carries no data; the pass finds its own work and
// each complaint is claimed in the database, so a retried, duplicated or concurrent run is harmless.
import { startDailyJob, type DailyJobRuntime } from '../jobs/daily-job';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { ComplaintPolicy } from '../policy/policy';
import { runRetention } from './run-retention';

export const DEFAULT_RETENTION_QUEUE = 'retention';
export const RETENTION_SCHEDULER_ID = 'retention-daily';
export const RETENTION_JOB = 'retention.run';
export const RETENTION_PATTERN = '30 3 * * *';

export type RetentionRuntime = DailyJobRuntime;

export async function startRetentionRuntime(deps: { db: Database; policy: ComplaintPolicy; log: Logger; redisUrl: string; clock: () => Date; runWorker: boolean; queueName?: string }): Promise<RetentionRuntime> {
  return startDailyJob({
    queueName: deps.queueName ?? DEFAULT_RETENTION_QUEUE, schedulerId: RETENTION_SCHEDULER_ID, jobName: RETENTION_JOB,
    pattern: RETENTION_PATTERN, timeZone: deps.policy.timeZone, redisUrl: deps.redisUrl, runWorker: deps.runWorker, log: deps.log,
    label: 'retention pass', startJobId: `retention-at-start-${deps.clock().toISOString().slice(0, 10)}`,
    run: async (job) => {
      const report = await runRetention({ db: deps.db, policy: deps.policy, now: deps.clock(), log: deps.log });
      deps.log.info({ jobId: job.id, byLine: report.byLine.map((l) => ({ line: l.line, due: l.due, anonymised: l.anonymised })), complainantsAnonymised: report.complainantsAnonymised }, 'retention pass done');
      return { anonymised: report.byLine.reduce((n, l) => n + l.anonymised, 0), complainantsAnonymised: report.complainantsAnonymised };
    },
  });
}
