// The self-hosted Direct Line 3.0 endpoint over real HTTP and WebSocket, the way Web Chat and other
// Direct Line clients use it, on two app instances sharing one PostgreSQL and one Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationReference } from 'botbuilder';
import { startApp, type RunningApp } from '../../support/e2e';
import { issueToken } from '../../../bot/channels/directline/tokens';
import { DIRECTLINE_CHANNEL_ID } from '../../../bot/channels/directline';
import {
  botTexts, call, decodeJwtPayload, getActivities, pollUntil, postMessage, randomIp, startConversation, StreamClient, type DlActivity,
} from './directline-client';

const SECRET = 'test-directline-token-secret-0123456789abcdef';
const ENV = {
  DIRECTLINE_TOKEN_SECRET: SECRET,
  DIRECTLINE_TRUSTED_PROXY_HOPS: '1',
  DIRECTLINE_CONVERSATIONS_PER_IP_PER_MINUTE: '5',
  DIRECTLINE_MESSAGES_PER_CONVERSATION_PER_MINUTE: '6',
  DIRECTLINE_MAX_TEXT_CHARS: '3000',
  DIRECTLINE_MAX_ACTIVITY_BYTES: '16384',
};

let a: RunningApp;
let b: RunningApp;
/** Allows one other site only. */
let strict: RunningApp;
const streams: StreamClient[] = [];

beforeAll(async () => {
  [a, b, strict] = await Promise.all([startApp(ENV), startApp(ENV), startApp({ ...ENV, DIRECTLINE_ALLOWED_ORIGINS: 'https://www.example.com' })]);
});

afterAll(async () => {
  for (const s of streams) s.close();
  await Promise.all([a?.app.close(), b?.app.close(), strict?.app.close()]);
});

const hasBotText = (fragment: string) => (all: DlActivity[]) => botTexts(all).some((t) => t.includes(fragment));

async function openStream(url: string): Promise<StreamClient> {
  const stream = await StreamClient.open(url);
  streams.push(stream);
  return stream;
}

