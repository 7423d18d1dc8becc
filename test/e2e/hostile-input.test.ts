// Hostile and malformed requests to /api/messages: each gets a 4xx with a reason, never a 500, and
// the server keeps serving. Also: readiness, and a turn whose replies cannot be delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../services/logger';
import { ChatSession, LocalConnector, MemoryStream, randomId, startApp, turnText, type RunningApp } from '../support/e2e';

const MAX_BODY_BYTES = 4096;

let bot: RunningApp;
let connector: LocalConnector;
let session: ChatSession;
const logs = new MemoryStream();

beforeAll(async () => {
  [bot, connector] = await Promise.all([
    startApp({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) }, { log: createLogger({ level: 'info', destination: logs }) }),
    LocalConnector.start(),
  ]);
  session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
});

afterAll(async () => {
  await bot?.app.close();
  await connector?.close();
});

/** A well-formed message activity of this session. */
const valid = () => ({ ...session.baseActivity('message'), text: '你好' });

/** What the body says about why it was refused (our own { error, reasons } or restify's { code, message }). */
function reasonOf(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const b = body as { error?: string; reasons?: string[]; code?: string; message?: string };
  return [b.error, ...(b.reasons ?? []), b.code, b.message].filter(Boolean).join(' | ');
}

async function expectAlive(): Promise<void> {
  const health = await fetch(`${bot.baseUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  const fresh = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
  const replies = await fresh.say('你好');
  expect(turnText(replies)).toContain('请问需要办理什么');
}

describe('hostile input on /api/messages', () => {
  const cases: { name: string; body: () => unknown; headers?: Record<string, string>; status: number; reason: RegExp }[] = [
    { name: 'not JSON', body: () => '{bad', status: 400, reason: /InvalidContent.*Invalid JSON/ },
    { name: 'a JSON array', body: () => [valid()], status: 400, reason: /invalid_activity.*must be a JSON object/ },
    { name: 'JSON null', body: () => 'null', status: 400, reason: /must be a JSON object/ },
    { name: 'a JSON string', body: () => '"hello"', status: 400, reason: /must be a JSON object/ },
    { name: 'an empty object', body: () => ({}), status: 400, reason: /type: .*channelId: .*serviceUrl: .*conversation: /s },
    { name: 'type: 5', body: () => ({ ...valid(), type: 5 }), status: 400, reason: /type: .*expected string/ },
    { name: 'conversation: "x"', body: () => ({ ...valid(), conversation: 'x' }), status: 400, reason: /conversation: .*expected object/ },
    { name: 'no conversation', body: () => ({ ...valid(), conversation: undefined }), status: 400, reason: /conversation: / },
    { name: 'conversation without id', body: () => ({ ...valid(), conversation: {} }), status: 400, reason: /conversation\.id: / },
    { name: 'from: null', body: () => ({ ...valid(), from: null }), status: 400, reason: /from: / },
    { name: 'serviceUrl file:///etc/passwd', body: () => ({ ...valid(), serviceUrl: 'file:///etc/passwd' }), status: 400, reason: /serviceUrl: must be an http\(s\) URL/ },
    { name: 'serviceUrl javascript:alert(1)', body: () => ({ ...valid(), serviceUrl: 'javascript:alert(1)' }), status: 400, reason: /serviceUrl: must be an http\(s\) URL/ },
    { name: 'serviceUrl not a URL', body: () => ({ ...valid(), serviceUrl: 'not a url' }), status: 400, reason: /serviceUrl: / },
    { name: 'text not a string', body: () => ({ ...valid(), text: { $gt: '' } }), status: 400, reason: /text: / },
    { name: 'a body over MAX_BODY_BYTES', body: () => ({ ...valid(), text: '投'.repeat(MAX_BODY_BYTES) }), status: 413, reason: /PayloadTooLarge.*exceeds 4096/ },
    { name: 'a raw body over MAX_BODY_BYTES', body: () => 'x'.repeat(MAX_BODY_BYTES * 4), status: 413, reason: /PayloadTooLarge/ },
    { name: 'text/plain', body: () => JSON.stringify(valid()), headers: { 'content-type': 'text/plain' }, status: 415, reason: /unsupported_media_type/ },
    { name: 'form-urlencoded', body: () => 'type=message', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, reason: /unsupported_media_type/ },
    { name: 'no content type', body: () => JSON.stringify(valid()), headers: { 'content-type': '' }, status: 415, reason: /unsupported_media_type/ },
    // restify would gunzip without an error handler (a corrupt body crashed the process) and count
    // only compressed bytes against MAX_BODY_BYTES: bot/server.ts refuses any Content-Encoding.
    { name: 'a corrupt gzip body', body: () => 'not gzip at all', headers: { 'content-encoding': 'gzip' }, status: 415, reason: /unsupported_content_encoding/ },
    // ~2 KB on the wire (under MAX_BODY_BYTES), 2 MB inflated.
    { name: 'a gzip bomb', body: () => gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20)), headers: { 'content-encoding': 'gzip' }, status: 415, reason: /unsupported_content_encoding/ },
    { name: 'deflate', body: () => JSON.stringify(valid()), headers: { 'content-encoding': 'deflate' }, status: 415, reason: /unsupported_content_encoding/ },
    // restify would spool a multipart body to temporary files before any route looks at it.
    { name: 'a multipart body', body: () => '--x\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n' + 'A'.repeat(1000) + '\r\n--x--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=x' }, status: 415, reason: /unsupported_media_type/ },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.status} and a reason`, async () => {
      const result = await session.post(c.body(), { headers: c.headers });
      expect(result.status).toBe(c.status);
      expect(reasonOf(result.body)).toMatch(c.reason);
    });
  }

  it('still answers health probes and normal messages after all of them', async () => {
    await expectAlive();
    // Refusals are logged as such, not as errors.
    const lines = logs.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.some((l) => l.msg === 'refused a malformed activity')).toBe(true);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('takes Content-Encoding: identity as a plain body', async () => {
    const replies = await session.post(valid(), { headers: { 'content-encoding': 'identity' } });
    expect(replies.status).toBe(200);
  });
});

describe('readiness', () => {
  it('/readyz is 200 with postgres and redis ok', async () => {
    const res = await fetch(`${bot.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok' });
  });
});

describe('a serviceUrl where nothing listens', () => {
  it('does not crash the server or answer 500: the adapter answers 200 after the failed sends', { timeout: 30_000 }, async () => {
    // A port that was just free: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const lost = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    const started = Date.now();
    const result = await lost.post({ ...lost.baseActivity('message'), text: '我要投诉', serviceUrl: `http://127.0.0.1:${port}` });
    const tookMs = Date.now() - started;

    // Observed: 200 with an empty body. The reply fails to send (connection refused, retried by the
    // connector client), onTurnError logs it and tries to send an apology, which fails as well.
    expect(result.status).toBe(200);
    expect(tookMs).toBeLessThan(25_000);
    const lines = logs.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const failed = lines.find((l) => l.msg === 'turn failed' && l.conversationId === lost.conversationId);
    expect(failed).toBeDefined();
    expect(failed!.ref).toMatch(/\S/);
    expect(lines.some((l) => l.msg === 'could not send the apology' && l.ref === failed!.ref)).toBe(true);

    await expectAlive();
  });
});
