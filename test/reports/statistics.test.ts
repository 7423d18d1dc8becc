// Every figure of the report against the seeded ledger (report-seed.ts), computed here by hand and
// independently in plain JavaScript over the seed — through the CLI's JSON, as an operator gets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeStatistics, type ReportFigures } from '../../services/reports/compute-statistics';
import type { ReportFilter } from '../../services/reports/report-filter';
import { expectNoStackTrace } from '../support/run-entry';
import { runReportCli } from './report-cli';
import { acceptedAtOf, NOVEMBER, NOVEMBER_2025, OCTOBER, seedLedger, type SeededLedger, type SeedComplaint } from './report-seed';

const AS_OF = '2026-12-03T08:00:00+08:00';
let ledger: SeededLedger;
let figures: ReportFigures;

beforeAll(async () => {
  ledger = await seedLedger();
  const run = await runReportCli(['--from', '2026-11-01', '--to', '2026-11-30', '--now', AS_OF], ledger.url);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  figures = JSON.parse(run.stdout) as ReportFigures;
}, 120_000);
afterAll(async () => ledger?.drop());

function countBy(list: SeedComplaint[], key: (c: SeedComplaint) => string | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of list) {
    const k = key(c) ?? 'null';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
function matches(c: SeedComplaint, f: Partial<ReportFilter>): boolean {
  const dept = c.dept === 'A' ? 'INS-CS' : 'SEC-CS';
  const handler = c.handler ? { h1: 'E1001', h2: 'E1002', h3: 'E2001' }[c.handler] : undefined;
  return (!f.product || c.product === f.product) && (!f.region || c.region === f.region) && (!f.customerGroup || c.group === f.customerGroup)
    && (!f.department || dept === f.department) && (!f.handler || handler === f.handler) && (!f.tier || c.tier === f.tier)
    && (!f.channel || c.channel === f.channel) && (!f.type || c.type === f.type) && (!f.line || c.line === f.line);
}
const asCounts = (rows: { key: string | null; count: number }[]) => Object.fromEntries(rows.map((r) => [r.key ?? 'null', r.count]));

describe('November 2026 statistics (npm run report -- --from 2026-11-01 --to 2026-11-30)', () => {
  it('counts the twelve complaints accepted in November, Beijing time (not 31 Oct 23:59, not 1 Dec 00:10)', () => {
    expect(figures.total).toBe(12);
    expect(figures.total).toBe(NOVEMBER.length);
    expect(figures.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });

  it('breaks them down by line, type, channel, tier, status, product, customer group, region, department and handler', () => {
    const b = figures.breakdowns;
    expect(asCounts(b.businessLine)).toEqual({ insurance: 7, securities: 5 });
    expect(asCounts(b.type)).toEqual({ claims_dispute: 5, securities_trading: 3, investment_advice: 2, insurance_product_inquiry: 1, other: 1 });
    expect(asCounts(b.channel)).toEqual(countBy(NOVEMBER, (c) => c.channel));
    expect(asCounts(b.channel)).toEqual({ online_chat: 5, wechat: 2, hotline: 2, email: 1, counter: 1, letter: 1 });
    expect(asCounts(b.tier)).toEqual({ L3: 8, L2: 3, L1: 1 });
    expect(asCounts(b.status)).toEqual({ closed: 6, resolved: 3, investigating: 1, received: 1, acknowledged: 1 });
    // Fields nobody filled in are "not recorded" (key null), not dropped and not zero.
    expect(asCounts(b.product)).toEqual({ 医疗险: 4, 两融: 2, 基金投顾: 2, null: 2, 寿险: 1, 股票交易: 1 });
    expect(asCounts(b.customerGroup)).toEqual(countBy(NOVEMBER, (c) => c.group));
    expect(asCounts(b.region)).toEqual(countBy(NOVEMBER, (c) => c.region));
    expect(asCounts(b.department)).toEqual({ 'INS-CS': 7, 'SEC-CS': 5 });
    expect(b.department.find((r) => r.key === 'INS-CS')?.name).toBe('保险客服部');
    expect(asCounts(b.handler)).toEqual({ E2001: 5, E1001: 4, E1002: 2, null: 1 });
    for (const list of Object.values(b)) expect(list.reduce((s, r) => s + r.count, 0)).toBe(12);
    expect(b.type[0]).toMatchObject({ key: 'claims_dispute', count: 5, share: 5 / 12 });
  });

  it('gives the results: open, answered, closed, reopened, urgent', () => {
    expect(figures.results).toEqual({ open: 3, answered: 9, closed: 6, reopened: 1, urgent: 1 });
    expect(figures.reopen).toEqual({ reopened: 1, answered: 9, rate: 1 / 9 });
  });

  it('gives the handling-time distribution of the answered complaints (first answer, hours)', () => {
    const hours = NOVEMBER.filter((c) => c.resolvedH !== undefined).map((c) => c.resolvedH!).sort((a, b) => a - b);
    expect(hours).toEqual([5, 10, 20, 30, 50, 60, 100, 200, 400]);
    const h = figures.handlingTime;
    expect(h.answered).toBe(9);
    expect(h.unanswered).toBe(3);
    expect(h.averageHours).toBeCloseTo(875 / 9, 6);
    expect(h.medianHours).toBeCloseTo(50, 6);
    expect(h.p90Hours).toBeCloseTo(240, 6); // 200 + 0.2 × (400 − 200)
    expect(h.buckets.map((b) => [b.key, b.count])).toEqual([['≤1d', 3], ['≤3d', 3], ['≤7d', 1], ['≤15d', 1], ['≤30d', 1], ['≤60d', 0], ['>60d', 0]]);
  });

  it('gives the on-time rate per deadline type (overdue = not met and past due at the report time)', () => {
    expect(figures.onTime.byKind).toEqual([
      { kind: 'first_response', onTime: 2, late: 0, overdue: 0, pending: 0, onTimeRate: 1 },
      { kind: 'feedback', onTime: 3, late: 1, overdue: 1, pending: 1, onTimeRate: 3 / 5 },
      { kind: 'statutory_decision', onTime: 0, late: 1, overdue: 0, pending: 0, onTimeRate: 0 },
    ]);
    expect(figures.onTime.overall).toEqual({ onTime: 5, late: 2, overdue: 1, pending: 1, onTimeRate: 5 / 8 });
  });

  it('gives satisfaction from the surveys of the period’s complaints: responses, satisfied, rate, average rating, response rate', () => {
    // Worked out over the seed: every November survey that was sent (or scheduled and past its send
    // time at the report time), answered or not; cancelled ones are not due; October's are not November's.
    const surveys = NOVEMBER.flatMap((c) => (c.surveys ?? []).map((v) => ({ ...v, sendAt: acceptedAtOf(c).getTime() + v.sendH * 3_600_000 })));
    const due = surveys.filter((v) => v.status !== 'cancelled' && (v.status !== 'scheduled' || v.sendAt <= Date.parse(AS_OF)));
    const answered = surveys.filter((v) => v.status === 'answered');
    const ratings = answered.filter((v) => v.rating !== undefined).map((v) => v.rating!);
    const satisfied = answered.filter((v) => v.satisfied).length;
    expect([due.length, answered.length, satisfied, ratings.length]).toEqual([7, 5, 3, 4]);
    expect(figures.satisfaction).toEqual({
      recorded: true, due: due.length, responses: answered.length, satisfied, rate: satisfied / answered.length,
      rated: ratings.length, averageRating: ratings.reduce((a, b) => a + b, 0) / ratings.length, responseRate: answered.length / due.length,
    });
    expect(figures.satisfaction).toMatchObject({ rate: 0.6, averageRating: 3.5 });
  });

  it('shows satisfaction as not recorded for a period without surveys, never as zero', async () => {
    const f = await computeStatistics({ db: ledger.db, filter: { from: '2025-11-01', to: '2025-11-30' }, now: new Date(AS_OF) });
    expect(f.satisfaction.recorded).toBe(false);
    expect(f.satisfaction).not.toHaveProperty('rate');
  });

  it('totals compensations by decision', () => {
    expect(figures.compensation).toEqual({
      recorded: true,
      approved: { count: 2, amountYuan: 20500, complaints: 2 },
      requested: { count: 1, amountYuan: 3000 },
      refused: { count: 1, amountYuan: 800 },
    });
  });

  it('compares with the previous month and the same month last year, in total and by type', () => {
    expect(figures.trends.previous).toEqual({ period: { from: '2026-10-01', to: '2026-10-31' }, total: OCTOBER.length, change: 4, changeRate: 0.5 });
    expect(figures.trends.lastYear).toEqual({ period: { from: '2025-11-01', to: '2025-11-30' }, total: NOVEMBER_2025.length, change: 6, changeRate: 1 });
    const byType = Object.fromEntries(figures.trends.byType.map((r) => [r.type, [r.current, r.previous, r.lastYear]]));
    expect(byType).toEqual({
      claims_dispute: [5, 3, 2], securities_trading: [3, 2, 2], investment_advice: [2, 1, 2], insurance_product_inquiry: [1, 1, 0], other: [1, 1, 0],
    });
    // Thirteen months back to November 2025, months without complaints as 0.
    expect(figures.trends.monthly).toHaveLength(13);
    expect(figures.trends.monthly[0]).toEqual({ month: '2025-11', count: 6, answered: 0 });
    expect(figures.trends.monthly.slice(1, 11).every((m) => m.count === 0)).toBe(true);
    expect(figures.trends.monthly[1]!.month).toBe('2025-12');
    expect(figures.trends.monthly.slice(11)).toEqual([
      { month: '2026-10', count: 8, answered: 0 },
      { month: '2026-11', count: 12, answered: 9 },
    ]);
  });

  it('ranks root causes as a Pareto chart (descending, ties by code, cumulative share), unanalysed as not recorded', () => {
    expect(figures.rootCauses.analysed).toBe(8);
    expect(figures.rootCauses.notRecorded).toBe(4);
    expect(figures.rootCauses.pareto.map((c) => [c.cause, c.count, c.cumulativeShare])).toEqual([
      ['business_process', 3, 3 / 8], ['staff_service', 2, 5 / 8], ['customer_misunderstanding', 1, 6 / 8], ['product', 1, 7 / 8], ['third_party', 1, 1],
    ]);
  });

  it('finds the hot spots (type × product), most complaints first', () => {
    expect(figures.hotSpots.map((h) => [h.type, h.product, h.count])).toEqual([
      ['claims_dispute', '医疗险', 4],
      ['investment_advice', '基金投顾', 2],
      ['securities_trading', '两融', 2],
      ['claims_dispute', null, 1],
      ['insurance_product_inquiry', '寿险', 1],
      ['other', null, 1],
      ['securities_trading', '股票交易', 1],
    ]);
  });

  it('extracts key phrases from the texts locally (jieba) without names or numbers', () => {
    expect(figures.keyPhrases.analyzer).toBe('local');
    expect(figures.keyPhrases.sampleSize).toBe(12);
    const phrases = figures.keyPhrases.phrases.map((p) => p.phrase);
    // 理赔 is in five of the texts (N1, N2, N6, N7, N11), 医疗险 in three (N1, N7, N11).
    expect(figures.keyPhrases.phrases.slice(0, 2)).toEqual([{ phrase: '理赔', complaints: 5 }, { phrase: '医疗险', complaints: 3 }]);
    expect(phrases).toContain('医疗险');
    for (const p of phrases) expect(p).not.toMatch(/张伟|李秀英|王建国|欧阳|赵敏|\d/);
  });
});

/** The same code path as the CLI, in process (each CLI start costs seconds on a busy machine). */
const statistics = (filter: ReportFilter) => computeStatistics({ db: ledger.db, filter, now: new Date(AS_OF) });

describe('special reports (专项统计) with filters', () => {
  it('--line insurance: only insurance complaints, and the comparisons keep the filter', async () => {
    const f = await statistics({ from: '2026-11-01', to: '2026-11-30', line: 'insurance' });
    expect(f.total).toBe(NOVEMBER.filter((c) => c.line === 'insurance').length);
    expect(f.total).toBe(7);
    expect(f.filters).toEqual({ line: 'insurance' });
    expect(f.trends.previous).toMatchObject({ total: 5, change: 2, changeRate: 0.4 });
    expect(f.trends.lastYear).toMatchObject({ total: 2, change: 5, changeRate: 2.5 });
  });

  it('product, region, customer group, department, handler, tier and channel narrow the set', async () => {
    const month = { from: '2026-11-01', to: '2026-11-30' };
    const cases: [Partial<ReportFilter>, number][] = [
      [{ product: '医疗险' }, 4],
      [{ region: '上海' }, 5],
      [{ customerGroup: '团体' }, 2],
      [{ department: 'SEC-CS' }, 5],
      [{ handler: 'E1001' }, 4],
      [{ tier: 'L2', channel: 'online_chat' }, 2],
      [{ type: 'claims_dispute', product: '医疗险', region: '北京' }, 1],
      [{ department: 'NO-SUCH-DEPT' }, 0],
    ];
    for (const [filter, total] of cases) {
      const f = await statistics({ ...month, ...filter });
      expect(f.total, JSON.stringify(filter)).toBe(total);
      expect(f.total, JSON.stringify(filter)).toBe(NOVEMBER.filter((c) => matches(c, filter)).length);
    }
  }, 60_000);

  it('an arbitrary period compares with the same number of days before it', async () => {
    const f = await statistics({ from: '2026-11-01', to: '2026-11-10' });
    expect(f.total).toBe(6);
    expect(f.trends.previous.period).toEqual({ from: '2026-10-22', to: '2026-10-31' });
    expect(f.trends.previous.total).toBe(2); // O7 (22 Oct) and O8 (31 Oct 23:59)
  });

  it('bad input is a clear message and exit code 2, not a stack trace', async () => {
    const run = await runReportCli(['--from', '2026-11-01', '--to', '2026-11-30', '--line', 'banking'], ledger.url);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--line: .*insurance/);
    expectNoStackTrace(run.stderr);
    // The same rules in process: impossible dates, reversed periods.
    await expect(statistics({ from: '2026-11-31', to: '2026-11-30' })).rejects.toThrow(/from/);
    await expect(statistics({ from: '2026-11-10', to: '2026-11-01' })).rejects.toThrow(/from must not be after to/);
  }, 90_000);
});
