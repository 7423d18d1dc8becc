// KPIs per department and per person (R-KPI) against a seeded ledger (kpi-seed.ts) whose figures
// kpi-expected.ts works out in plain TypeScript: GET /api/v1/kpis for each role, its validation,
// and the console's KPI page in headless Chromium (screenshot in test-output/).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../bot/app';
import type { KpiFigures, KpiRow } from '../../services/kpis/compute-kpis';
import { issueStaffToken } from '../../services/staff/staff-token';
import { testConfig } from '../support/app';
import { launchBrowser, saveScreenshot, watchPageProblems } from '../support/browser';
import { expectedByDepartment, expectedByStaff, type ExpectedRow } from './kpi-expected';
import { COMPLAINTS, STAFF, seedKpiLedger, type KpiLedger, type StaffKey } from './kpi-seed';

const NOW = new Date('2026-12-03T08:00:00+08:00');
let ledger: KpiLedger;
let app: App;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ledger = await seedKpiLedger();
  app = createApp(testConfig({ DATABASE_URL: ledger.url }), { clock: () => NOW });
  baseUrl = await app.listen();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ledger?.drop();
});

const bearer = (who: StaffKey) => ({ Authorization: `Bearer ${issueStaffToken({ staffId: ledger.staffIds[who], secret: testConfig().staffTokenSecret, ttlSeconds: 3600, now: NOW })}` });
async function kpis(query: string, who: StaffKey = 'sup'): Promise<{ status: number; body: KpiFigures & { error?: string; reasons?: string[]; message?: string } }> {
  const res = await fetch(`${baseUrl}/api/v1/kpis?${query}`, { headers: bearer(who) });
  return { status: res.status, body: (await res.json()) as KpiFigures & { error?: string } };
}

/** The API's row in the shape of the expected one. */
function comparable(r: KpiRow): ExpectedRow {
  return {
    key: r.key, received: r.received, open: r.open, closed: r.closed, answered: r.answered,
    averageHours: r.handling.averageHours, p90Hours: r.handling.p90Hours,
    byKind: Object.fromEntries(r.onTime.byKind.map((k) => [k.kind, { due: k.due, onTime: k.onTime, late: k.late, unmet: k.unmet }])),
    onTimeRate: r.onTime.overall.onTimeRate,
    satisfaction: { due: r.satisfaction.due, responses: r.satisfaction.responses, satisfied: r.satisfaction.satisfied, averageRating: r.satisfaction.averageRating, responseRate: r.satisfaction.responseRate, rate: r.satisfaction.rate },
    reopen: r.reopen,
  };
}
const byKey = (rows: { key: string | null }[]) => [...rows].sort((a, b) => String(a.key).localeCompare(String(b.key)));
function expectRows(actual: KpiRow[] | undefined, expected: ExpectedRow[]) {
  expect(actual).toBeDefined();
  const got = byKey(actual!.map(comparable)) as ExpectedRow[];
  const want = byKey(expected) as ExpectedRow[];
  expect(got.map((r) => r.key)).toEqual(want.map((r) => r.key));
  for (let i = 0; i < want.length; i++) {
    const { averageHours, p90Hours, satisfaction, ...rest } = want[i]!;
    const g = got[i]!;
    expect({ ...g, averageHours: undefined, p90Hours: undefined, satisfaction: { ...g.satisfaction, averageRating: undefined } }, String(want[i]!.key))
      .toEqual({ ...rest, averageHours: undefined, p90Hours: undefined, satisfaction: { ...satisfaction, averageRating: undefined } });
    for (const [a, b] of [[g.averageHours, averageHours], [g.p90Hours, p90Hours], [g.satisfaction.averageRating, satisfaction.averageRating]] as const) {
      if (b === null) expect(a).toBeNull();
      else expect(a).toBeCloseTo(b, 6);
    }
  }
}

