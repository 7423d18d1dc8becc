// A supervisor changes a complaint's tier through the staff API, with a reason; everyone else is refused.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { issueStaffToken } from '../../services/staff/staff-token';
import { randomMobile, testConfig, testDesk } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';

let running: RunningApp;
const secret = testConfig().staffTokenSecret;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  running = await startApp();
  const db = running.app.db;
  await seedDemoData(db);
  for (const employeeNo of ['S2002', 'A1001', 'V4001']) {
    const staff = await db.staff.findUniqueOrThrow({ where: { employeeNo } });
    tokens[employeeNo] = issueStaffToken({ staffId: staff.id, secret, ttlSeconds: 600, now: new Date() });
  }
});
afterAll(() => running.app.close());

async function fileComplaint(): Promise<string> {
  const filed = await testDesk(running.app.db).fileComplaint({
    draft: { businessLine: 'insurance', type: 'claims_dispute', description: '理赔款一直没到账', name: '周七', phone: randomMobile(), feedbackMethod: 'phone' },
    user: { channelId: 'test-override', channelUserId: randomUUID() },
    locale: 'zh-CN',
    reference: { channelId: 'test-override', serviceUrl: 'https://test.com', conversation: { id: randomUUID() } },
    consent: { noticeVersion: 'test' },
    submissionId: randomUUID(),
  });
  return filed.number;
}

function override(number: string, body: unknown, token?: string) {
  return fetch(`${running.baseUrl}/api/v1/complaints/${number}/tier`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

describe('tier override', () => {
  it('lets a supervisor raise a tier with a reason: recorded as an event, deadlines follow', async () => {
    const number = await fileComplaint();
    const res = await override(number, { tier: 'L1', reason: '客户已委托律师，电话中确认' }, tokens.S2002);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { to: string; deadlines: Record<string, string> };
    expect(body.to).toBe('L1');
    expect(Object.keys(body.deadlines)).toEqual(expect.arrayContaining(['first_response', 'forward_to_leadership', 'leadership_meeting', 'feedback']));

    const complaint = await running.app.db.complaint.findUniqueOrThrow({ where: { number }, include: { events: true, deadlines: true } });
    expect(complaint.tier).toBe('L1');
    const event = complaint.events.find((e) => e.type === 'tier.overridden');
    expect(event?.payload).toMatchObject({ to: 'L1', reason: '客户已委托律师，电话中确认', byRole: 'supervisor' });
    expect(event?.actorType).toBe('staff');
    expect(complaint.deadlines.map((d) => d.kind)).toEqual(expect.arrayContaining(['first_response', 'forward_to_leadership']));
  });

  it('refuses anonymous callers, forged tokens, agents and the read-only supervision department', async () => {
    const number = await fileComplaint();
    expect((await override(number, { tier: 'L2', reason: '情绪激动' })).status).toBe(401);
    expect((await override(number, { tier: 'L2', reason: '情绪激动' }, `${tokens.S2002}x`)).status).toBe(401);
    expect((await override(number, { tier: 'L2', reason: '情绪激动' }, tokens.A1001)).status).toBe(403);
    expect((await override(number, { tier: 'L2', reason: '情绪激动' }, tokens.V4001)).status).toBe(403);
    const complaint = await running.app.db.complaint.findUniqueOrThrow({ where: { number } });
    expect(complaint.tier).not.toBe('L2');
  });

  it('wants a reason, a known complaint and a real change', async () => {
    const number = await fileComplaint();
    expect((await override(number, { tier: 'L2' }, tokens.S2002)).status).toBe(400);
    expect((await override(number, { tier: 'L2', reason: ' ' }, tokens.S2002)).status).toBe(400);
    expect((await override(number, { tier: 'L9', reason: '情绪激动，多次来电' }, tokens.S2002)).status).toBe(400);
    expect((await override('TS19990101-000001', { tier: 'L2', reason: '情绪激动，多次来电' }, tokens.S2002)).status).toBe(404);
    expect((await override(number, { tier: 'L2', reason: '情绪激动，多次来电' }, tokens.S2002)).status).toBe(200);
    expect((await override(number, { tier: 'L2', reason: '情绪激动，多次来电' }, tokens.S2002)).status).toBe(409);
  });
});
