// The survey's timers on BullMQ: per survey three delayed jobs with deterministic ids
// (survey-<id>-send/-remind/-expire; payload = the survey id only), a worker that runs the steps
// (run-survey-step.ts), and a reconcile job scheduler. The rows' times are the truth: the reconciler
// acts on every row that is due and not done (its job was lost — Redis flushed, a worker crashed
// mid-step — or failed for good) and re-adds the jobs of rows not yet due. Steps claim their row, so
// a job and the reconciler (or two workers) acting on the same row send once.
import { Queue, Worker, type Job } from 'bullmq';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import { runExpireStep, runSendStep, type StepOutcome, type SurveyStepDeps } from './run-survey-step';

export const DEFAULT_SURVEY_QUEUE = 'surveys';
export const SURVEY_RECONCILE_SCHEDULER_ID = 'survey-reconcile';
export const SURVEY_JOB = { send: 'survey.send', remind: 'survey.remind', expire: 'survey.expire', reconcile: 'survey.reconcile' } as const;
type StepName = 'send' | 'remind' | 'expire';

export function surveyJobId(surveyId: string, step: StepName): string {
  return `survey-${surveyId}-${step}`;
}

export interface SurveyRuntimeOptions extends SurveyStepDeps {
  redisUrl: string;
  queueName?: string;
  /** false: only schedule (workers run under `npm run worker`). */
  runWorker: boolean;
  reconcileEveryMs: number;
  /** Rows per reconcile pass. */
  batchSize?: number;
}

export interface SurveyRuntime {
  readonly queue: Queue;
  readonly worker: Worker | null;
  /** After a survey row was created: its three jobs. Never throws (the reconciler catches up). */
  surveyScheduled(surveyId: string): Promise<void>;
  reconcileNow(): Promise<ReconcileSurveysResult>;
  close(): Promise<void>;
}

export interface ReconcileSurveysResult {
  acted: number;
  jobsEnsured: number;
}

type PendingRow = { id: string; status: string; sendAt: Date; remindAt: Date; expiresAt: Date };

const STEP_JOB_OPTS = { attempts: 5, backoff: { type: 'exponential' as const, delay: 5_000 }, removeOnComplete: true, removeOnFail: 100 };

export async function startSurveyRuntime(options: SurveyRuntimeOptions): Promise<SurveyRuntime> {
  const { db, log } = options;
  const name = options.queueName ?? DEFAULT_SURVEY_QUEUE;
  const queue = new Queue(name, { connection: { url: options.redisUrl, enableOfflineQueue: false } });
  queue.on('error', (err) => log.error({ queue: name, errName: err.name, errMessage: err.message }, 'survey queue error'));

  const addStepJobs = async (row: PendingRow) => {
    const now = options.clock().getTime();
    // Only the steps still ahead of the row.
    const steps = ([['send', row.sendAt], ['remind', row.remindAt], ['expire', row.expiresAt]] as [StepName, Date][])
      .filter(([step]) => !(row.status === 'sent' && step === 'send') && !(row.status === 'reminded' && step !== 'expire'));
    // An existing job with the same id makes the add a no-op.
    await queue.addBulk(steps.map(([step, at]) => ({
      name: SURVEY_JOB[step], data: { surveyId: row.id },
      opts: { ...STEP_JOB_OPTS, jobId: surveyJobId(row.id, step), delay: Math.max(0, at.getTime() - now) },
    })));
  };
  const runStep = (step: StepName, surveyId: string): Promise<StepOutcome> =>
    step === 'expire' ? runExpireStep(options, surveyId) : runSendStep(options, surveyId, step);
  const reconcileNow = () => reconcileSurveys({ db, now: options.clock(), batchSize: options.batchSize ?? 500, runStep, addStepJobs, log });

  let worker: Worker | null = null;
  if (options.runWorker) {
    worker = new Worker(
      name,
      async (job: Job) => {
        if (job.name === SURVEY_JOB.reconcile) return reconcileNow();
        const surveyId = (job.data as { surveyId?: unknown }).surveyId;
        if (typeof surveyId !== 'string') return { skipped: 'no survey id' };
        const step = (Object.keys(SURVEY_JOB) as (keyof typeof SURVEY_JOB)[]).find((k) => SURVEY_JOB[k] === job.name);
        if (!step || step === 'reconcile') return { skipped: job.name };
        return { outcome: await runStep(step, surveyId) };
      },
      { connection: { url: options.redisUrl, maxRetriesPerRequest: null }, concurrency: 5 },
    );
    worker.on('error', (err) => log.error({ queue: name, errName: err.name, errMessage: err.message }, 'survey worker error'));
    worker.on('failed', (job, err) => log.warn({ jobId: job?.id, errName: err.name }, 'survey job failed; it is retried'));
    await queue.upsertJobScheduler(SURVEY_RECONCILE_SCHEDULER_ID, { every: options.reconcileEveryMs }, { name: SURVEY_JOB.reconcile, data: {}, opts: { removeOnComplete: true, removeOnFail: 20 } });
  }

  return {
    queue,
    worker,
    surveyScheduled: async (surveyId) => {
      try {
        const row = await db.satisfactionSurvey.findUnique({ where: { id: surveyId }, select: { id: true, status: true, sendAt: true, remindAt: true, expiresAt: true } });
        if (row) await addStepJobs(row);
      } catch (err) {
        log.warn({ surveyId, errName: (err as Error).name }, 'survey jobs not added now; the reconciler will act on the row');
      }
    },
    reconcileNow,
    close: async () => {
      await worker?.close();
      await queue.close();
    },
  };
}

/** Acts on every due row that is not done; makes sure rows not yet due have their jobs. */
export async function reconcileSurveys({ db, now, batchSize, runStep, addStepJobs, log }: {
  db: Database; now: Date; batchSize: number; log: Logger;
  runStep: (step: StepName, surveyId: string) => Promise<StepOutcome>;
  addStepJobs: (row: PendingRow) => Promise<void>;
}): Promise<ReconcileSurveysResult> {
  const result: ReconcileSurveysResult = { acted: 0, jobsEnsured: 0 };
  const dueQueries: [StepName, object][] = [
    ['expire', { status: { in: ['scheduled', 'sent', 'reminded'] }, expiresAt: { lte: now } }],
    ['send', { status: 'scheduled', sendAt: { lte: now } }],
    ['remind', { status: 'sent', remindAt: { lte: now }, method: { not: 'callback' } }],
  ];
  for (const [step, where] of dueQueries) {
    const rows = await db.satisfactionSurvey.findMany({ where, select: { id: true }, orderBy: { sendAt: 'asc' }, take: batchSize });
    for (const row of rows) {
      try {
        if ((await runStep(step, row.id)) !== 'not_due') result.acted++;
      } catch (err) {
        log.warn({ surveyId: row.id, step, errName: (err as Error).name }, 'reconcile: survey step failed; tried again next time');
      }
    }
  }
  const pending = await db.satisfactionSurvey.findMany({
    where: { status: { in: ['scheduled', 'sent', 'reminded'] }, expiresAt: { gt: now } },
    select: { id: true, status: true, sendAt: true, remindAt: true, expiresAt: true }, take: batchSize, orderBy: { expiresAt: 'asc' },
  });
  for (const row of pending) {
    await addStepJobs(row);
    result.jobsEnsured++;
  }
  return result;
}
