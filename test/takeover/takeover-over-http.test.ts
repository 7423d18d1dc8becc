// End to end: a customer chatting over /api/messages asks for a person mid-intake, an agent takes the
// conversation over through the staff API on ANOTHER bot instance (sharing PostgreSQL and Redis),
// watches it live over SSE, replies, and hands back; the bot carries on with the intake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import type { Database } from '../../services/db/client';
import { createLogger } from '../../services/logger';
import { Redis } from 'ioredis';
import { testConfig, testDb } from '../support/app';
import { ChatSession, LocalConnector, MemoryStream, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp } from '../support/e2e';
import { callApi, demoStaffTokens, expectNoBotMessages, handoffEvents, SseClient, type DemoStaff } from './takeover-support';

let instanceA: RunningApp; // the customer's messages arrive here
let instanceB: RunningApp; // the agent's console talks to this one
let connector: LocalConnector;
let db: Database;
let tokens: Awaited<ReturnType<typeof demoStaffTokens>>;
const streams: SseClient[] = [];
const logs = new MemoryStream(); // both instances log at debug level into it

beforeAll(async () => {
  const log = () => ({ log: createLogger({ level: 'debug', destination: logs }) });
  [instanceA, instanceB, connector] = await Promise.all([startApp({}, log()), startApp({}, log()), LocalConnector.start()]);
  db = testDb(2);
  tokens = await demoStaffTokens(db);
}, 120_000);

afterAll(async () => {
  for (const s of streams) s.close();
  await Promise.all([instanceA?.app.close(), instanceB?.app.close()]);
  await connector?.close();
  await db?.$disconnect();
});

const api = (who: DemoStaff | null, method: string, path: string, body?: unknown, on: RunningApp = instanceB) =>
  callApi(on.baseUrl, method, path, who ? tokens[who] : undefined, body);

async function openStream(handoffId: string, who: DemoStaff, on: RunningApp = instanceB): Promise<SseClient> {
  const stream = await SseClient.open(`${on.baseUrl}/api/v1/handoffs/${handoffId}/events`, { authorization: `Bearer ${tokens[who]}` });
  streams.push(stream);
  return stream;
}

async function openHandoffOf(session: ChatSession) {
  return db.handoffRequest.findFirstOrThrow({ where: { channelId: session.channelId, conversationId: session.conversationId }, orderBy: { createdAt: 'desc' } });
}

/** Waits for the connector to hold `count` more activities of the conversation than `before`. */
async function proactive(session: ChatSession, before: number, count: number): Promise<Partial<Activity>[]> {
  const all = await connector.waitForActivities(session.conversationId, before + count, 10_000);
  return all.slice(before);
}

