// Extensions over HTTP: a customer files through the real app (restify → CloudAdapter → dialogs,
// replies to a LocalConnector), an agent asks for 30 days through the app's staff API, the claims
// supervisor approves through the staff API, and the customer receives the new date as a proactive
// message that the app's own CloudAdapter posts to the LocalConnector.
//
// The approving server registers the same staff routes with a BotFrameworkCustomerNotifier on the
// app's adapter: bot/app.ts does not pass a notifier to registerStaffRoutes yet (see the report).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import restify, { type Server } from 'restify';
import { BotFrameworkCustomerNotifier } from '../../bot/customer-notifier';
import { registerStaffRoutes } from '../../bot/staff-routes';
import type { Database } from '../../services/db/client';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { issueStaffToken } from '../../services/staff/staff-token';
import { formatDateTime } from '../../dialogs/i18n/messages';
import { testCalendar, testConfig, testDb } from '../support/app';
import {
  ChatSession, fileZhComplaint, LocalConnector, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp,
} from '../support/e2e';

let bot: RunningApp;
let connector: LocalConnector;
let db: Database;
let staffServer: Server;
let staffUrl: string;
const changed: string[] = [];

beforeAll(async () => {
  [bot, connector] = await Promise.all([startApp(), LocalConnector.start()]);
  db = testDb(2);
  await seedDemoData(db);
  staffServer = restify.createServer();
  staffServer.use(restify.plugins.bodyParser({ mapParams: false }));
  registerStaffRoutes(staffServer, {
    db, log: bot.app.log, staffTokenSecret: testConfig().staffTokenSecret, clock: () => new Date(),
    policy: DEFAULT_POLICY, calendar: testCalendar(),
    afterDeadlinesChanged: (complaintId) => changed.push(complaintId),
    customerNotifier: new BotFrameworkCustomerNotifier(bot.app.channels),
  });
  await new Promise<void>((resolve) => staffServer.listen(0, '127.0.0.1', () => resolve()));
  staffUrl = `http://127.0.0.1:${(staffServer.address() as { port: number }).port}`;
});
afterAll(async () => {
  staffServer?.close();
  await bot?.app.close();
  await connector?.close();
  await db?.$disconnect();
});

async function tokenOf(employeeNo: string): Promise<string> {
  const { id } = await db.staff.findUniqueOrThrow({ where: { employeeNo }, select: { id: true } });
  return issueStaffToken({ staffId: id, secret: testConfig().staffTokenSecret, ttlSeconds: 600, now: new Date() });
}

async function post(url: string, token: string | null, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('extensions over the staff API', () => {
  it('request (agent) → approval (claims supervisor) → new deadlines and a proactive message in the customer chat', async () => {
    const conversationId = randomId('conv');
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId, userName: '客户' });
    await session.start();
    const turns = await fileZhComplaint((t) => session.say(t), newZhComplaint());
    const number = numberIn(turnText(turns.at(-1)!));
    const complaint = await db.complaint.findUniqueOrThrow({ where: { number }, select: { id: true, conversationRef: true } });
    expect(complaint.conversationRef?.conversationId).toBe(conversationId);

    const agent = await tokenOf('A1001');
    expect((await post(`${bot.baseUrl}/api/v1/complaints/${number}/extensions`, null, { toDays: 30, reason: 'x' })).status).toBe(401);
    expect((await post(`${bot.baseUrl}/api/v1/complaints/${number}/extensions`, await tokenOf('V4001'), { toDays: 30, reason: 'x' })).status).toBe(403);
    expect((await post(`${bot.baseUrl}/api/v1/complaints/${number}/extensions`, agent, { toDays: 90, reason: '案情复杂' })).status).toBe(400);
    expect((await post(`${bot.baseUrl}/api/v1/complaints/${number}/extensions`, agent, { toDays: 30 })).status).toBe(400);

    // The request through the app's own server.
    const requested = await post(`${bot.baseUrl}/api/v1/complaints/${number}/extensions`, agent, { toDays: 30, reason: '需等待第三方医疗鉴定结论' });
    expect(requested).toMatchObject({ status: 201, body: { number, fromDays: 15, toDays: 30, status: 'requested' } });
    const extensionId = String(requested.body.id);

    const before = connector.activities(conversationId).length;
    const denied = await post(`${staffUrl}/api/v1/extensions/${extensionId}/decision`, await tokenOf('S2001'), { approve: true });
    expect(denied.status).toBe(403);
    const approved = await post(`${staffUrl}/api/v1/extensions/${extensionId}/decision`, await tokenOf('S2002'), { approve: true, note: '同意延期' });
    expect(approved).toMatchObject({ status: 200, body: { id: extensionId, number, status: 'approved', decisionDays: 30, customerNotice: 'sent' } });
    expect(changed).toEqual([complaint.id]);

    const deadlines = Object.fromEntries((await db.complaintDeadline.findMany({ where: { complaintId: complaint.id } })).map((d) => [d.kind, d.dueAt.toISOString()]));
    expect(deadlines.statutory_decision).toBe(approved.body.statutoryDecision);
    expect(deadlines.feedback).toBe(approved.body.statutoryDecision);

    const activities = await connector.waitForActivities(conversationId, before + 1);
    const notice = activities.at(-1)!;
    expect(notice).toMatchObject({ type: 'message', conversation: { id: conversationId } });
    expect(notice.text).toContain(number);
    expect(notice.text).toContain(formatDateTime(new Date(String(approved.body.feedback)), 'zh-CN', DEFAULT_POLICY.timeZone));
    expect(notice.text).toContain('需等待第三方医疗鉴定结论');

    const again = await post(`${staffUrl}/api/v1/extensions/${extensionId}/decision`, await tokenOf('L3001'), { approve: false });
    expect(again.status).toBe(409);
    expect((await post(`${staffUrl}/api/v1/extensions/not-an-id/decision`, await tokenOf('L3001'), { approve: true })).status).toBe(404);
  });
});
