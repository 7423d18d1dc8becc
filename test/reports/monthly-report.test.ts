// The monthly report (R-MONTHLY): due by the 5th working day of the next month on the business
// calendar (holidays and make-up days are data), produced by a BullMQ job scheduler's check as PDF
// and XLSX, kept for the console, and e-mailed once to the leadership group (local SMTP stand-in).
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../../services/calendar/business-calendar';
import cnHolidays from '../../services/calendar/cn-holidays.json';
import { createLogger } from '../../services/logger';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { MONTHLY_CHECK_PATTERN, MONTHLY_SCHEDULER_ID, runMonthlyReportIfDue, startReportRuntime, type ReportRuntime } from '../../services/reports/monthly-report-job';
import { nthWorkingDayAfterMonth, planMonthlyReport } from '../../services/reports/monthly-schedule';
import { DEFAULT_REPORT_FONT } from '../../services/reports/pdf-report';
import { testCalendar } from '../support/app';
import { startSmtpStandIn, type SmtpStandIn } from '../support/smtp-stand-in';
import { seedLedger, type SeededLedger } from './report-seed';

const calendar = testCalendar();
const log = createLogger({ level: 'silent' });
const settings = { font: DEFAULT_REPORT_FONT, textSampleSize: 1000 };

describe('when the monthly report is due (business calendar)', () => {
  it('is the 5th working day of the next month, holidays and make-up working days counted', () => {
    // October 2026: 1–7 off (National Day), Saturday 10 October worked.
    expect(nthWorkingDayAfterMonth(calendar, '2026-09', 5)).toBe('2026-10-13');
    expect(nthWorkingDayAfterMonth(calendar, '2026-09', 3)).toBe('2026-10-10');
    // February 2026 starts with five ordinary working days.
    expect(nthWorkingDayAfterMonth(calendar, '2026-01', 5)).toBe('2026-02-06');
    // March 2026 after 春节 (15–23 Feb off, 28 Feb a Saturday worked): 2 to 6 March.
    expect(nthWorkingDayAfterMonth(calendar, '2026-02', 5)).toBe('2026-03-06');
    // December 2026: Tuesday 1st to Monday 7th.
    expect(nthWorkingDayAfterMonth(calendar, '2026-11', 5)).toBe('2026-12-07');
  });

  it('for December 2026: 2027 is not on file yet, so weekends only — a day early, never late', () => {
    expect(calendar.covers('2027-01-04')).toBe(false);
    expect(nthWorkingDayAfterMonth(calendar, '2026-12', 5)).toBe('2027-01-07');
    // Once the State Council's 2027 notice is in the data (1 January off), the due date moves to the 8th.
    const with2027 = createBusinessCalendar(
      { ...cnHolidays, years: { ...cnHolidays.years, 2027: { holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] } } },
      { timeZone: DEFAULT_POLICY.timeZone, serviceHours: DEFAULT_POLICY.serviceHours },
    );
    expect(nthWorkingDayAfterMonth(with2027, '2026-12', 5)).toBe('2027-01-08');
  });

  it('is produced on the configured working day (default 3rd), in Beijing time', () => {
    const at = (iso: string) => planMonthlyReport({ calendar, now: new Date(iso), workingDay: 3 });
    expect(at('2026-12-02T23:59:00+08:00')).toEqual({ month: '2026-11', productionDay: '2026-12-03', dueDay: '2026-12-07', due: false });
    expect(at('2026-12-03T08:00:00+08:00')).toMatchObject({ month: '2026-11', due: true });
    // 16:00 UTC on 2 December is already 3 December in Beijing.
    expect(at('2026-12-02T16:00:00Z')).toMatchObject({ month: '2026-11', due: true });
    expect(at('2026-10-09T08:00:00+08:00')).toMatchObject({ month: '2026-09', productionDay: '2026-10-10', due: false });
    expect(() => planMonthlyReport({ calendar, now: new Date(), workingDay: 6 })).toThrow(/1\.\.5/);
  });
});

