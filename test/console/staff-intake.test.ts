// Hotline, branch-counter and letter intake from the console: the same validation, triage,
// deadlines and alerts as the chat intake, the channel recorded, the agent as the actor.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { randomMobile } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { bearerFor, createStaff, type TestStaff } from './console-support';

let running: RunningApp;
let agent: TestStaff;
const scheduled: string[] = [];

beforeAll(async () => {
  running = await startApp();
  await seedDemoData(running.app.db);
  agent = await createStaff(running.app.db, 'agent', { department: 'CS' });
  // The app's hook after filing (timers, alert delivery) — the same one the chat intake calls.
  const original = running.app.background.complaintFiled.bind(running.app.background);
  running.app.background.complaintFiled = (id: string) => {
    scheduled.push(id);
    return original(id);
  };
}, 180_000);
afterAll(() => running.app.close());

function form(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'hotline', businessLine: 'insurance', type: 'claims_dispute',
    description: '来电反映车险理赔三个月未到账，多次催促无果', name: '王小明', phone: randomMobile(),
    feedbackMethod: 'phone', claimedLoss: '3万', privacyNoticeGiven: true, submissionId: randomUUID(), ...overrides,
  };
}

async function post(body: unknown) {
  const res = await fetch(`${running.baseUrl}/api/v1/complaints`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: bearerFor(agent.id) }, body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's shape is what the test checks
  return { status: res.status, body: (await res.json()) as any };
}

describe('hotline and branch intake', { timeout: 180_000 }, () => {
  it('files a caller\'s complaint: triaged, deadlines set, channel hotline, the agent as actor, acknowledged, timers scheduled', async () => {
    const res = await post(form());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ channel: 'hotline', tier: 'L3', acknowledged: true });
    expect(res.body.number).toMatch(/^TS\d{8}-\d{6}$/);
    expect(Date.parse(res.body.feedbackDueAt)).toBeGreaterThan(Date.parse(res.body.acceptedAt));

    const c = await running.app.db.complaint.findUniqueOrThrow({
      where: { number: res.body.number },
      include: { deadlines: true, events: { orderBy: { id: 'asc' } }, complainant: true },
    });
    expect(c.intakeChannel).toBe('hotline');
    expect(c.status).toBe('acknowledged');
    expect(c.claimedLossYuan?.toString()).toBe('30000');
    expect(c.complainant.name).toBe('王小明');
    expect(c.deadlines.map((d) => d.kind)).toEqual(expect.arrayContaining(['feedback', 'statutory_decision']));
    const types = c.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['complaint.received', 'privacy.consent_given', 'triage.decided', 'deadlines.set', 'status.changed']));
    const received = c.events.find((e) => e.type === 'complaint.received')!;
    expect(received).toMatchObject({ actorType: 'staff', actorId: agent.id, channel: 'console' });
    expect(received.payload).toMatchObject({ intakeChannel: 'hotline' });
    expect(scheduled).toContain(c.id);
  });

  it('gives a serious walk-in complaint the same level 1 triage, supervisor alert and deadlines as chat', async () => {
    const res = await post(form({
      channel: 'branch', description: '我在网点购买的理财产品亏损80万元，已经联系了记者，准备起诉你们公司', claimedLoss: '80万',
    }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ channel: 'counter', tier: 'L1' });
    expect(res.body.contactBy).not.toBeNull();
    const c = await running.app.db.complaint.findUniqueOrThrow({ where: { number: res.body.number }, include: { deadlines: true, alerts: true } });
    expect(c.intakeChannel).toBe('counter');
    expect(c.deadlines.map((d) => d.kind)).toEqual(expect.arrayContaining(['first_response', 'forward_to_leadership', 'leadership_meeting', 'feedback']));
    expect(c.alerts.length).toBeGreaterThan(0);
  });

  it('files a letter without acknowledging it (the acknowledgement letter does that)', async () => {
    const res = await post(form({ channel: 'letter', feedbackMethod: 'letter' }));
    expect(res.status).toBe(201);
    const c = await running.app.db.complaint.findUniqueOrThrow({ where: { number: res.body.number } });
    expect(c.intakeChannel).toBe('letter');
    expect(c.status).toBe('received');
  });

  it('refuses a form with bad fields, naming each one, and files nothing', async () => {
    const bad = form({ phone: '12345', name: 'http://x.com', description: '...', email: 'not-mail', referenceNumber: 'AB', claimedLoss: '很多很多钱', type: 'securities_trading' });
    const res = await post(bad);
    expect(res.status).toBe(400);
    expect(res.body.details.fields).toEqual({
      phone: 'invalid_phone', name: 'invalid_name', description: 'invalid_description', email: 'invalid_email',
      referenceNumber: 'invalid_reference_number', claimedLoss: 'invalid_amount', type: 'type_not_in_business_line',
    });
    expect(await running.app.db.complaint.count({ where: { intakeSubmissionId: bad.submissionId } })).toBe(0);
    const noNotice = await post(form({ privacyNoticeGiven: false }));
    expect(noNotice.status).toBe(400);
    expect(noNotice.body.details.fields).toHaveProperty('privacyNoticeGiven');
    expect((await post(form({ channel: 'online_chat' }))).status).toBe(400);
  });

  it('accepts the forms a clerk types: full-width digits, +86, spaces; files a double-submitted form once', async () => {
    const digits = randomMobile();
    const typed = `+86 ${[...digits].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('')}`;
    const body = form({ phone: typed });
    const first = await post(body);
    const second = await post(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.number).toBe(first.body.number);
    const c = await running.app.db.complaint.findUniqueOrThrow({ where: { number: first.body.number }, include: { complainant: true } });
    expect(c.complainant.phone).toBe(digits);
  });
});