describe('takeover of a live conversation', () => {
  it('转人工 mid-intake → waiting; an agent accepts, talks over SSE on another instance, hands back; the intake completes', { timeout: 90_000 }, async () => {
    const c = newZhComplaint();
    const session = new ChatSession({ botUrl: instanceA.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    for (const answer of ['我要投诉', '同意', '保险', '理赔纠纷', c.description]) await session.say(answer);

    // The customer asks for a person at the "when did it happen" prompt.
    const asked = await session.say('转人工');
    expect(turnText(asked)).toMatch(/已为您转接人工客服，您目前排在第 \d+ 位，预计 .+ 前有客服人员接入/);
    expect(turnText(asked)).toContain('事情大约发生在什么时间'); // the question again
    expect(handoffEvents(asked, 'handoff.initiate')).toHaveLength(1);
    const handoff = await openHandoffOf(session);
    expect(handoff).toMatchObject({ status: 'requested', reason: 'customer asked for a person', locale: 'zh-CN', complaintId: null });

    // Waiting and visible in the list (oldest first); the bot still answers while nobody has joined.
    const list = await api('A1001', 'GET', '/api/v1/handoffs');
    expect(list.status).toBe(200);
    const listed = (list.body.handoffs as { id: string; status: string; requestedAt: string }[]);
    expect(listed.find((h) => h.id === handoff.id)?.status).toBe('requested');
    const times = listed.map((h) => h.requestedAt);
    expect([...times].sort()).toEqual(times);

    // The agent's live stream is served by instance B and starts with the conversation so far.
    const stream = await openStream(handoff.id, 'A1001');
    expect(stream.status).toBe(200);
    await stream.waitFor((e) => e.actorType === 'customer' && e.text === '转人工');

    const before = session.transcript.length;
    const accepted = await api('A1001', 'POST', `/api/v1/handoffs/${handoff.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', customerNotified: true });
    const joined = await proactive(session, before, 2);
    expect(turnText(joined)).toContain('人工客服已接入');
    expect(handoffEvents(joined, 'handoff.status').map((e) => (e.value as { state: string }).state)).toEqual(['accepted']);

    // The customer's messages (arriving at instance A) are not answered by the bot and appear on B's stream.
    const silent = await session.say('我的理赔到底什么时候能到账？');
    expectNoBotMessages(silent);
    const seen = await stream.waitFor((e) => e.text === '我的理赔到底什么时候能到账？');
    expect(seen).toMatchObject({ direction: 'inbound', actorType: 'customer' });
    expectNoBotMessages(await session.say('12345'));
    await stream.waitFor((e) => e.text === '12345');

    // The agent's reply reaches the customer's channel as a proactive message.
    const beforeReply = session.transcript.length;
    const replied = await api('A1001', 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text: '您好，我是客服小王，正在为您查询理赔进度。' });
    expect(replied.status).toBe(201);
    const reply = await proactive(session, beforeReply, 1);
    expect(reply[0]).toMatchObject({ type: 'message', text: '您好，我是客服小王，正在为您查询理赔进度。' });
    await stream.waitFor((e) => e.actorType === 'staff' && e.direction === 'outbound' && e.actorId === tokens.ids.A1001);

    // Another agent cannot write into a conversation someone else holds.
    expect((await api('A1002', 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text: '插话' })).status).toBe(409);

    // Hand back: handoff.status completed, a notice, and the question the customer was at.
    const beforeRelease = session.transcript.length;
    const released = await api('A1001', 'POST', `/api/v1/handoffs/${handoff.id}/release`);
    expect(released.status).toBe(200);
    const back = await proactive(session, beforeRelease, 3);
    expect(handoffEvents(back, 'handoff.status').map((e) => (e.value as { state: string }).state)).toEqual(['completed']);
    expect(turnText(back)).toContain('人工服务已结束');
    expect(turnText(back)).toContain('事情大约发生在什么时间');
    await stream.waitFor((e) => e.direction === 'internal' && e.text === 'handoff.released');
    expect((await db.handoffRequest.findUniqueOrThrow({ where: { id: handoff.id } })).status).toBe('ended');

    // The bot carries on with the intake where it was, and the complaint is filed.
    let last: Partial<Activity>[] = [];
    for (const answer of ['跳过', c.referenceNumber, '8万', c.name, c.phone.typed, '跳过', '电话', '确认提交']) {
      last = await session.say(answer);
      expect(last.length, `no reply to ${answer}`).toBeGreaterThan(0);
    }
    const number = numberIn(turnText(last));

    // The transcript: the whole exchange, in order, linked to the complaint (earlier messages included);
    // masked like the complaint page, unmasked for a viewer who may see personal data (recorded).
    const masked = await api('A1001', 'GET', `/api/v1/complaints/${number}/transcript`);
    expect(masked.status).toBe(200);
    expect(masked.body.masked).toBe(true);
    const maskedText = JSON.stringify(masked.body.messages);
    for (const value of [c.name, c.phone.digits, c.phone.typed, c.referenceNumber]) expect(maskedText).not.toContain(value);
    expect(maskedText).toContain(`${c.phone.digits.slice(0, 3)}****${c.phone.digits.slice(-4)}`);
    expect((await api('ADMIN', 'POST', `/api/v1/complaints/${number}/transcript/reveal`)).status).toBe(403); // accounts, not cases
    const transcript = await api('V4001', 'POST', `/api/v1/complaints/${number}/transcript/reveal`);
    expect(transcript.status).toBe(200);
    expect(transcript.body.masked).toBe(false);
    const messages = transcript.body.messages as { id: string; direction: string; actorType: string; text: string }[];
    const ids = messages.map((m) => BigInt(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const texts = messages.map((m) => `${m.actorType}:${m.text}`);
    const order = [
      'customer:我要投诉', 'customer:转人工', 'system:handoff.requested', 'staff:handoff.accepted', 'system:人工客服已接入',
      'customer:我的理赔到底什么时候能到账？', 'staff:您好，我是客服小王，正在为您查询理赔进度。', 'staff:handoff.released', 'customer:确认提交',
    ];
    const positions = order.map((t) => texts.findIndex((x) => x.startsWith(t)));
    expect(positions.every((p) => p >= 0), `missing in ${texts.join(' | ')}`).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(texts.at(-1)).toMatch(/^bot:您的投诉已受理/);
    expect(messages.find((m) => m.text === c.name)?.direction).toBe('inbound');

    // Every step is an event on the complaint (linked when it was filed; no message text in events).
    const complaint = await db.complaint.findUniqueOrThrow({ where: { number }, include: { events: { orderBy: { id: 'asc' } } } });
    expect(complaint.events.filter((e) => e.type === 'pii.revealed').map((e) => e.payload)).toEqual([{ fields: ['transcript'], byRole: 'supervision' }]);
    const handoffSteps = complaint.events.filter((e) => e.type.startsWith('handoff.')).map((e) => e.type);
    expect(handoffSteps).toEqual(['handoff.requested', 'handoff.accepted', 'handoff.message', 'handoff.released']); // the reply too, though sent before the filing
    expect(JSON.stringify(complaint.events.map((e) => e.payload))).not.toContain('客服小王');

    // The transcript is personal data: none of it reaches the logs (or Redis, which carries only row ids).
    for (const text of ['我的理赔到底什么时候能到账', '客服小王', c.name, c.phone.digits, c.description.slice(0, 8)]) {
      expect(logs.text.includes(text), `the log contains "${text}"`).toBe(false);
    }
  });

  it('two agents accepting at once: exactly one wins, the other gets 409', async () => {
    const session = new ChatSession({ botUrl: instanceA.botUrl, connector, locale: 'en-US', userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    const asked = await session.say('talk to a person');
    expect(turnText(asked)).toMatch(/You are number \d+ in the queue; an agent should join by/);
    const handoff = await openHandoffOf(session);
    expect(handoff.locale).toBe('en-US');

    const results = await Promise.all([
      api('A1001', 'POST', `/api/v1/handoffs/${handoff.id}/accept`, undefined, instanceA),
      api('A1002', 'POST', `/api/v1/handoffs/${handoff.id}/accept`, undefined, instanceB),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const row = await db.handoffRequest.findUniqueOrThrow({ where: { id: handoff.id } });
    const winner = results[0]!.status === 200 ? tokens.ids.A1001 : tokens.ids.A1002;
    expect(row.acceptedBy).toBe(winner);
    const joined = await connector.waitForActivities(session.conversationId, session.transcript.length, 10_000);
    await expect.poll(() => turnText(connector.activities(session.conversationId))).toContain('A person has joined the chat');
    expect(joined.length).toBeGreaterThan(0);

    // A supervisor may hand back a conversation an agent left; the English customer is told in English.
    const before = session.transcript.length;
    expect((await api('S2001', 'POST', `/api/v1/handoffs/${handoff.id}/release`)).status).toBe(200);
    const back = await proactive(session, before, 3);
    expect(turnText(back)).toContain('The agent has left the chat');
    expect(turnText(back)).toContain('What can I do for you?'); // no dialog was active: the menu
  });

  it('failing to understand twice at the same prompt asks for a person', async () => {
    const session = new ChatSession({ botUrl: instanceA.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    for (const answer of ['我要投诉', '同意', '保险', '理赔纠纷', '车险理赔三个月没有答复，请尽快处理', '跳过', '跳过', '8万', '张伟']) await session.say(answer);
    const first = await session.say('不知道');
    expect(turnText(first)).toContain('手机号格式不正确');
    expect(await db.handoffRequest.count({ where: { conversationId: session.conversationId } })).toBe(0);
    const second = await session.say('没有手机');
    expect(turnText(second)).toMatch(/抱歉，我没能理解您的回答。已为您转接人工客服（排在第 \d+ 位/);
    expect(handoffEvents(second, 'handoff.initiate')).toHaveLength(1);
    const handoff = await openHandoffOf(session);
    expect(handoff).toMatchObject({ status: 'requested', reason: 'bot did not understand twice' });
    // The customer can still answer the question while waiting.
    expect(turnText(await session.say('13800138000'))).toContain('邮箱');
  });

  it('an agent takes over a filed complaint\'s conversation from an alert', { timeout: 60_000 }, async () => {
    const c = newZhComplaint();
    const session = new ChatSession({ botUrl: instanceA.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    let last: Partial<Activity>[] = [];
    for (const answer of ['我要投诉', '同意', '保险', '理赔纠纷', c.description, '跳过', c.referenceNumber, '8万', c.name, c.phone.typed, '跳过', '电话', '确认提交']) {
      last = await session.say(answer);
    }
    const number = numberIn(turnText(last));
    expect((await api('V4001', 'POST', `/api/v1/complaints/${number}/takeover`)).status).toBe(403);
    const before = session.transcript.length;
    const started = await api('A1002', 'POST', `/api/v1/complaints/${number}/takeover`);
    expect(started.status).toBe(201);
    expect(turnText(await proactive(session, before, 2))).toContain('人工客服已接入');
    expect((await api('A1001', 'POST', `/api/v1/complaints/${number}/takeover`)).status).toBe(409);
    expectNoBotMessages(await session.say('你好，在吗？'));
    expect((await api('A1002', 'POST', `/api/v1/handoffs/${started.body.id}/messages`, { text: '在的，请讲。' })).status).toBe(201);

    const complaint = await db.complaint.findUniqueOrThrow({ where: { number }, include: { events: { orderBy: { id: 'asc' } } } });
    expect(complaint.events.filter((e) => e.type.startsWith('handoff.')).map((e) => e.type)).toEqual(['handoff.accepted', 'handoff.message']);
    const transcript = await api('A1002', 'GET', `/api/v1/complaints/${number}/transcript`);
    expect(transcript.body.messages.map((m: { text: string }) => m.text)).toEqual(expect.arrayContaining(['你好，在吗？', '在的，请讲。']));
  });
});

describe('a channel that cannot be reached', () => {
  it('an agent reply that the channel refuses is a 503 and is not recorded as sent', { timeout: 90_000 }, async () => {
    const gone = await LocalConnector.start();
    const session = new ChatSession({ botUrl: instanceA.botUrl, connector: gone, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    await session.say('转人工');
    const { id } = await openHandoffOf(session);
    await gone.close(); // the customer's channel is down from here on
    const accepted = await api('A1001', 'POST', `/api/v1/handoffs/${id}/accept`);
    expect(accepted.status).toBe(200); // taken, even though the customer could not be told
    expect(accepted.body.customerNotified).toBe(false);
    const reply = await api('A1001', 'POST', `/api/v1/handoffs/${id}/messages`, { text: '您好，请问还在吗？' });
    expect(reply.status).toBe(503);
    const staffMessages = await db.transcriptMessage.count({ where: { conversationId: session.conversationId, actorType: 'staff', direction: 'outbound' } });
    expect(staffMessages).toBe(0);
    expect((await api('A1001', 'POST', `/api/v1/handoffs/${id}/release`)).body.customerNotified).toBe(false);
  });
});

describe('live stream', () => {
  it('resumes after Last-Event-ID without repeats, and shows new messages once on every instance', async () => {
    const session = new ChatSession({ botUrl: instanceA.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    await session.say('人工客服');
    await session.say('我要投诉');
    await session.say('同意');
    const { id } = await openHandoffOf(session);

    // What travels over Redis: row ids only, never the text.
    const spy = new Redis(testConfig().redisUrl);
    const published: string[] = [];
    spy.on('pmessage', (_pattern: string, _channel: string, message: string) => published.push(message));
    await spy.psubscribe(`transcript-appended:${session.channelId}/${session.conversationId}`);

    const full = await openStream(id, 'A1002', instanceA);
    const mark = await full.waitFor((e) => e.text === '我要投诉');
    await full.waitFor((e) => e.text === '同意');
    const resumed = await SseClient.open(`${instanceB.baseUrl}/api/v1/handoffs/${id}/events`, { authorization: `Bearer ${tokens.S2001}`, 'last-event-id': mark.eventId });
    streams.push(resumed);
    await resumed.waitFor((e) => e.text === '同意');
    expect(resumed.events.every((e) => BigInt(e.eventId) > BigInt(mark.eventId))).toBe(true);
    expect(resumed.events.some((e) => e.text === '人工客服' || e.text === '我要投诉')).toBe(false);

    await session.say('保险');
    await Promise.all([full.waitFor((e) => e.text === '保险'), resumed.waitFor((e) => e.text === '保险')]);
    for (const stream of [full, resumed]) {
      const ids = stream.events.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(stream.events.filter((e) => e.text === '保险')).toHaveLength(1);
    }
    await expect.poll(() => published.length).toBeGreaterThan(0);
    expect(published.every((m) => /^\d+$/.test(m)), published.join(',')).toBe(true);
    await spy.quit();
  });
});

describe('takeover API roles', () => {
  it('refuses anonymous callers (401) and the read-only supervision department on every action (403)', async () => {
    const session = new ChatSession({ botUrl: instanceA.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    await session.say('人工客服');
    const { id } = await openHandoffOf(session);

    for (const [method, path] of [
      ['GET', '/api/v1/handoffs'], ['POST', `/api/v1/handoffs/${id}/accept`], ['POST', `/api/v1/handoffs/${id}/messages`],
      ['POST', `/api/v1/handoffs/${id}/release`], ['GET', `/api/v1/handoffs/${id}/events`], ['GET', '/api/v1/complaints/TS20261128-000001/transcript'],
      ['POST', '/api/v1/complaints/TS20261128-000001/takeover'],
    ] as const) {
      expect((await api(null, method, path, method === 'POST' ? { text: 'x' } : undefined)).status, `${method} ${path}`).toBe(401);
    }
    expect((await api('V4001', 'POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(403);
    expect((await api('L3001', 'POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(403);
    expect((await api('V4001', 'GET', '/api/v1/handoffs')).status).toBe(200);
    const supervisionStream = await openStream(id, 'V4001');
    expect(supervisionStream.status).toBe(200); // reading is allowed
    expect((await api('A1001', 'POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(200);
    expect((await api('V4001', 'POST', `/api/v1/handoffs/${id}/messages`, { text: '你好' })).status).toBe(403);
    expect((await api('V4001', 'POST', `/api/v1/handoffs/${id}/release`)).status).toBe(403);
    expect((await api('A1001', 'POST', `/api/v1/handoffs/${id}/messages`, { text: '  ' })).status).toBe(400);
    expect((await api('A1001', 'POST', '/api/v1/handoffs/not-a-uuid/accept')).status).toBe(404);
    expect((await api('A1001', 'POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(409);
    expect((await api('A1001', 'POST', `/api/v1/handoffs/${id}/release`)).status).toBe(200);
    expect((await api('A1001', 'POST', `/api/v1/handoffs/${id}/release`)).status).toBe(409);
  });
});