describe('the monthly job', () => {
  let ledger: SeededLedger;
  let smtp: SmtpStandIn;
  let runtime: ReportRuntime | null = null;
  const queueName = `reports-test-${randomBytes(4).toString('hex')}`;
  const clockAt = new Date('2026-12-03T08:00:00+08:00');

  beforeAll(async () => {
    ledger = await seedLedger();
    smtp = await startSmtpStandIn();
  }, 120_000);
  afterAll(async () => {
    if (runtime) {
      await runtime.queue.obliterate({ force: true }).catch(() => undefined);
      await runtime.close();
    }
    await smtp?.close();
    await ledger?.drop();
  });

  it('is a job scheduler running every day at 08:00 Beijing time; on the production day it produces November and mails the leadership group once', async () => {
    runtime = await startReportRuntime({
      db: ledger.db, calendar, settings, workingDay: 3, log, clock: () => clockAt, redisUrl: 'redis://127.0.0.1:6379', runWorker: true, queueName,
      mail: { smtpUrl: smtp.url, from: '投诉管理 <reports@example.cn>' }, consoleUrl: 'https://complaints.example.cn',
    });
    const scheduler = await runtime.queue.getJobScheduler(MONTHLY_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ pattern: MONTHLY_CHECK_PATTERN, tz: 'Asia/Shanghai' });
    const next = new Date(Number(scheduler!.next));
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([0, 0]); // 08:00 in Beijing

    // The check the worker runs at start (the clock says 3 December 08:00) produces and mails.
    const [mail] = await smtp.waitForMessages(1, 90_000);
    expect(mail!.envelopeTo.sort()).toEqual(['lead1@example.cn', 'lead2.reports@example.cn']); // the e-mail contact wins; inactive members get nothing
    expect(mail!.subject).toBe('投诉月报 2026-11 Monthly complaint report');
    expect(mail!.text).toContain('投诉总量 Total: 12');
    expect(mail!.text).toContain('满意度 Satisfaction: 60.0%（3 / 5），调查回复率 Response rate: 71.4%，平均评分 Average rating: 3.50');
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['complaints-monthly-report-2026-11.pdf', 'application/pdf'],
      ['complaints-monthly-report-2026-11.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    expect(parsed.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(parsed.attachments[1]!.content.subarray(0, 2).toString()).toBe('PK');

    await expect.poll(async () => (await ledger.db.reportRun.findUnique({ where: { monthKey: '2026-11' } }))?.recipientCount, { timeout: 10_000 }).toBe(2);
    const run = await ledger.db.reportRun.findUniqueOrThrow({ where: { monthKey: '2026-11' } });
    expect(run).toMatchObject({ kind: 'monthly', periodFrom: '2026-11-01', periodTo: '2026-11-30', claimedUntil: null, lastError: null });
    expect(run.producedAt).not.toBeNull();
    expect(run.emailedAt).not.toBeNull();
    expect((run.figures as { total: number }).total).toBe(12);
    expect(Buffer.from(run.pdf!).subarray(0, 5).toString()).toBe('%PDF-');

    // The next day's check, or a second instance, finds it done: no second mail.
    const again = await runMonthlyReportIfDue({ db: ledger.db, calendar, settings, workingDay: 3, log, now: new Date('2026-12-04T08:00:00+08:00'), mail: { smtpUrl: smtp.url, from: 'reports@example.cn' } });
    expect(again.outcome).toBe('already_done');
    expect(smtp.messages).toHaveLength(1);
  }, 150_000);

  it('does nothing before the production day', async () => {
    const early = await runMonthlyReportIfDue({ db: ledger.db, calendar, settings, workingDay: 3, log, now: new Date('2026-11-02T08:00:00+08:00') });
    expect(early).toMatchObject({ outcome: 'not_due', plan: { month: '2026-10', productionDay: '2026-11-04' } });
    expect(await ledger.db.reportRun.count({ where: { monthKey: '2026-10' } })).toBe(0);
  });
});
