// The console's staff API per role: anonymous 401 everywhere, wrong role 403, the supervision
// department reads everything and changes nothing; the queue's filters and order; the complaint
// page masked; revealing personal data is allowed per role and recorded without the values.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { randomMobile, testDesk } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { bearerFor, createStaff, signedIn, type TestStaff } from './console-support';

let running: RunningApp;
let now = new Date();
const staff: Record<string, TestStaff> = {};

beforeAll(async () => {
  running = await startApp({}, { clock: () => now });
  const db = running.app.db;
  await seedDemoData(db);
  // Claims disputes are routed to CLAIMS; BROKERAGE is "another department".
  staff.agentClaims = await createStaff(db, 'agent', { department: 'CLAIMS' });
  staff.agentOther = await createStaff(db, 'agent', { department: 'BROKERAGE' });
  staff.supervisorClaims = await createStaff(db, 'supervisor', { department: 'CLAIMS' });
  staff.leadership = await createStaff(db, 'leadership', { department: 'COMPLAINTS-LG' });
  staff.supervision = await createStaff(db, 'supervision', { department: 'SUPERVISION' });
  staff.admin = await createStaff(db, 'admin', { department: 'CS' });
}, 180_000);
afterAll(() => running.app.close());

interface Filed { number: string; name: string; phone: string }

async function fileChatComplaint(description = '理赔款一直没到账，已经等了两个月', name = '周七'): Promise<Filed> {
  const phone = randomMobile();
  const filed = await testDesk(running.app.db, () => now).fileComplaint({
    draft: { businessLine: 'insurance', type: 'claims_dispute', description, name, phone, email: 'zhou.qi@example.com', referenceNumber: 'P2026-00987654', feedbackMethod: 'phone' },
    user: { channelId: 'test-console', channelUserId: randomUUID() },
    locale: 'zh-CN',
    reference: { channelId: 'test-console', serviceUrl: 'https://test.example', conversation: { id: randomUUID() } },
    consent: { noticeVersion: 'test' },
    submissionId: randomUUID(),
  });
  return { number: filed.number, name, phone };
}