describe('starting a conversation', () => {
  it('answers a conversation id, an expiring conversation token naming the customer, and a stream URL; the bot greets', async () => {
    const c = await startConversation(a.baseUrl);
    expect(c.conversationId).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    expect(c.expires_in).toBe(1800);
    const claims = decodeJwtPayload(c.token);
    expect(claims).toMatchObject({ conv: c.conversationId, scope: 'conversation' });
    expect(String(claims.user)).toMatch(/^dl_/);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(1800);
    expect(c.streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${c.conversationId}/stream\\?t=`));

    const { activities, watermark } = await pollUntil(a.baseUrl, c, hasBotText('请问需要办理什么'));
    expect(botTexts(activities).join('\n')).toContain('您好，这里是投诉服务');
    const menu = activities.find((x) => x.suggestedActions)!;
    expect(menu.suggestedActions!.actions.map((x) => x.title)).toEqual(['我要投诉', '查询投诉进度', '投诉处理说明', '人工客服']);
    for (const bot of activities.filter((x) => x.from.role === 'bot')) {
      expect(bot.id).toMatch(new RegExp(`^${c.conversationId}\\|\\d{7}$`));
      expect(new Date(bot.timestamp).toISOString()).toBe(bot.timestamp);
      expect(bot.from.id).not.toBe(claims.user);
      expect(bot.channelId).toBe(DIRECTLINE_CHANNEL_ID);
      if (bot.type === 'message') expect(bot.textFormat).toBe('plain'); // line breaks kept, no markdown surprises
    }
    expect(typeof watermark).toBe('string');
    expect(Number(watermark)).toBe(activities.length);
  });

  it('greets in English when the page asks for English', async () => {
    const c = await startConversation(a.baseUrl, { locale: 'en-US' });
    await pollUntil(a.baseUrl, c, hasBotText('Hello, this is the complaints service'));
  });
});

describe('posting and getting activities', () => {
  it("the customer's message comes back with a server id and its clientActivityID, sent as the token's user; the bot answers after it", async () => {
    const c = await startConversation(a.baseUrl);
    const user = String(decodeJwtPayload(c.token).user);
    const first = await pollUntil(a.baseUrl, c, hasBotText('请问需要办理什么'));

    const posted = await postMessage(a.baseUrl, c, '我要投诉', { channelData: { clientActivityID: 'client-42' }, from: { id: 'someone-else', role: 'user' } });
    expect(posted.status).toBe(200);
    expect(posted.body.id).toMatch(new RegExp(`^${c.conversationId}\\|\\d{7}$`));

    // Only what came after the watermark.
    const res = await getActivities(a.baseUrl, c, first.watermark);
    const next = await pollUntil(a.baseUrl, c, (all) => all.length > first.activities.length && hasBotText('个人信息告知')(all));
    expect(res.status).toBe(200);
    const after = next.activities.slice(first.activities.length);
    expect(after[0]).toMatchObject({ id: posted.body.id, type: 'message', text: '我要投诉', from: { id: user, role: 'user' }, channelData: { clientActivityID: 'client-42' } });
    expect(botTexts(after).join('\n')).toContain('个人信息告知');
    expect((res.body.activities as DlActivity[]).every((x) => !first.activities.some((y) => y.id === x.id))).toBe(true);
    expect(Number(next.watermark)).toBeGreaterThan(Number(first.watermark));
  });

  it('keeps what the customer typed encrypted in PostgreSQL; the customer reads it back, and rows from before encryption still read', async () => {
    const c = await startConversation(a.baseUrl);
    await pollUntil(a.baseUrl, c, hasBotText('请问需要办理什么'));
    const phone = '13987654321';
    const posted = await postMessage(a.baseUrl, c, `我的电话 ${phone}，身份证 110101199003071234`);
    expect(posted.status).toBe(200);
    const stored = await a.app.db.$queryRaw<{ activity: string }[]>`SELECT activity::text AS activity FROM directline_activity WHERE conversation_id = ${c.conversationId}`;
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const row of stored) {
      expect(JSON.parse(row.activity)).toEqual({ encz: expect.stringMatching(/^enc:v1:/) });
      expect(row.activity).not.toContain(phone);
      expect(row.activity).not.toContain('身份证');
    }
    const read = await pollUntil(a.baseUrl, c, (all) => all.some((x) => x.id === posted.body.id));
    expect(read.activities.find((x) => x.id === posted.body.id)).toMatchObject({ type: 'message', text: `我的电话 ${phone}，身份证 110101199003071234` });

    // An activity stored before this release (plain JSON with its id) is served as it was.
    const seq = 9_000_000;
    const legacyId = `${c.conversationId}|${seq}`;
    await a.app.db.$executeRaw`
      INSERT INTO directline_activity (conversation_id, seq, for_bot, activity)
      VALUES (${c.conversationId}, ${seq}, false, ${JSON.stringify({ id: legacyId, type: 'message', text: '旧消息', from: { id: 'bot', role: 'bot' } })}::jsonb)`;
    const later = await getActivities(a.baseUrl, c, String(seq - 1));
    expect(later.body.activities).toEqual([expect.objectContaining({ id: legacyId, text: '旧消息' })]);
  });

  it('resumes the conversation with its token (POST /conversations, Bearer, {"user":{}}) and reconnects a stream from a watermark', async () => {
    const c = await startConversation(a.baseUrl);
    const seen = await pollUntil(a.baseUrl, c, hasBotText('请问需要办理什么'));
    const resumed = await call(b.baseUrl, 'POST', '/v3/directline/conversations', { token: c.token, body: { user: {} } });
    expect(resumed.status).toBe(200);
    expect(resumed.body.conversationId).toBe(c.conversationId);
    expect(resumed.body.streamUrl).toContain(`/conversations/${c.conversationId}/stream?t=`);
    expect((await getActivities(b.baseUrl, { conversationId: c.conversationId, token: resumed.body.token }, '')).body.activities).toHaveLength(seen.activities.length);

    const reconnect = await call(a.baseUrl, 'GET', `/v3/directline/conversations/${c.conversationId}?watermark=${seen.watermark}`, { token: c.token });
    expect(reconnect.status).toBe(200);
    const stream = await openStream(reconnect.body.streamUrl);
    await postMessage(a.baseUrl, c, '投诉处理说明');
    const got = await stream.waitFor(hasBotText('投诉'));
    expect(got[0]).toMatchObject({ text: '投诉处理说明', from: { role: 'user' } }); // nothing from before the watermark
  });

  it('refreshes a token; the new one works, an expired or forged one gets 403', async () => {
    const c = await startConversation(a.baseUrl);
    const refreshed = await call(a.baseUrl, 'POST', '/v3/directline/tokens/refresh', { token: c.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ conversationId: c.conversationId, expires_in: 1800 });
    expect((await getActivities(a.baseUrl, { conversationId: c.conversationId, token: refreshed.body.token })).status).toBe(200);

    const user = String(decodeJwtPayload(c.token).user);
    const expired = issueToken({ conversationId: c.conversationId, userId: user, scope: 'conversation', ttlSeconds: 1800, secret: SECRET, now: new Date(Date.now() - 3600_000) });
    const forged = issueToken({ conversationId: c.conversationId, userId: user, scope: 'conversation', ttlSeconds: 1800, secret: 'not-the-secret-not-the-secret-not-the', now: new Date() });
    for (const token of [expired, forged]) {
      const get = await getActivities(a.baseUrl, { conversationId: c.conversationId, token });
      expect(get.status).toBe(403);
      expect((await postMessage(a.baseUrl, { conversationId: c.conversationId, token }, '你好')).status).toBe(403);
      expect((await call(a.baseUrl, 'POST', '/v3/directline/tokens/refresh', { token })).status).toBe(403);
      expect((await call(a.baseUrl, 'POST', '/v3/directline/conversations', { token, body: { user: {} } })).status).toBe(403);
    }
    expect((await getActivities(a.baseUrl, { conversationId: c.conversationId, token: expired })).body.error.code).toBe('TokenExpired');
    expect((await getActivities(a.baseUrl, { conversationId: c.conversationId, token: '' })).status).toBe(403);
  });

  it("a token cannot read or write another conversation, nor open its stream", async () => {
    const mine = await startConversation(a.baseUrl);
    const theirs = await startConversation(a.baseUrl);
    await pollUntil(a.baseUrl, theirs, hasBotText('请问需要办理什么'));
    const other = { conversationId: theirs.conversationId, token: mine.token };
    expect((await getActivities(a.baseUrl, other)).status).toBe(403);
    expect((await postMessage(a.baseUrl, other, '我要投诉')).status).toBe(403);
    expect((await call(a.baseUrl, 'GET', `/v3/directline/conversations/${theirs.conversationId}`, { token: mine.token })).status).toBe(403);
    const streamToken = new URL(mine.streamUrl).searchParams.get('t')!;
    const foreignStream = theirs.streamUrl.replace(/t=[^&]+/, `t=${streamToken}`);
    await expect(StreamClient.open(foreignStream)).rejects.toThrow('HTTP 403');
    // A stream token is not a conversation token either.
    expect((await getActivities(a.baseUrl, { conversationId: mine.conversationId, token: streamToken })).status).toBe(403);
    // Their conversation saw nothing of it.
    const theirActivities = (await getActivities(a.baseUrl, theirs)).body.activities as DlActivity[];
    expect(theirActivities.filter((x) => x.type === 'message' && x.from.role === 'user')).toHaveLength(0);
  });

  it('an unknown conversation is 404', async () => {
    const token = issueToken({ conversationId: 'no-such-conversation', userId: 'dl_x', scope: 'conversation', ttlSeconds: 600, secret: SECRET, now: new Date() });
    expect((await getActivities(a.baseUrl, { conversationId: 'no-such-conversation', token })).status).toBe(404);
  });
});

describe('limits', () => {
  it('new conversations are budgeted per client address: 429 with Retry-After, other addresses unaffected', async () => {
    const ip = randomIp();
    for (let i = 0; i < 5; i++) await startConversation(a.baseUrl, { ip });
    // The budget is shared by every instance (Redis).
    const refused = await call(b.baseUrl, 'POST', '/v3/directline/conversations', { body: {}, ip });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.body.error.code).toBe('TooManyRequests');
    await startConversation(a.baseUrl, { ip: randomIp() });
  });

  it('messages are budgeted per conversation', async () => {
    const c = await startConversation(a.baseUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await postMessage(i % 2 ? b.baseUrl : a.baseUrl, c, `你好 ${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
  });

  it('malformed, oversized or unsupported activities get a 400/413 with a reason, and the conversation carries on', async () => {
    const c = await startConversation(a.baseUrl);
    const path = `/v3/directline/conversations/${c.conversationId}/activities`;
    const cases: { body?: unknown; rawBody?: string; headers?: Record<string, string>; status: number; reason: RegExp }[] = [
      { rawBody: '{"type":"message",', headers: { 'content-type': 'application/json' }, status: 400, reason: /./ },
      { body: ['not', 'an', 'activity'], status: 400, reason: /JSON object/ },
      { rawBody: 'hello', headers: { 'content-type': 'text/plain' }, status: 400, reason: /JSON object/ },
      { body: { type: 'invoke', name: 'x' }, status: 400, reason: /type must be message, event or typing/ },
      { body: { type: 'message' }, status: 400, reason: /needs text or a value/ },
      { body: { type: 'message', text: 42 }, status: 400, reason: /text/ },
      { body: { type: 'message', text: '长'.repeat(3001) }, status: 400, reason: /longer than 3000 characters/ },
      { body: { type: 'message', text: 'x', attachments: [{ contentType: 'image/png', contentUrl: 'http://x/y.png' }] }, status: 400, reason: /attachments are not accepted/ },
      { body: { type: 'message', text: 'x', value: 'y'.repeat(20_000) }, status: 413, reason: /at most 16384/ },
    ];
    for (const item of cases) {
      const res = await call(a.baseUrl, 'POST', path, { token: c.token, body: item.body, rawBody: item.rawBody, headers: item.headers });
      expect(res.status, JSON.stringify(item.body ?? item.rawBody).slice(0, 60)).toBe(item.status);
      expect(JSON.stringify(res.body)).toMatch(item.reason);
    }
    const upload = await call(a.baseUrl, 'POST', `/v3/directline/conversations/${c.conversationId}/upload`, { token: c.token, rawBody: 'x', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect(upload.status).toBe(415); // no route takes multipart (bot/server.ts)
    // Typing is accepted and not kept.
    expect((await call(a.baseUrl, 'POST', path, { token: c.token, body: { type: 'typing' } })).status).toBe(200);

    expect((await postMessage(a.baseUrl, c, '我要投诉')).status).toBe(200);
    const { activities } = await pollUntil(a.baseUrl, c, hasBotText('个人信息告知'));
    expect(activities.filter((x) => x.from.role === 'user' && x.type !== 'conversationUpdate').map((x) => x.text)).toEqual(['我要投诉']);
  });

  it('odd watermarks read from the start, and bad stream requests are refused without harm', async () => {
    const c = await startConversation(a.baseUrl);
    await pollUntil(a.baseUrl, c, hasBotText('请问需要办理什么'));
    const all = (await getActivities(a.baseUrl, c, '')).body.activities as DlActivity[];
    for (const watermark of ['abc', '-5', '1e3', '99999999999999']) {
      const res = await getActivities(a.baseUrl, c, watermark);
      expect(res.status, watermark).toBe(200);
      expect((res.body.activities as DlActivity[]).length).toBe(all.length);
    }
    const base = a.baseUrl.replace('http', 'ws');
    await expect(StreamClient.open(`${base}/v3/directline/conversations/${c.conversationId}/stream`)).rejects.toThrow('HTTP 403');
    await expect(StreamClient.open(`${base}/v3/directline/conversations/${c.conversationId}/stream?t=garbage`)).rejects.toThrow('HTTP 403');
    await expect(StreamClient.open(`${base}/v3/directline/elsewhere`)).rejects.toThrow('HTTP 404');
    await expect(StreamClient.open(c.streamUrl.replace(c.conversationId, 'x'.repeat(200)))).rejects.toThrow('HTTP 404');
    expect((await getActivities(a.baseUrl, c, '')).status).toBe(200);
  });

  it('when PostgreSQL cannot be reached, polling gets "nothing new" (Web Chat would stop on an error) and posting a 500 with a reason', async () => {
    const broken = await startApp({ ...ENV, DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/no_such_database_for_directline_tests' });
    try {
      const token = issueToken({ conversationId: 'conv-x', userId: 'dl_x', scope: 'conversation', ttlSeconds: 600, secret: SECRET, now: new Date() });
      const polled = await getActivities(broken.baseUrl, { conversationId: 'conv-x', token }, '7');
      expect(polled.status).toBe(200);
      expect(polled.body).toEqual({ activities: [], watermark: '7' });
      const posted = await postMessage(broken.baseUrl, { conversationId: 'conv-x', token }, '你好');
      expect(posted.status).toBe(500);
      expect(posted.body.error.message).toMatch(/try again/);
    } finally {
      await broken.app.close();
    }
  });

  it('answers CORS preflights from other origins for the headers Web Chat sends', async () => {
    const res = await fetch(`${a.baseUrl}/v3/directline/conversations/abc/activities`, {
      method: 'OPTIONS',
      headers: { origin: 'https://www.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-ms-bot-agent' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')!.split(/,\s*/).sort()).toEqual(['authorization', 'content-type', 'x-ms-bot-agent']);
    const created = await call(a.baseUrl, 'POST', '/v3/directline/conversations', { body: {}, headers: { origin: 'https://www.example.com' } });
    expect(created.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('the /chat page', () => {
  it('serves the page, our script and the Web Chat bundle from this origin, with a self-only content policy', async () => {
    const page = await fetch(`${a.baseUrl}/chat`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html.match(/(?:src|href)="([^"]+)"/g)!.every((attr) => /"(\/chat\/|data:)/.test(attr))).toBe(true);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");

    const bundle = await fetch(`${a.baseUrl}/chat/vendor/webchat.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
    expect((await fetch(`${a.baseUrl}/chat/chat.js`)).status).toBe(200);
    expect((await fetch(`${a.baseUrl}/chat/no-such-file.js`)).status).toBe(404);
    expect((await fetch(`${a.baseUrl}/chat/%2e%2e/%2e%2e/package.json`)).status).toBeGreaterThanOrEqual(400);
  });

  it('with DIRECTLINE_ALLOWED_ORIGINS set, only those sites may call the endpoint or frame the page', async () => {
    const preflight = (origin: string) => fetch(`${strict.baseUrl}/v3/directline/conversations`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect((await preflight('https://www.example.com')).headers.get('access-control-allow-origin')).toBe('https://www.example.com');
    expect((await preflight('https://evil.example.net')).headers.get('access-control-allow-origin')).toBeNull();
    const page = await fetch(`${strict.baseUrl}/chat`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://www.example.com");
  });
});

describe('streaming across instances', () => {
  it('the WebSocket held by instance A gets the customer echo and the reply instance B produced, and ignores pings', async () => {
    const c = await startConversation(b.baseUrl);
    const streamUrl = c.streamUrl.replace(new URL(b.baseUrl).host, new URL(a.baseUrl).host);
    const stream = await openStream(streamUrl);
    await stream.waitFor(hasBotText('请问需要办理什么'));
    stream.socket.send('');
    stream.socket.send('{}');

    const posted = await postMessage(b.baseUrl, c, '我要投诉');
    const all = await stream.waitFor(hasBotText('个人信息告知'));
    expect(all.find((x) => x.id === posted.body.id)).toMatchObject({ text: '我要投诉', from: { role: 'user' } });
    // Frames carry string watermarks, increasing.
    expect(stream.watermarks.every((w) => /^\d+$/.test(w))).toBe(true);
    expect(stream.watermarks.map(Number)).toEqual([...stream.watermarks.map(Number)].sort((x, y) => x - y));
    // Nothing twice.
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
  });

  it('messages posted at the same moment to both instances are answered one after the other, in order, with no apology', async () => {
    const c = await startConversation(a.baseUrl);
    const stream = await openStream(c.streamUrl);
    await stream.waitFor(hasBotText('请问需要办理什么'));
    const menus = (all: DlActivity[]) => botTexts(all).filter((t) => t.includes('请问需要办理什么')).length;
    const [first, second, third] = await Promise.all([
      postMessage(a.baseUrl, c, '投诉处理说明'), postMessage(b.baseUrl, c, '投诉处理说明'), postMessage(a.baseUrl, c, '投诉处理说明'),
    ]);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    // Each of the three gets the explanation and the menu again (the greeting's menu makes four).
    const all = await stream.waitFor((x) => menus(x) >= 4, 30_000);
    expect(botTexts(all).join('\n')).not.toContain('系统出现了问题');
    expect(botTexts(all).filter((t) => t.startsWith('投诉处理说明：'))).toHaveLength(3);
    // The k-th answer comes after the k-th message (turns run in the log's order).
    let users = 0;
    let answers = 0;
    for (const x of all.filter((y) => y.type === 'message')) {
      if (x.from.role === 'user') users += 1;
      else if ((x.text ?? '').startsWith('投诉处理说明：')) expect(users).toBeGreaterThanOrEqual(++answers);
    }
  });

  it('a proactive message sent through the channel router of instance B reaches the stream on instance A', async () => {
    const c = await startConversation(a.baseUrl);
    const stream = await openStream(c.streamUrl);
    const greeting = await stream.waitFor(hasBotText('请问需要办理什么'));
    const user = greeting.find((x) => x.from.role === 'user')!;
    const reference = {
      channelId: DIRECTLINE_CHANNEL_ID, serviceUrl: `${b.baseUrl}/v3/directline`, conversation: { id: c.conversationId },
      user: { id: user.from.id, role: 'user' }, bot: { id: 'complaint-bot', role: 'bot' },
    } as Partial<ConversationReference>;
    await b.app.channels.sendText(reference, '您的投诉已分派给专人处理。');
    const got = await stream.waitFor(hasBotText('已分派给专人'));
    expect(got.at(-1)).toMatchObject({ type: 'message', from: { role: 'bot' }, text: '您的投诉已分派给专人处理。' });

    await expect(b.app.channels.sendText({ ...reference, conversation: { id: 'gone-conversation' } } as Partial<ConversationReference>, 'x')).rejects.toThrow(/not found/);
  });
});
