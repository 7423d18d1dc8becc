// The report files an operator gets from the CLI: the XLSX opened with exceljs (sheets, totals that
// match the JSON figures), the PDF checked with poppler (pages, extractable Chinese text, the title
// and the figures), and a clear message when the PDF's Chinese font is missing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_SHEETS } from '../../services/reports/xlsx-report';
import { expectNoStackTrace } from '../support/run-entry';
import { runReportCli } from './report-cli';
import { seedLedger, type SeededLedger } from './report-seed';

const AS_OF = '2026-12-03T08:00:00+08:00';
const dir = mkdtempSync(join(tmpdir(), 'reports-'));
let ledger: SeededLedger;

beforeAll(async () => {
  ledger = await seedLedger();
  const args = ['--from', '2026-11-01', '--to', '2026-11-30', '--now', AS_OF];
  const runs = await Promise.all([
    runReportCli([...args, '--format', 'xlsx', '--out', join(dir, 'nov.xlsx')], ledger.url),
    runReportCli([...args, '--format', 'pdf', '--out', join(dir, 'nov.pdf')], ledger.url),
  ]);
  for (const run of runs) expect(run.code, run.stderr).toBe(0);
}, 180_000);
afterAll(async () => ledger?.drop());

function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('XLSX (npm run report -- --format xlsx)', () => {
  it('has one sheet per figure with the same totals as the JSON', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'nov.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual([...XLSX_SHEETS]);
    const summary = Object.fromEntries(rowsOf(wb.getWorksheet(XLSX_SHEETS[0])!).slice(1).map((r) => [r[1], r[2]]));
    expect(summary.total).toBe(12);
    expect(summary['results.answered']).toBe(9);
    expect(summary['results.closed']).toBe(6);
    expect(summary['trends.previous.total']).toBe(8);
    expect(summary['trends.previous.changeRate']).toBe(0.5);
    expect(summary['trends.lastYear.changeRate']).toBe(1);
    expect(summary['onTime.overall.onTimeRate']).toBe(5 / 8);
    expect(summary['compensation.approved.amountYuan']).toBe(20500);
    // 3 satisfied of 5 answers, 5 answers of 7 surveys due, ratings 5, 2, 4, 3 (statistics.test.ts works them out).
    expect(summary.satisfaction).toBe(3 / 5);
    expect(summary['satisfaction.responseRate']).toBe(5 / 7);
    expect(summary['satisfaction.averageRating']).toBe(3.5);

    // Each dimension's rows add up to the total; the type rows are the JSON's.
    const breakdown = rowsOf(wb.getWorksheet(XLSX_SHEETS[1])!).slice(1);
    const sums = new Map<string, number>();
    for (const r of breakdown) sums.set(String(r[0]), (sums.get(String(r[0])) ?? 0) + Number(r[3]));
    expect(sums.size).toBe(10);
    for (const [dim, sum] of sums) expect(sum, dim).toBe(12);
    expect(breakdown.filter((r) => String(r[0]).startsWith('投诉类型')).map((r) => [r[1], r[3]])).toEqual([
      ['claims_dispute', 5], ['securities_trading', 3], ['investment_advice', 2], ['insurance_product_inquiry', 1], ['other', 1],
    ]);
    expect(breakdown.find((r) => String(r[0]).startsWith('产品') && r[1] === '')?.[2]).toBe('未登记 not recorded');

    const onTime = rowsOf(wb.getWorksheet(XLSX_SHEETS[2])!).slice(1);
    expect(onTime.at(-1)!.slice(1, 6)).toEqual(['all', 5, 2, 1, 1]);
    const causes = rowsOf(wb.getWorksheet(XLSX_SHEETS[5])!).slice(1);
    expect(causes.map((r) => r[1])).toEqual(['business_process', 'staff_service', 'customer_misunderstanding', 'product', 'third_party', '']);
    expect(causes.at(-1)![2]).toBe(4);
  });
});

describe('PDF (npm run report -- --format pdf)', () => {
  it('is a valid PDF whose Chinese text can be extracted, with the title, charts and figures', () => {
    const file = join(dir, 'nov.pdf');
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(info).toMatch(/^Title:\s+投诉统计 2026-11-01 – 2026-11-30/m);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('投诉统计 2026-11-01 – 2026-11-30');
    expect(text).toMatch(/投诉总量 Total complaints\s+12/);
    expect(text).toMatch(/环比 Month-over-month\s+\+50\.0%/);
    expect(text).toMatch(/同比 Year-over-year\s+\+100\.0%/);
    expect(text).toMatch(/按时率 On-time rate \(all deadlines\)\s+62\.5%/);
    expect(text).toMatch(/满意度 Satisfaction\s+60\.0%（3 \/ 5）/);
    expect(text).toMatch(/71\.4%（5 \/ 7）\s*\/ 3\.50/);
    for (const heading of ['近13个月投诉量', '投诉类型 Complaint type', '投诉渠道 Channel', '各时限按时率', '投诉原因帕累托图', '热点', '投诉关键词']) expect(text).toContain(heading);
    expect(text).toContain('理赔纠纷');
    expect(text).toContain(`1 / ${pages}`);
  });

  it('without its Chinese font, says what to install instead of writing a broken file', async () => {
    const run = await runReportCli(['--from', '2026-11-01', '--to', '2026-11-30', '--format', 'pdf', '--out', join(dir, 'broken.pdf')], ledger.url, { REPORT_FONT_FILE: '/nonexistent/font.ttc' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('REPORT_FONT_FILE (/nonexistent/font.ttc)');
    expect(run.stderr).toContain('apt-get install fonts-noto-cjk');
    expectNoStackTrace(run.stderr);
  }, 90_000);
});
