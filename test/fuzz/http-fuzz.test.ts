// Fuzzing the three doors strangers can knock on (issue 8): POST /api/messages (mutations of valid
// activities and garbage), the WeChat endpoint (signed and unsigned, mutated and malformed XML,
// entity attacks) and the staff API with a valid token (every route, mutated bodies, params and query
// strings). Each request must be answered within 5 s with something other than a 5xx; the process
// must not crash, and it still answers health checks afterwards. Seeded and bounded in CI
// (FUZZ_RUNS, default 60 per fuzzer); `npm run fuzz` runs long with a random seed (printed on failure).
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatSignature } from '../../bot/channels/wechat/wechat-crypto';
import { createLogger } from '../../services/logger';
import { LocalConnector, MemoryStream, startApp, type RunningApp } from '../support/e2e';
import { privateDatabase, type PrivateDatabase } from '../sla/sla-support';
import { demoStaffTokens, type DemoStaff } from '../takeover/takeover-support';
import { newWechatAccount, newMsgId, textXml, wechatEnv } from '../channels/wechat/wechat-server';
import { contentType, FUZZ_RUNS, FUZZ_SEED, hostileJsonBody, hostileString, hostileValue, send } from './fuzz-support';

const account = newWechatAccount(false);
let pdb: PrivateDatabase;
let running: RunningApp;
let connector: LocalConnector;
let tokens: Awaited<ReturnType<typeof demoStaffTokens>>;
const logs = new MemoryStream();

beforeAll(async () => {
  pdb = await privateDatabase();
  connector = await LocalConnector.start();
  running = await startApp(
    { DATABASE_URL: pdb.url, ...wechatEnv(account, 'http://127.0.0.1:9'), API_MESSAGES_PER_USER_PER_MINUTE: '100000', API_MESSAGES_PER_IP_PER_MINUTE: '100000' },
    { log: createLogger({ level: 'warn', destination: logs }) },
  );
  tokens = await demoStaffTokens(pdb.db);
}, 60_000);

afterAll(async () => {
  await running?.app.close();
  await connector?.close();
  await pdb?.drop();
});

const params = { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true };

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
}

const ACTIVITY_PATHS = ['type', 'id', 'channelId', 'serviceUrl', 'from', 'from.id', 'from.name', 'recipient', 'recipient.id', 'conversation', 'conversation.id', 'text', 'locale', 'value', 'attachments', 'channelData', 'entities', 'deliveryMode', 'timestamp', 'replyToId', 'membersAdded', 'name', 'suggestedActions', 'textFormat'];

describe('POST /api/messages', () => {
  it('answers every mutated or garbage activity without a 5xx or a hang', async () => {
    const mutation = fc.oneof(
      fc.tuple(fc.constantFrom(...ACTIVITY_PATHS), hostileValue),
      fc.tuple(fc.constantFrom(...ACTIVITY_PATHS), fc.constant(undefined)),
      fc.tuple(fc.constant('text'), hostileString),
      fc.tuple(fc.constant('type'), fc.constantFrom('message', 'conversationUpdate', 'event', 'invoke', 'typing', 'endOfConversation', 'messageReaction', 'installationUpdate', 'handoff', 'trace', 'Message')),
      fc.tuple(fc.constant('value'), fc.constantFrom({ action: 'x' }, { rating: 99 }, { survey: {} }, { handoff: null })),
    );
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => ({ mutations: ms, raw: undefined as string | undefined })) },
      { weight: 1, arbitrary: hostileJsonBody.map((raw) => ({ mutations: [] as [string, unknown][], raw })) },
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, async ({ mutations, raw }, type) => {
        const activity: Record<string, unknown> = {
          type: 'message', id: randomUUID(), channelId: 'fuzz', serviceUrl: connector.serviceUrl, from: { id: `u-${randomUUID()}` },
          recipient: { id: 'bot' }, conversation: { id: `c-${randomUUID()}` }, text: '我要投诉', locale: 'zh-CN',
        };
        for (const [path, value] of mutations) setPath(activity, path, value);
        // An invoke nothing handles gets 501 Not Implemented: the Bot Framework protocol's answer, not a failure.
        const allowed5xx = activity.type === 'invoke' && raw === undefined ? [501] : [];
        await send(running.baseUrl, { method: 'POST', path: '/api/messages', body: raw ?? JSON.stringify(activity), headers: type ? { 'content-type': type } : {}, allowed5xx });
      }),
      params,
    );
  }, 120_000);
});

