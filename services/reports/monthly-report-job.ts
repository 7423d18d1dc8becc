// The monthly report (R-MONTHLY) on a BullMQ job scheduler: every day at 08:00 Beijing time a check
// runs; from the configured working day of the month on (default the 3rd, never later than the
// 5th — the limit), it produces last month's report once (PDF + XLSX, kept in report_run) and
// e-mails it to the leadership group. The row per month and its claim (a conditional update with a
// lease) make the job safe to run on every instance, retried, or twice on one day.
import type { WorkerOptions } from 'bullmq';
import { startDailyJob, type DailyJobRuntime } from '../jobs/daily-job';
import type { AppConfig } from '../config';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import { planMonthlyReport, type MonthlyReportPlan } from './monthly-schedule';
import { monthlyTitle, produceReport, reportSettingsFrom, type ReportSettings } from './produce-report';
import { monthPeriod } from './report-filter';
import { leadershipRecipients, sendReportMail } from './report-mail';

export const DEFAULT_REPORTS_QUEUE = 'reports';
export const MONTHLY_SCHEDULER_ID = 'monthly-report';
export const MONTHLY_CHECK_JOB = 'monthly-report.check';
/** Every day at 08:00 in the calendar's zone: the report is in leadership's mail when they start. */
export const MONTHLY_CHECK_PATTERN = '0 8 * * *';

export interface MonthlyReportDeps {
  db: Database;
  calendar: BusinessCalendar;
  settings: ReportSettings;
  /** 1..5 (config.reports.monthlyWorkingDay). */
  workingDay: number;
  /** SMTP relay and sender (config.alertDelivery.mail); unset = produced and kept, not mailed. */
  mail?: { smtpUrl: string; from: string };
  extraRecipients?: string[];
  consoleUrl?: string;
  log: Logger;
  /** How long a worker keeps its claim on a month; default 10 minutes. */
  leaseMs?: number;
}

export type MonthlyReportOutcome =
  | { outcome: 'not_due'; plan: MonthlyReportPlan }
  | { outcome: 'already_done' | 'busy'; plan: MonthlyReportPlan }
  | { outcome: 'produced'; plan: MonthlyReportPlan; runId: string; mailed: boolean; recipients: number };

