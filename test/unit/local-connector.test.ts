import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import {
  activityText,
  BotHttpError,
  BotUnreachableError,
  ChatSession,
  LocalConnector,
} from '../../bot/local-connector';

// --- helpers -----------------------------------------------------------------------------------

function readJson(req: http.IncomingMessage): Promise<any> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

async function postJson(url: string, body: unknown, method = 'POST'): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: http.Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * A tiny fake bot: on each message it POSTs two replies to the connector (the second with
 * suggested actions), then answers 200 — the way CloudAdapter answers after the turn.
 * Text "fail" gets HTTP 500; "hero" gets a hero card.
 */
function fakeBot(): http.Server {
  return http.createServer(async (req, res) => {
    let activity: any;
    try {
      activity = await readJson(req);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!activity || typeof activity !== 'object' || !activity.type) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad activity' }));
      return;
    }
    const replyUrl = `${activity.serviceUrl}/v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities/${encodeURIComponent(activity.id)}`;
    const reply = (extra: Record<string, unknown>) =>
      postJson(replyUrl, {
        type: 'message',
        from: { id: 'bot', role: 'bot' },
        recipient: activity.from,
        conversation: activity.conversation,
        replyToId: activity.id,
        ...extra,
      });

    if (activity.type === 'conversationUpdate') {
      await reply({ text: `欢迎 ${activity.membersAdded?.[0]?.name ?? ''}` });
      res.writeHead(200).end();
      return;
    }
    if (activity.text === 'fail') {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'boom' }));
      return;
    }
    await reply({ text: `收到：${activity.text}` });
    await reply({
      text: '请选择投诉类型',
      suggestedActions: {
        to: [activity.from.id],
        actions: [
          { type: 'imBack', title: '理赔', value: 'claims' },
          { type: 'imBack', title: '服务态度', value: 'service' },
        ],
      },
    });
    res.writeHead(200).end();
  });
}

// --- tests -------------------------------------------------------------------------------------