describe('the WeChat endpoint', () => {
  const signed = (extra = '') => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    return `/api/wechat?signature=${wechatSignature(account.token, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}${extra}`;
  };
  const ENTITY_ATTACKS = [
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&e;</Content><MsgId>1</MsgId></xml>',
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><xml><Content>&lol9;</Content></xml>`,
    '<xml><Content><![CDATA[x]]]]><![CDATA[>]]></Content></xml>',
    '<xml>'.repeat(5000),
    '<xml><ToUserName></ToUserName><ToUserName></ToUserName><FromUserName><a>1</a></FromUserName><MsgType>text</MsgType></xml>',
  ];
  const xmlBody = fc.oneof(
    { weight: 3, arbitrary: fc.record({ to: hostileString, from: hostileString, content: hostileString, msgId: fc.oneof(fc.constant(newMsgId()), hostileString) }).map((f) => textXml(f)) },
    { weight: 1, arbitrary: fc.tuple(fc.constant(textXml({ to: 'gh_x', from: 'o_fuzz', content: '我要投诉', msgId: newMsgId() })), fc.nat()).map(([xml, cut]) => xml.slice(0, cut % xml.length)) },
    { weight: 1, arbitrary: fc.constantFrom(...ENTITY_ATTACKS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  );
  it('answers signed and unsigned, mutated and malformed XML without a 5xx, a hang or an expanded entity', async () => {
    await fc.assert(
      fc.asyncProperty(xmlBody, fc.boolean(), fc.constantFrom('text/xml', 'application/xml', 'application/json', undefined), async (xml, sign, type) => {
        const res = await send(running.baseUrl, { method: 'POST', path: sign ? signed() : '/api/wechat?signature=00&timestamp=1&nonce=1', body: xml, headers: type ? { 'content-type': type } : {} });
        if (!sign) expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.text).not.toMatch(/root:|lollol/);
      }),
      params,
    );
    for (const query of ['', '?echostr=x', '?signature=&timestamp=&nonce=&echostr=', `?signature=${'f'.repeat(40)}&timestamp=1&nonce=1&echostr=x`]) {
      expect((await send(running.baseUrl, { method: 'GET', path: `/api/wechat${query}` })).status).toBeGreaterThanOrEqual(400);
    }
  }, 120_000);
});

describe('the staff API with a valid token', () => {
  it('answers mutated bodies, path parameters and query strings on every route without a 5xx or a hang', async () => {
    const all = Object.values((running.app.server as unknown as { router: { getRoutes(): Record<string, { method: string; path: string }> } }).router.getRoutes());
    // The live stream is meant to stay open (Server-Sent Events): it is not a hang.
    const staffRoutes = all.filter((r) => r.path.startsWith('/api/v1/') && !r.path.endsWith('/events'));
    expect(staffRoutes.length).toBeGreaterThan(30);
    const who = fc.constantFrom<DemoStaff>('A1001', 'S2001', 'V4001', 'L3001', 'ADMIN');
    const param = fc.oneof(fc.constantFrom('TS20261128-000001', randomUUID(), '1', 'me', '%', '..', '%2e%2e%2f'), hostileString.map((s) => encodeURIComponent(s.slice(0, 300).replace(/[\uD800-\uDFFF]/g, '\uFFFD'))));
    const query = fc.dictionary(fc.constantFrom('from', 'to', 'status', 'tier', 'owner', 'q', 'page', 'limit', 'cursor', 'format', 'line', 'type', 'x'), hostileString.map((s) => s.slice(0, 200)), { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...staffRoutes), who, fc.array(param, { minLength: 3, maxLength: 3 }), query, hostileJsonBody, contentType, async (route, staff, values, q, body, type) => {
        let i = 0;
        const path = route.path.replace(/:[A-Za-z_]+/g, () => values[i++ % values.length]!).replace(/\*/g, 'x');
        const search = new URLSearchParams(q as Record<string, string>).toString();
        const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
        await send(running.baseUrl, {
          method: route.method, path: `${path}${search ? `?${search}` : ''}`, body: hasBody ? body : undefined,
          headers: { authorization: `Bearer ${tokens[staff]}`, ...(hasBody && type ? { 'content-type': type } : {}) },
        });
      }),
      { ...params, numRuns: FUZZ_RUNS * 3 },
    );
  }, 180_000);
});

describe('afterwards', () => {
  it('the server still answers its health checks', async () => {
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.baseUrl}/readyz`)).status).toBe(200);
  });
});