async function call(method: string, path: string, who?: TestStaff, body?: unknown) {
  const res = await fetch(`${running.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(who ? { authorization: bearerFor(who.id) } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

function hotlineForm(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'hotline', businessLine: 'insurance', type: 'claims_dispute',
    description: '来电反映车险理赔三个月未到账，多次催促无果', name: '王小明', phone: randomMobile(),
    feedbackMethod: 'phone', claimedLoss: '3万', privacyNoticeGiven: true, submissionId: randomUUID(), ...overrides,
  };
}

describe('anonymous and wrong-role calls', { timeout: 180_000 }, () => {
  it('answers 401 to every console and staff route without a sign-in', async () => {
    const { number } = await fileChatComplaint();
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/complaints'],
      ['GET', `/api/v1/complaints/${number}`],
      ['POST', `/api/v1/complaints/${number}/reveal`, {}],
      ['POST', '/api/v1/complaints', hotlineForm()],
      ['POST', `/api/v1/complaints/${number}/tier`, { tier: 'L1', reason: '客户委托律师' }],
      ['POST', `/api/v1/complaints/${number}/extensions`, { toDays: 30, reason: '需要外部鉴定' }],
      ['POST', `/api/v1/extensions/${randomUUID()}/decision`, { approve: true }],
      ['GET', '/api/v1/me'],
      ['DELETE', '/api/v1/session'],
      ['GET', '/api/v1/departments'],
    ];
    for (const [method, path, body] of routes) {
      const res = await call(method, path, undefined, body);
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    const filed = await running.app.db.complaint.count({ where: { intakeChannel: 'hotline', events: { some: { actorType: 'customer' } } } });
    expect(filed).toBe(0);
  });

  it('refuses a forged or expired bearer token and a made-up session cookie', async () => {
    expect((await fetch(`${running.baseUrl}/api/v1/complaints`, { headers: { authorization: 'Bearer st1.e30.forged' } })).status).toBe(401);
    expect((await fetch(`${running.baseUrl}/api/v1/complaints`, { headers: { cookie: `console_session=${'A'.repeat(43)}` } })).status).toBe(401);
  });

  it('lets the supervision department read everything and change nothing (403 on every write, bearer or cookie)', async () => {
    const { number } = await fileChatComplaint();
    const sup = staff.supervision!;
    expect((await call('GET', '/api/v1/complaints', sup)).status).toBe(200);
    expect((await call('GET', `/api/v1/complaints/${number}`, sup)).status).toBe(200);
    expect((await call('POST', `/api/v1/complaints/${number}/reveal`, sup, { fields: ['phone'] })).status).toBe(200);

    const extension = await call('POST', `/api/v1/complaints/${number}/extensions`, staff.agentClaims, { toDays: 30, reason: '需要第三方鉴定报告' });
    expect(extension.status).toBe(201);
    const writes: [string, string, unknown][] = [
      ['POST', '/api/v1/complaints', hotlineForm()],
      ['POST', `/api/v1/complaints/${number}/tier`, { tier: 'L1', reason: '客户已委托律师' }],
      ['POST', `/api/v1/complaints/${number}/extensions`, { toDays: 30, reason: '需要第三方鉴定报告' }],
      ['POST', `/api/v1/extensions/${extension.body.id}/decision`, { approve: true }],
    ];
    for (const [method, path, body] of writes) {
      expect((await call(method, path, sup, body)).status, `${method} ${path}`).toBe(403);
    }
    // The same through a signed-in browser session with a valid CSRF header.
    const browser = await signedIn(running.baseUrl, sup);
    for (const [method, path, body] of writes) {
      expect((await browser.request(method, path, body)).status, `cookie ${method} ${path}`).toBe(403);
    }
    const complaint = await running.app.db.complaint.findUniqueOrThrow({ where: { number }, select: { tier: true, extensions: { select: { status: true } } } });
    expect(complaint.tier).not.toBe('L1');
    expect(complaint.extensions.map((x) => x.status)).toEqual(['requested']);
  });

  it('lets supervisors (not agents) override a tier, and only handlers file a hotline complaint', async () => {
    const { number } = await fileChatComplaint();
    expect((await call('POST', `/api/v1/complaints/${number}/tier`, staff.agentClaims, { tier: 'L1', reason: '客户已委托律师' })).status).toBe(403);
    expect((await call('POST', `/api/v1/complaints/${number}/tier`, staff.supervisorClaims, { tier: 'L1', reason: '客户已委托律师' })).status).toBe(200);
    expect((await call('POST', '/api/v1/complaints', staff.agentOther, hotlineForm())).status).toBe(201);
  });

  it('refuses a cookie-authenticated intake without the CSRF header', async () => {
    const browser = await signedIn(running.baseUrl, staff.agentClaims!);
    const form = hotlineForm();
    const res = await browser.request('POST', '/api/v1/complaints', form, { csrf: false });
    expect(res.status).toBe(403);
    expect(await running.app.db.complaint.count({ where: { intakeSubmissionId: form.submissionId as string } })).toBe(0);
    expect((await browser.request('POST', '/api/v1/complaints', form)).status).toBe(201);
  });
});

describe('the queue', { timeout: 180_000 }, () => {
  it('lists open complaints nearest deadline first, with tier, owner, next deadline and breached flag; filters and number search work', async () => {
    const calm = await fileChatComplaint('理赔材料已经交齐，请尽快告知进度');
    const big = await fileChatComplaint('损失金额80万元，已经联系媒体准备曝光，还要去法院起诉你们');
    const who = staff.agentClaims!;

    const search = await call('GET', `/api/v1/complaints?number=${big.number.slice(-6)}&status=all`, who);
    expect(search.status).toBe(200);
    const found = search.body.rows.find((r: { number: string }) => r.number === big.number);
    expect(found).toMatchObject({ tier: 'L1', status: 'received', intakeChannel: 'online_chat', breached: false, owner: null });
    expect(found.department.code).toBe('CLAIMS');
    expect(found.nextDeadline.kind).toBeTruthy();
    expect(found.complainant).not.toContain(big.name.slice(1));

    const l1 = await call('GET', '/api/v1/complaints?tier=L1&pageSize=100', who);
    expect(l1.body.rows.every((r: { tier: string }) => r.tier === 'L1')).toBe(true);
    expect(l1.body.rows.map((r: { number: string }) => r.number)).toContain(big.number);
    expect(l1.body.rows.map((r: { number: string }) => r.number)).not.toContain(calm.number);

    const all = await call('GET', '/api/v1/complaints?pageSize=100&department=CLAIMS', who);
    const dues = all.body.rows.filter((r: { nextDeadline: unknown }) => r.nextDeadline).map((r: { nextDeadline: { dueAt: string } }) => Date.parse(r.nextDeadline.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(all.body.total).toBeGreaterThanOrEqual(2);

    // Past the L1 first response: breached in the queue.
    now = new Date(now.getTime() + 3 * 3600_000);
    const later = await call('GET', `/api/v1/complaints?number=${big.number}`, who);
    expect(later.body.rows[0]).toMatchObject({ number: big.number, breached: true });
    const breachedOnly = await call('GET', '/api/v1/complaints?breached=true&pageSize=100', who);
    expect(breachedOnly.body.rows.every((r: { breached: boolean }) => r.breached)).toBe(true);

    expect((await call('GET', '/api/v1/complaints?tier=L9', who)).status).toBe(400);
  });

  it('lists the complaints whose satisfaction survey waits for an agent\'s call, closed ones included', async () => {
    const db = running.app.db;
    const hour = 3600_000;
    const survey = async (number: string, method: string, status: string, sendAt: number, expiresAt: number) => {
      await db.$executeRaw`
        INSERT INTO satisfaction_survey (id, complaint_id, cycle, method, status, feedback_at, send_at, remind_at, expires_at, updated_at)
        SELECT gen_random_uuid(), id, 1, ${method}::survey_method, ${status}::survey_status, ${new Date(sendAt - hour)}, ${new Date(sendAt)},
               ${new Date(sendAt + hour)}, ${new Date(expiresAt)}, now()
        FROM complaint WHERE number = ${number}`;
    };
    const t = now.getTime();
    const [due, closedDue, notYet, expired, byChat] = await Promise.all(Array.from({ length: 5 }, () => fileChatComplaint()));
    await survey(due!.number, 'callback', 'sent', t - hour, t + 48 * hour);
    await survey(closedDue!.number, 'callback', 'scheduled', t - 1000, t + 48 * hour);
    await db.$executeRaw`UPDATE complaint SET status = 'closed' WHERE number = ${closedDue!.number}`;
    await survey(notYet!.number, 'callback', 'scheduled', t + hour, t + 48 * hour);
    await survey(expired!.number, 'callback', 'sent', t - 72 * hour, t - hour);
    await survey(byChat!.number, 'chat', 'sent', t - hour, t + 48 * hour);

    const listed = await call('GET', '/api/v1/complaints?callback=pending&status=all&pageSize=100', staff.agentClaims!);
    expect(listed.status).toBe(200);
    const numbers = listed.body.rows.map((r: { number: string }) => r.number);
    expect(numbers).toEqual(expect.arrayContaining([due!.number, closedDue!.number]));
    for (const other of [notYet!, expired!, byChat!]) expect(numbers).not.toContain(other.number);
    // The queue's default (open complaints) leaves the closed one out.
    const open = await call('GET', '/api/v1/complaints?callback=pending&pageSize=100', staff.agentClaims!);
    expect(open.body.rows.map((r: { number: string }) => r.number)).toContain(due!.number);
    expect(open.body.rows.map((r: { number: string }) => r.number)).not.toContain(closedDue!.number);
    expect((await call('GET', '/api/v1/complaints?callback=yes', staff.agentClaims!)).status).toBe(400);
  });
});

describe('the complaint page and reveal', { timeout: 180_000 }, () => {
  it('shows details with personal data masked, the deadlines and the event history', async () => {
    const filed = await fileChatComplaint('理赔款一直没到账，身份证号110101199003077777，请联系我');
    const res = await call('GET', `/api/v1/complaints/${filed.number}`, staff.agentClaims);
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.personalData.masked).toBe(true);
    expect(d.personalData.phone).toBe(`${filed.phone.slice(0, 3)}****${filed.phone.slice(-4)}`);
    expect(d.personalData.name).toBe('周*');
    expect(d.personalData.email).toBe('z***@example.com');
    expect(d.personalData.referenceNumber).toMatch(/^\*+7654$/);
    for (const secret of [filed.phone, 'zhou.qi@example.com', 'P2026-00987654', '110101199003077777', '周七']) expect(res.text).not.toContain(secret);
    expect(d.deadlines.map((x: { kind: string }) => x.kind)).toEqual(expect.arrayContaining(['feedback', 'statutory_decision']));
    expect(d.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['complaint.received', 'triage.decided', 'deadlines.set']));
    expect(d.permissions).toMatchObject({ reveal: true, overrideTier: false, readOnly: false });
    expect((await call('GET', '/api/v1/complaints/TS20991231-999999', staff.agentClaims)).status).toBe(404);
    expect((await call('GET', '/api/v1/complaints/not-a-number', staff.agentClaims)).status).toBe(400);
  });

  it('reveals to the department, the owner, leadership and supervision — recorded as pii.revealed with who and which fields, never the values', async () => {
    const filed = await fileChatComplaint();
    const res = await call('POST', `/api/v1/complaints/${filed.number}/reveal`, staff.agentClaims, { fields: ['name', 'phone'] });
    expect(res.status).toBe(200);
    expect(res.body.fields).toEqual({ name: filed.name, phone: filed.phone });

    for (const who of [staff.leadership!, staff.supervision!, staff.supervisorClaims!]) {
      expect((await call('POST', `/api/v1/complaints/${filed.number}/reveal`, who, {})).status, who.role).toBe(200);
    }
    const events = await running.app.db.complaintEvent.findMany({ where: { complaint: { number: filed.number }, type: 'pii.revealed' }, orderBy: { id: 'asc' } });
    expect(events).toHaveLength(4);
    expect(events[0]).toMatchObject({ actorType: 'staff', actorId: staff.agentClaims!.id, payload: { fields: ['name', 'phone'], byRole: 'agent' } });
    expect(events[2]!.payload).toMatchObject({ byRole: 'supervision', fields: ['name', 'phone', 'email', 'referenceNumber', 'description'] });
    const stored = JSON.stringify(events.map((e) => e.payload));
    expect(stored).not.toContain(filed.phone);
    expect(stored).not.toContain(filed.name);
  });

  it('refuses to reveal to an agent of another department and to an administrator, and records nothing', async () => {
    const filed = await fileChatComplaint();
    const other = await call('POST', `/api/v1/complaints/${filed.number}/reveal`, staff.agentOther, {});
    expect(other.status).toBe(403);
    expect(other.text).not.toContain(filed.phone);
    expect((await call('POST', `/api/v1/complaints/${filed.number}/reveal`, staff.admin, {})).status).toBe(403);
    const page = await call('GET', `/api/v1/complaints/${filed.number}`, staff.agentOther);
    expect(page.body.permissions.reveal).toBe(false);
    expect(await running.app.db.complaintEvent.count({ where: { complaint: { number: filed.number }, type: 'pii.revealed' } })).toBe(0);

    // Once the complaint is theirs, the other department's agent may see it.
    await running.app.db.complaint.update({ where: { number: filed.number }, data: { ownerStaffId: staff.agentOther!.id } });
    expect((await call('POST', `/api/v1/complaints/${filed.number}/reveal`, staff.agentOther, { fields: ['phone'] })).status).toBe(200);
  });
});