describe('GET /api/v1/kpis — figures', () => {
  it('November 2026 per department: volumes, on-time per deadline kind, handling time, satisfaction, reopen rate', async () => {
    const { status, body } = await kpis('from=2026-11-01&to=2026-11-30');
    expect(status).toBe(200);
    expect(body.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expectRows(body.departments, expectedByDepartment('2026-11-01', '2026-11-30', NOW));
    // A few figures by hand, so the expectation itself is checked: claims received 6 (C1–C3, C5–C7;
    // C4 came in October, C7 at 23:50 on the 30th), answered C1 C2 C4 C5 C6, C2 and C6 reopened.
    const claims = body.departments!.find((r) => r.key === 'KPI-CLM')!;
    expect([claims.received, claims.answered, claims.closed, claims.open]).toEqual([6, 5, 3, 3]);
    expect(claims.reopen).toEqual({ reopened: 2, answered: 5, rate: 2 / 5 });
    expect(claims.handling.averageHours).toBeCloseTo((20 + 50 + 130 + 8 + 30) / 5, 6);
    // C7's first response is due at 00:50 on 1 December: not November's. C3's feedback was missed.
    expect(claims.onTime.byKind.find((k) => k.kind === 'first_response')).toMatchObject({ due: 2, onTime: 1, late: 1, unmet: 0, breached: 1 });
    expect(claims.onTime.byKind.find((k) => k.kind === 'feedback')).toMatchObject({ due: 5, onTime: 2, late: 2, unmet: 1, breached: 3 });
    expect(claims.satisfaction).toMatchObject({ due: 6, responses: 5, satisfied: 3 });
    // Brokerage: B1 and B2 were surveyed, neither answered; B3 was first answered on 1 December.
    const brokerage = body.departments!.find((r) => r.key === 'KPI-BRK')!;
    expect(brokerage.satisfaction).toMatchObject({ due: 2, responses: 0, rate: null, responseRate: 0, averageRating: null });
    expect(brokerage.handling.p90Hours).toBeCloseTo(70 + 0.9 * (400 - 70), 6);
  });

  it('per person, with the unassigned complaint in its own row', async () => {
    const { body } = await kpis('from=2026-11-01&to=2026-11-30&groupBy=staff');
    expect(body.departments).toBeUndefined();
    expectRows(body.staff, expectedByStaff('2026-11-01', '2026-11-30', NOW));
    expect(body.staff!.at(-1)!.key).toBeNull();
    expect(body.staff!.find((r) => r.key === 'K1001')).toMatchObject({ name: STAFF.a1.displayName, department: 'KPI-CLM' });
  });

  it('a department or a person narrows the figures; another period gives other figures', async () => {
    const claimsOnly = COMPLAINTS.filter((c) => c.dept === 'claims');
    const dept = await kpis('from=2026-11-01&to=2026-11-30&department=KPI-CLM');
    expectRows(dept.body.departments, expectedByDepartment('2026-11-01', '2026-11-30', NOW, claimsOnly));
    expectRows(dept.body.staff, expectedByStaff('2026-11-01', '2026-11-30', NOW, claimsOnly));
    const person = await kpis('from=2026-11-01&to=2026-11-30&staff=K2001&groupBy=staff');
    expectRows(person.body.staff, expectedByStaff('2026-11-01', '2026-11-30', NOW, COMPLAINTS.filter((c) => c.owner === 'b1')));
    // Into December: X1 (1 December 00:10) and the deadlines due then; B3's survey is still not due.
    const autumn = await kpis('from=2026-09-01&to=2026-12-31');
    expectRows(autumn.body.departments, expectedByDepartment('2026-09-01', '2026-12-31', NOW));
    const september = await kpis('from=2026-09-01&to=2026-09-30');
    expect(september.body.departments!.map((r) => [r.key, r.received])).toEqual([['KPI-CLM', 1]]);
  });
});

describe('GET /api/v1/kpis — roles and validation', () => {
  it('anonymous 401; supervisor, leadership and supervision see everyone', async () => {
    expect((await fetch(`${baseUrl}/api/v1/kpis?from=2026-11-01&to=2026-11-30`)).status).toBe(401);
    for (const who of ['sup', 'lead', 'vis'] as const) {
      const { status, body } = await kpis('from=2026-11-01&to=2026-11-30', who);
      expect(status, who).toBe(200);
      expect(body.staff!.length, who).toBeGreaterThan(3);
    }
  });

  it('an agent sees only their own figures; anyone else’s or a department’s is 403', async () => {
    const own = await kpis('from=2026-11-01&to=2026-11-30', 'a2');
    expect(own.status).toBe(200);
    expect(own.body.departments).toBeUndefined();
    expect(own.body.staff!.map((r) => r.key)).toEqual(['K1002']);
    expectRows(own.body.staff, expectedByStaff('2026-11-01', '2026-11-30', NOW, COMPLAINTS.filter((c) => c.owner === 'a2')));
    expect((await kpis('from=2026-11-01&to=2026-11-30&staff=K1002', 'a2')).status).toBe(200);
    expect((await kpis(`from=2026-11-01&to=2026-11-30&staff=${ledger.staffIds.a2}`, 'a2')).status).toBe(200);
    expect((await kpis('from=2026-11-01&to=2026-11-30&staff=K1001', 'a2')).status).toBe(403);
    expect((await kpis('from=2026-11-01&to=2026-11-30&department=KPI-CLM', 'a2')).status).toBe(403);
    expect((await kpis('from=2026-11-01&to=2026-11-30&groupBy=department', 'a2')).status).toBe(403);
  });

  it('bad queries are clear 400s; unknown departments and people 404', async () => {
    const cases: [string, RegExp][] = [
      ['to=2026-11-30', /from/],
      ['from=2026-11-31&to=2026-11-30', /from/],
      ['from=2026-11-30&to=2026-11-01', /from must not be after to/],
      ['from=2026-11-01&to=2026-11-30&groupBy=team', /groupBy/],
      ['from=2026-11-01&to=2026-11-30&colour=red', /colour/],
      ['from=2020-01-01&to=2026-11-30', /three years/],
    ];
    for (const [query, reason] of cases) {
      const { status, body } = await kpis(query);
      expect(status, query).toBe(400);
      expect(body.error).toBe('invalid_input');
      expect(body.reasons!.join('; '), query).toMatch(reason);
    }
    expect((await kpis('from=2026-11-01&to=2026-11-30&department=NOPE')).status).toBe(404);
    expect((await kpis('from=2026-11-01&to=2026-11-30&staff=K0000')).status).toBe(404);
  });
});

describe('the console KPI page', () => {
  it('shows the figures per department and per person for the period picked, in Chinese and English', async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, extraHTTPHeaders: bearer('sup') });
    const page = await context.newPage();
    const problems = watchPageProblems(page);
    const notFound: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 404) notFound.push(new URL(r.url()).pathname);
    });
    // Reached from the console's navigation (with the dashboard's link, for the roles that read reports).
    await page.goto(`${baseUrl}/console/`);
    await expect.poll(() => page.getByTestId('nav-kpis').getAttribute('href'), { timeout: 15_000 }).toBe('/console/kpis.html');
    expect(await page.getByTestId('nav-reports').getAttribute('href')).toBe('/console/dashboard.html');
    await page.getByTestId('nav-kpis').click();
    await page.waitForURL(`${baseUrl}/console/kpis.html`);
    await expect.poll(() => page.locator('h2').first().textContent(), { timeout: 15_000 }).toBe('按部门');
    await page.getByTestId('from').fill('2026-11-01');
    await page.getByTestId('to').fill('2026-11-30');
    await page.getByTestId('apply').click();
    const claims = page.getByTestId('dept-row-KPI-CLM');
    await expect.poll(() => claims.getByTestId('received').textContent(), { timeout: 15_000 }).toBe('6');
    const want = expectedByDepartment('2026-11-01', '2026-11-30', NOW).find((r) => r.key === 'KPI-CLM')!;
    expect(await claims.getByTestId('name').textContent()).toBe('理赔部（考核） (KPI-CLM)');
    expect(await claims.getByTestId('answered').textContent()).toBe(String(want.answered));
    expect(await claims.getByTestId('avg-hours').textContent()).toBe(want.averageHours!.toFixed(1));
    expect(await claims.getByTestId('on-time').textContent()).toBe(`${(want.onTimeRate! * 100).toFixed(1)}%`);
    expect(await claims.getByTestId('reopen-rate').textContent()).toBe('40.0%');
    expect(await claims.getByTestId('by-kind').textContent()).toContain('首次响应 50.0% (1/2)');
    const a1 = page.getByTestId('staff-row-K1001');
    const wantA1 = expectedByStaff('2026-11-01', '2026-11-30', NOW).find((r) => r.key === 'K1001')!;
    expect(await a1.getByTestId('received').textContent()).toBe(String(wantA1.received));
    expect(await a1.getByTestId('rating').textContent()).toBe(wantA1.satisfaction.averageRating!.toFixed(2));
    expect(await a1.getByTestId('response-rate').textContent()).toBe(`${(wantA1.satisfaction.responseRate! * 100).toFixed(1)}%`);
    expect(await page.getByTestId('staff-row-none').getByTestId('name').textContent()).toBe('未分配');
    await saveScreenshot(page, 'kpis-console');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('By department');
    expect(await claims.getByTestId('name').textContent()).toBe('Claims (KPI) (KPI-CLM)');
    expect(await claims.getByTestId('by-kind').textContent()).toContain('First response 50.0% (1/2)');
    // A reversed period: the API's reason on the page, nothing broken.
    await page.getByTestId('from').fill('2026-12-01');
    await page.getByTestId('apply').click();
    await expect.poll(() => page.getByTestId('error').textContent()).toMatch(/from must not be after to/);
    // The browser's own favicon request is the only thing not found; the reversed period's 400 is expected.
    expect(notFound.filter((p) => p !== '/favicon.ico')).toEqual([]);
    expect(problems.filter((p) => !/status of (400|404)/.test(p))).toEqual([]);
    await context.close();
  }, 60_000);
});