describe('LocalConnector + ChatSession against a fake bot', () => {
  let connector: LocalConnector;
  let bot: http.Server;
  let botUrl: string;

  beforeAll(async () => {
    connector = await LocalConnector.start();
    bot = fakeBot();
    botUrl = `${await listen(bot)}/api/messages`;
  });

  afterAll(async () => {
    await connector.close();
    await closeServer(bot);
  });

  it('serves on an ephemeral port with a serviceUrl without trailing slash', () => {
    expect(connector.serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('start() sends a conversationUpdate adding the user and returns the welcome', async () => {
    const session = new ChatSession({ botUrl, connector, userId: 'u1', userName: '张三' });
    const replies = await session.start();
    expect(replies.map((a) => a.text)).toEqual(['欢迎 张三']);
  });

  it('say() returns the bot replies of the turn in order, with connector ids', async () => {
    const conversationId = 'conv|1;messageid=0 /x';
    const session = new ChatSession({ botUrl, connector, conversationId, userId: 'u2', locale: 'zh-CN' });
    const seen: string[] = [];
    const off = connector.onActivity((a, e) => seen.push(`${e.kind}:${e.conversationId}:${a.text}`));

    const replies = await session.say('我要投诉');
    off();

    expect(replies.map((a) => a.text)).toEqual(['收到：我要投诉', '请选择投诉类型']);
    for (const r of replies) {
      expect(typeof r.id).toBe('string');
      expect(r.replyToId).toBeTruthy();
    }
    // conversation id was URL-decoded back from the path
    expect(seen).toEqual([`reply:${conversationId}:收到：我要投诉`, `reply:${conversationId}:请选择投诉类型`]);
    expect(connector.activities(conversationId)).toHaveLength(2);
    expect(session.transcript.map((a) => a.text)).toEqual(['收到：我要投诉', '请选择投诉类型']);

    const rendered = activityText(replies[1]);
    expect(rendered.text).toBe('请选择投诉类型\n1. 理赔\n2. 服务态度');
    expect(rendered.choices).toEqual([
      { label: '理赔', value: 'claims', type: 'imBack' },
      { label: '服务态度', value: 'service', type: 'imBack' },
    ]);
  });

  it('say() sends a well-formed message activity', async () => {
    const captured: any[] = [];
    const spy = http.createServer(async (req, res) => {
      captured.push(await readJson(req));
      res.writeHead(200).end();
    });
    const spyUrl = `${await listen(spy)}/api/messages`;
    try {
      const session = new ChatSession({ botUrl: spyUrl, connector, conversationId: 'c-wf', userId: 'u3', userName: 'Li', locale: 'en-US' });
      await session.say('hello', { channelData: { x: 1 } });
      const a = captured[0];
      expect(a).toMatchObject({
        type: 'message',
        channelId: 'webchat',
        serviceUrl: connector.serviceUrl,
        from: { id: 'u3', name: 'Li', role: 'user' },
        recipient: { id: 'bot', role: 'bot' },
        conversation: { id: 'c-wf' },
        locale: 'en-US',
        text: 'hello',
        channelData: { x: 1 },
      });
      expect(typeof a.id).toBe('string');
      expect(new Date(a.timestamp).toISOString()).toBe(a.timestamp);
    } finally {
      await closeServer(spy);
    }
  });

  it('say() throws a clear error when the bot answers non-2xx', async () => {
    const session = new ChatSession({ botUrl, connector });
    const err = await session.say('fail').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotHttpError);
    expect((err as BotHttpError).status).toBe(500);
    expect((err as Error).message).toMatch(/HTTP 500/);
  });

  it('say() throws BotUnreachableError when nothing listens', async () => {
    const dead = http.createServer();
    const deadUrl = `${await listen(dead)}/api/messages`;
    await closeServer(dead);
    const session = new ChatSession({ botUrl: deadUrl, connector });
    const err = await session.say('hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotUnreachableError);
    expect((err as Error).message).toContain(`cannot reach the bot at ${deadUrl}`);
  });

  it('post() returns status and body for hostile input without throwing', async () => {
    const session = new ChatSession({ botUrl, connector });
    await expect(session.post({})).resolves.toMatchObject({ status: 400, body: { error: 'bad activity' } });
    await expect(session.post('{not json')).resolves.toMatchObject({ status: 400 });
  });

  it('answers 404 to unknown paths and methods', async () => {
    const base = connector.serviceUrl;
    expect((await postJson(`${base}/v3/conversations`, {})).status).toBe(404);
    expect((await postJson(`${base}/v3/conversations/c1/members`, {})).status).toBe(404);
    expect((await postJson(`${base}/api/messages`, {})).status).toBe(404);
    expect((await fetch(`${base}/v3/conversations/c1/activities`)).status).toBe(404);
    expect((await postJson(`${base}/v3/conversations/c1/activities`, undefined, 'PUT')).status).toBe(404);
  });

  it('accepts proactive sends, updates and deletes', async () => {
    const base = connector.serviceUrl;
    const events: string[] = [];
    const off = connector.onActivity((a, e) => events.push(`${e.kind}:${e.activityId === a.id}`));
    const conv = 'proactive 会话';
    const sent = await postJson(`${base}/v3/conversations/${encodeURIComponent(conv)}/activities`, { type: 'message', text: '进度更新' });
    expect(sent.status).toBe(200);
    expect(typeof sent.body.id).toBe('string');
    await expect(connector.waitForActivities(conv, 1, 1000)).resolves.toHaveLength(1);

    const id = encodeURIComponent(sent.body.id);
    const upd = await postJson(`${base}/v3/conversations/${encodeURIComponent(conv)}/activities/${id}`, { type: 'message', text: '已更新' }, 'PUT');
    expect(upd).toEqual({ status: 200, body: { id: sent.body.id } });
    expect(connector.activities(conv).map((a) => a.text)).toEqual(['已更新']);

    const del = await fetch(`${base}/v3/conversations/${encodeURIComponent(conv)}/activities/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(connector.activities(conv)).toEqual([]);
    off();
    expect(events).toEqual(['send:true', 'update:true', 'delete:true']);

    const bad = await postJson(`${base}/v3/conversations/c1/activities`, undefined);
    expect(bad.status).toBe(400);
  });
});

describe('activityText', () => {
  it('renders a hero card with numbered buttons after the text', () => {
    const activity: Partial<Activity> = {
      type: 'message',
      text: '请确认',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: {
            title: '投诉摘要',
            text: '车险理赔延误',
            buttons: [
              { type: 'imBack', title: '确认提交', value: '确认' },
              { type: 'postBack', title: '修改', value: { action: 'edit' } },
              { type: 'openUrl', title: '隐私政策', value: 'https://example.com/privacy' },
            ],
          },
        },
      ],
    };
    const { text, choices } = activityText(activity);
    expect(text).toBe('请确认\n投诉摘要\n车险理赔延误\n1. 确认提交\n2. 修改\n3. 隐私政策');
    expect(choices).toEqual([
      { label: '确认提交', value: '确认', type: 'imBack' },
      { label: '修改', value: '修改', type: 'postBack', payload: { action: 'edit' } },
      { label: '隐私政策', value: 'https://example.com/privacy', type: 'openUrl' },
    ]);
  });

  it('numbers card buttons and suggested actions continuously', () => {
    const { text, choices } = activityText({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { buttons: [{ type: 'imBack', title: 'A', value: 'a' }] } }],
      suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'B', value: 'b' }] },
    });
    expect(text).toBe('1. A\n2. B');
    expect(choices.map((c) => c.value)).toEqual(['a', 'b']);
  });

  it('copes with empty and odd activities', () => {
    expect(activityText(undefined)).toEqual({ text: '', choices: [] });
    expect(activityText({ type: 'typing' })).toEqual({ text: '', choices: [] });
    expect(
      activityText({ type: 'message', attachments: [{ contentType: 'image/png', name: 'a.png', contentUrl: 'http://x/a.png' }] }).text,
    ).toBe('[image/png: a.png http://x/a.png]');
  });
});

describe('against a real CloudAdapter (anonymous)', () => {
  let connector: LocalConnector;
  let server: http.Server;
  let botUrl: string;

  beforeAll(async () => {
    const { CloudAdapter, ConfigurationBotFrameworkAuthentication, CardFactory, MessageFactory } = await import('botbuilder');
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    server = http.createServer(async (req, res) => {
      const body = await readJson(req).catch(() => undefined);
      // Minimal restify-like request/response shims for CloudAdapter.process.
      const request = { body, headers: req.headers, method: req.method };
      let status = 200;
      const response = {
        socket: res.socket,
        header: (name: string, value: unknown) => res.setHeader(name, String(value)),
        status: (code: number) => {
          status = code;
          return response;
        },
        send: (b?: unknown) => {
          res.statusCode = status;
          res.end(b === undefined ? undefined : typeof b === 'string' ? b : JSON.stringify(b));
          return response;
        },
        end: () => {
          if (!res.writableEnded) {
            res.statusCode = status;
            res.end();
          }
          return response;
        },
      };
      await adapter.process(request as any, response as any, async (context) => {
        if (context.activity.type === 'message') {
          await context.sendActivity(`echo: ${context.activity.text}`);
          await context.sendActivity({
            ...MessageFactory.suggestedActions(['是', '否'], '继续吗？'),
            attachments: [CardFactory.heroCard('卡片', undefined, [{ type: 'imBack', title: '查看', value: 'view' }])],
          });
        }
      });
    });
    botUrl = `${await listen(server)}/api/messages`;
    connector = await LocalConnector.start();
  });

  afterAll(async () => {
    await connector.close();
    await closeServer(server);
  });

  afterEach(() => connector.clear());

  it('collects the replies CloudAdapter posts to the connector', async () => {
    const session = new ChatSession({ botUrl, connector, conversationId: 'a|b' });
    const replies = await session.say('你好');
    expect(replies.map((a) => a.text)).toEqual(['echo: 你好', '继续吗？']);
    expect(replies.every((a) => a.conversation?.id === 'a|b')).toBe(true);
    expect(activityText(replies[1]).text).toBe('继续吗？\n卡片\n1. 查看\n2. 是\n3. 否');
  });
});
