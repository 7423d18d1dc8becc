// Report dimensions end to end: the product the customer's text names is recorded at filing, staff
// set or correct product, customer group and region from the policy's catalogue (an event each
// time), the special report filters by them, and only handlers may change them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeStatistics } from '../../services/reports/compute-statistics';
import { randomMobile } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { createTeam, fileClaimsComplaint, type Team } from '../case-handling/case-support';

let running: RunningApp;
let team: Team;

beforeAll(async () => {
  running = await startApp();
  team = await createTeam(running.app.db);
}, 180_000);
afterAll(() => running.app.close());

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${running.baseUrl}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's shape is what the test checks
  return { status: res.status, body: (await res.json()) as any };
}

const classification = (number: string) => `/api/v1/complaints/${number}/classification`;

describe('report dimensions', () => {
  it('records the product the customer named when filing, and shows it on the complaint page', async () => {
    const { id, number } = await fileClaimsComplaint(running.app.db); // "车险理赔申请提交一个月还没有处理"
    const row = await running.app.db.complaint.findUniqueOrThrow({ where: { id }, select: { product: true, customerGroup: true, region: true } });
    expect(row).toEqual({ product: 'auto', customerGroup: null, region: null });
    const received = await running.app.db.complaintEvent.findFirstOrThrow({ where: { complaintId: id, type: 'complaint.received' } });
    expect(received.payload).toMatchObject({ product: 'auto', productFrom: 'customer_text', productWords: ['车险'] });
    const page = await call('GET', `/api/v1/complaints/${number}`, team.supervisor.token);
    expect(page.body.classification).toEqual({ product: 'auto', customerGroup: null, region: null });
    expect(page.body.reopenCount).toBe(0);
  });

  it('lets a handler set and correct them, records each change, and the special report counts by them', async () => {
    const { id, number } = await fileClaimsComplaint(running.app.db);
    const set = await call('PUT', classification(number), team.supervisor.token, { product: 'health', customerGroup: 'senior', region: 'east' });
    expect(set).toMatchObject({ status: 200, body: { product: 'health', customerGroup: 'senior', region: 'east', changed: ['product', 'customerGroup', 'region'] } });
    const again = await call('PUT', classification(number), team.supervisor.token, { region: null });
    expect(again.body).toMatchObject({ product: 'health', customerGroup: 'senior', region: null, changed: ['region'] });
    const events = await running.app.db.complaintEvent.findMany({ where: { complaintId: id, type: 'complaint.classified' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.payload)).toEqual([
      { changed: ['product', 'customerGroup', 'region'], before: { product: 'auto', customerGroup: null, region: null }, after: { product: 'health', customerGroup: 'senior', region: 'east' } },
      { changed: ['region'], before: { region: 'east' }, after: { region: null } },
    ]);
    expect(events.every((e) => e.actorId === team.supervisor.id)).toBe(true);

    // A unique customer group for this run's complaint: the report filtered by it finds exactly it.
    const today = new Date().toISOString().slice(0, 10);
    const figures = await computeStatistics({ db: running.app.db, filter: { from: '2026-01-01', to: today > '2026-12-31' ? today : '2026-12-31', product: 'health', customerGroup: 'senior' }, now: new Date() });
    const numbers = await running.app.db.complaint.count({ where: { product: 'health', customerGroup: 'senior' } });
    expect(figures.total).toBe(numbers);
    expect(figures.total).toBeGreaterThanOrEqual(1);
  });

  it('refuses codes outside the catalogue and products of the other business line, naming the field', async () => {
    const { number } = await fileClaimsComplaint(running.app.db);
    const unknown = await call('PUT', classification(number), team.supervisor.token, { region: 'atlantis' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('region "atlantis"');
    const otherLine = await call('PUT', classification(number), team.supervisor.token, { product: 'margin' });
    expect(otherLine.status).toBe(400);
    expect(otherLine.body.message).toContain('securities product');
    const empty = await call('PUT', classification(number), team.supervisor.token, {});
    expect(empty.status).toBe(400);
    const row = await running.app.db.complaint.findUniqueOrThrow({ where: { number }, select: { product: true, region: true } });
    expect(row).toEqual({ product: 'auto', region: null });
  });

  it('only handlers change them; the supervision department and other departments read', async () => {
    const { number } = await fileClaimsComplaint(running.app.db);
    expect((await call('PUT', classification(number), team.supervision.token, { region: 'east' })).status).toBe(403);
    expect((await call('PUT', classification(number), team.otherSupervisor.token, { region: 'east' })).status).toBe(403);
    expect((await call('PUT', classification(number), team.agent.token, { region: 'east' })).status).toBe(403); // not the owner
    const catalogue = await call('GET', '/api/v1/report-dimensions', team.supervision.token);
    expect(catalogue.status).toBe(200);
    expect(catalogue.body.region).toContainEqual({ code: 'east', zh: '华东', en: 'East' });
    expect(catalogue.body.product).toContainEqual({ code: 'margin', zh: '融资融券', en: 'Margin financing', businessLine: 'securities' });
    const anonymous = await fetch(`${running.baseUrl}/api/v1/report-dimensions`);
    expect(anonymous.status).toBe(401);
  });

  it('takes them from the console intake form, where the agent knows them', async () => {
    const res = await call('POST', '/api/v1/complaints', team.agent.token, {
      channel: 'hotline', businessLine: 'securities', type: 'securities_trading', description: '来电反映委托单迟迟不成交，损失两千元',
      name: '赵先生', phone: randomMobile(), feedbackMethod: 'phone', privacyNoticeGiven: true, submissionId: randomUUID(),
      product: 'equities', customerGroup: 'senior', region: 'south',
    });
    expect(res.status).toBe(201);
    const row = await running.app.db.complaint.findUniqueOrThrow({ where: { number: res.body.number }, select: { product: true, customerGroup: true, region: true } });
    expect(row).toEqual({ product: 'equities', customerGroup: 'senior', region: 'south' });
  });

  it('links a complaint about the handling and the complaint it is about, both ways, on the complaint page', async () => {
    const { number } = await fileClaimsComplaint(running.app.db);
    const filed = await call('POST', `/api/v1/complaints/${number}/handling-complaints`, team.agent.token, { description: '客户来电投诉处理人员一直不回电话，处理太慢' });
    expect(filed.status).toBe(201);
    const about = await call('GET', `/api/v1/complaints/${filed.body.number}`, team.supervision.token);
    expect(about.body).toMatchObject({ handlingOf: number, handlingComplaints: [] });
    const original = await call('GET', `/api/v1/complaints/${number}`, team.supervision.token);
    expect(original.body).toMatchObject({ handlingOf: null, handlingComplaints: [filed.body.number] });
  });
});