export async function runMonthlyReportIfDue(deps: MonthlyReportDeps & { now: Date }): Promise<MonthlyReportOutcome> {
  const { db, calendar, now, log } = deps;
  const plan = planMonthlyReport({ calendar, now, workingDay: deps.workingDay });
  if (!plan.due) return { outcome: 'not_due', plan };
  const period = monthPeriod(plan.month);
  await db.reportRun.createMany({
    data: [{ kind: 'monthly', monthKey: plan.month, periodFrom: period.from, periodTo: period.to, createdAt: now }],
    skipDuplicates: true,
  });
  const pendingWork = deps.mail ? { emailedAt: null } : { producedAt: null };
  const claim = await db.reportRun.updateMany({
    where: { monthKey: plan.month, ...pendingWork, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    data: { claimedUntil: new Date(now.getTime() + (deps.leaseMs ?? 10 * 60_000)) },
  });
  if (claim.count === 0) {
    const row = await db.reportRun.findUnique({ where: { monthKey: plan.month }, select: { emailedAt: true, producedAt: true } });
    const done = deps.mail ? row?.emailedAt : row?.producedAt;
    return { outcome: done ? 'already_done' : 'busy', plan };
  }
  const run = await db.reportRun.findUniqueOrThrow({ where: { monthKey: plan.month }, select: { id: true, producedAt: true } });
  try {
    let files: { pdf: Buffer; xlsx: Buffer; figures: Awaited<ReturnType<typeof produceReport>>['figures'] };
    if (!run.producedAt) {
      files = await produceReport({ db, filter: period, now, settings: deps.settings, title: monthlyTitle(plan.month) });
      await db.reportRun.update({
        where: { id: run.id },
        data: { pdf: new Uint8Array(files.pdf), xlsx: new Uint8Array(files.xlsx), figures: JSON.parse(JSON.stringify(files.figures)), producedAt: now, lastError: null },
      });
      log.info({ month: plan.month, reportRunId: run.id, total: files.figures.total }, 'monthly report produced');
    } else {
      const stored = await db.reportRun.findUniqueOrThrow({ where: { id: run.id }, select: { pdf: true, xlsx: true, figures: true } });
      files = { pdf: Buffer.from(stored.pdf!), xlsx: Buffer.from(stored.xlsx!), figures: stored.figures as never };
    }
    let mailed = false;
    let recipients = 0;
    if (deps.mail) {
      const to = await leadershipRecipients(db, deps.extraRecipients);
      if (to.length === 0) {
        log.warn({ month: plan.month }, 'monthly report not mailed: no leadership member has an e-mail address (and REPORT_RECIPIENTS is empty)');
        await db.reportRun.update({ where: { id: run.id }, data: { lastError: 'NoRecipients' } });
      } else {
        await sendReportMail({ smtpUrl: deps.mail.smtpUrl, from: deps.mail.from, to, figures: files.figures, month: plan.month, pdf: files.pdf, xlsx: files.xlsx, consoleUrl: deps.consoleUrl });
        mailed = true;
        recipients = to.length;
        await db.reportRun.update({ where: { id: run.id }, data: { emailedAt: new Date(), recipientCount: to.length, lastError: null } });
        log.info({ month: plan.month, reportRunId: run.id, recipients: to.length }, 'monthly report e-mailed to the leadership group');
      }
    }
    return { outcome: 'produced', plan, runId: run.id, mailed, recipients };
  } catch (err) {
    const e = err as { name?: string; code?: string; responseCode?: number };
    await db.reportRun.update({ where: { id: run.id }, data: { lastError: [e.name ?? 'Error', e.code, e.responseCode].filter(Boolean).join(' ') } }).catch(() => undefined);
    throw err;
  } finally {
    await db.reportRun.updateMany({ where: { id: run.id }, data: { claimedUntil: null } }).catch(() => undefined);
  }
}

export type ReportRuntime = DailyJobRuntime;

/**
 * The scheduler (upserted by every instance: one job per day whoever takes it) and, when
 * `runWorker`, a worker for it. A check also runs at start, so a process that was down at 08:00 on
 * the production day still produces the report that day.
 */
export async function startReportRuntime(
  deps: MonthlyReportDeps & {
    redisUrl: string; clock: () => Date; runWorker: boolean; queueName?: string;
    /** Tests shorten how soon a dead worker's job is taken over, and the first retry's delay (default 60 s). */
    worker?: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval'>; retryDelayMs?: number;
  },
): Promise<ReportRuntime> {
  return startDailyJob({
    queueName: deps.queueName ?? DEFAULT_REPORTS_QUEUE, schedulerId: MONTHLY_SCHEDULER_ID, jobName: MONTHLY_CHECK_JOB,
    pattern: MONTHLY_CHECK_PATTERN, timeZone: deps.calendar.timeZone, redisUrl: deps.redisUrl, runWorker: deps.runWorker,
    log: deps.log, label: 'monthly report check', keep: 100, retryDelayMs: deps.retryDelayMs, worker: deps.worker,
    startJobId: `monthly-check-at-start-${deps.calendar.localDate(deps.clock())}`,
    run: async (job) => {
      const result = await runMonthlyReportIfDue({ ...deps, now: deps.clock() });
      deps.log.info({ jobId: job.id, outcome: result.outcome, month: result.plan.month, productionDay: result.plan.productionDay }, 'monthly report check');
      // Claimed by someone else: maybe a worker that died mid-report (its claim lapses with the lease).
      // Retried with backoff — completing here would leave the month unmailed until the next day's check.
      if (result.outcome === 'busy') throw new Error(`monthly report ${result.plan.month} is claimed by another worker; retrying`);
      return { outcome: result.outcome, month: result.plan.month };
    },
  });
}

/** The monthly report's runtime as the app configures it (the bot per SLA_MODE, `npm run worker` always). */
export function startConfiguredReportRuntime(
  { config, db, calendar, log, clock, runWorker }: { config: AppConfig; db: Database; calendar: BusinessCalendar; log: Logger; clock: () => Date; runWorker: boolean },
): Promise<ReportRuntime> {
  return startReportRuntime({
    db, calendar, log: log.child({ component: 'reports' }), clock, redisUrl: config.redisUrl, runWorker,
    settings: reportSettingsFrom(config), workingDay: config.reports.monthlyWorkingDay, mail: config.alertDelivery.mail,
    extraRecipients: config.reports.extraRecipients, consoleUrl: config.publicBaseUrl,
  });
}
