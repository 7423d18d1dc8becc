// The dashboard in the console (/console/dashboard.html) in headless Chromium: a supervisor picks
// November 2026, sees the figures and Chart.js charts, downloads the report as PDF and XLSX — the
// same figures as the CLI's JSON — and the monthly report produced by the job. Screenshot in
// test-output/. The report API's roles: anonymous 401, agents 403.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../bot/app';
import { createLogger } from '../../services/logger';
import type { ReportFigures } from '../../services/reports/compute-statistics';
import { runMonthlyReportIfDue } from '../../services/reports/monthly-report-job';
import { DEFAULT_REPORT_FONT } from '../../services/reports/pdf-report';
import { XLSX_SHEETS } from '../../services/reports/xlsx-report';
import { issueStaffToken } from '../../services/staff/staff-token';
import { testCalendar, testConfig } from '../support/app';
import { launchBrowser, saveScreenshot, watchPageProblems } from '../support/browser';
import { runReportCli } from './report-cli';
import { seedLedger, type SeededLedger } from './report-seed';

const NOW = new Date('2026-12-03T08:00:00+08:00');
let ledger: SeededLedger;
let app: App;
let baseUrl: string;
let browser: Browser;
let cli: ReportFigures;
const config = () => testConfig();

beforeAll(async () => {
  ledger = await seedLedger();
  const [run] = await Promise.all([
    runReportCli(['--from', '2026-11-01', '--to', '2026-11-30', '--now', NOW.toISOString()], ledger.url),
    runMonthlyReportIfDue({ db: ledger.db, calendar: testCalendar(), settings: { font: DEFAULT_REPORT_FONT, textSampleSize: 1000 }, workingDay: 3, log: createLogger({ level: 'silent' }), now: NOW }),
  ]);
  expect(run.code, run.stderr).toBe(0);
  cli = JSON.parse(run.stdout) as ReportFigures;
  app = createApp(testConfig({ DATABASE_URL: ledger.url }), { clock: () => NOW });
  baseUrl = await app.listen();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ledger?.drop();
});

const bearer = (staffId: string) => `Bearer ${issueStaffToken({ staffId, secret: config().staffTokenSecret, ttlSeconds: 3600, now: NOW })}`; // the app's clock is NOW

describe('report API roles', () => {
  it('anonymous 401, an agent 403, a supervisor and the leadership group 200', async () => {
    const url = `${baseUrl}/api/v1/reports/statistics?from=2026-11-01&to=2026-11-30`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: bearer(ledger.staffIds.h1) } })).status).toBe(403);
    const sup = await fetch(url, { headers: { Authorization: bearer(ledger.staffIds.sup) } });
    expect(sup.status).toBe(200);
    expect(((await sup.json()) as ReportFigures).total).toBe(cli.total);
    expect((await fetch(url, { headers: { Authorization: bearer(ledger.staffIds.lead1) } })).status).toBe(200);
    const bad = await fetch(`${baseUrl}/api/v1/reports/statistics?from=2026-11-30&to=2026-11-01`, { headers: { Authorization: bearer(ledger.staffIds.sup) } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_input' });
    const csv = await fetch(`${baseUrl}/api/v1/reports/training-cases?from=2026-11-01&to=2026-11-30&format=csv`, { headers: { Authorization: bearer(ledger.staffIds.sup) } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="training-cases-2026-11-01_2026-11-30.csv"');
    expect(await csv.text()).not.toContain('张伟');
  }, 60_000);
});

describe('the dashboard', () => {
  it('shows November 2026 with charts and downloads the PDF and XLSX with the same figures as the CLI', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 }, extraHTTPHeaders: { Authorization: bearer(ledger.staffIds.sup) } });
    const page = await context.newPage();
    const problems = watchPageProblems(page);
    const notFound: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 404) notFound.push(new URL(r.url()).pathname);
    });
    await page.goto(`${baseUrl}/console/dashboard.html`);
    await page.getByTestId('from').fill('2026-11-01');
    await page.getByTestId('to').fill('2026-11-30');
    await page.getByTestId('apply').click();
    await expect.poll(() => page.getByTestId('kpi-total-value').textContent(), { timeout: 20_000 }).toBe(String(cli.total));
    expect(await page.getByTestId('kpi-mom-value').textContent()).toBe('+50.0%');
    expect(await page.getByTestId('kpi-yoy-value').textContent()).toBe('+100.0%');
    expect(await page.getByTestId('kpi-on-time-value').textContent()).toBe('62.5%');
    expect(await page.getByTestId('kpi-satisfaction-value').textContent()).toBe('60.0%'); // 3 satisfied of 5 answers
    // Chart.js drew every chart (a Chart instance on each canvas, with the figures as data).
    // (A string, evaluated in the page: this file is compiled without the DOM's types.)
    const charts = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => ({ id: c.dataset.testid, data: globalThis.Chart.getChart(c)?.data.datasets[0]?.data, width: c.width }))`)) as { id: string; data: unknown[]; width: number }[];
    expect(charts.map((c) => c.id)).toEqual(['chart-monthly', 'chart-type', 'chart-channel', 'chart-on-time', 'chart-pareto']);
    expect(charts.find((c) => c.id === 'chart-type')?.data).toEqual(cli.breakdowns.type.map((r) => r.count));
    expect(charts.find((c) => c.id === 'chart-monthly')?.data).toEqual(cli.trends.monthly.map((m) => m.count));
    for (const c of charts) expect(c.width).toBeGreaterThan(100);
    await saveScreenshot(page, 'reports-dashboard');

    const [pdfDownload] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('download-pdf').click()]);
    expect(pdfDownload.suggestedFilename()).toBe('complaints-report-2026-11-01_2026-11-30.pdf');
    expect(readFileSync((await pdfDownload.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('download-xlsx').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await xlsxDownload.path())!);
    const summary = new Map<unknown, unknown>();
    wb.getWorksheet(XLSX_SHEETS[0])!.eachRow((row) => summary.set(row.getCell(2).value, row.getCell(3).value));
    expect(summary.get('total')).toBe(cli.total);
    expect(summary.get('results.answered')).toBe(cli.results.answered);
    expect(summary.get('onTime.overall.onTimeRate')).toBe(cli.onTime.overall.onTimeRate);
    expect(await ledger.db.reportRun.count({ where: { kind: 'special', requestedBy: ledger.staffIds.sup } })).toBe(2);

    // The monthly report the job produced is listed and downloads.
    const [monthly] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('monthly-2026-11-xlsx').click()]);
    expect(monthly.suggestedFilename()).toBe('complaints-monthly-report-2026-11.xlsx');
    // The browser's own favicon request is the only thing not found (the console has no icon).
    expect(notFound.filter((p) => p !== '/favicon.ico')).toEqual([]);
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    await context.close();
  }, 180_000);

  it('filters by business line', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, extraHTTPHeaders: { Authorization: bearer(ledger.staffIds.lead1) } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/console/dashboard.html`);
    await page.getByTestId('from').fill('2026-11-01');
    await page.getByTestId('to').fill('2026-11-30');
    await page.getByTestId('line').selectOption('insurance');
    await page.getByTestId('apply').click();
    await expect.poll(() => page.getByTestId('kpi-total-value').textContent(), { timeout: 20_000 }).toBe('7');
    await context.close();
  }, 60_000);
});
