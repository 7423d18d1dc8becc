// The HTTP edges of one app started with known secret values: every route (walked from restify's
// router, plus an unknown path) answers with the security headers, whatever its status; HSTS when the
// request came over HTTPS; bodies over MAX_BODY_BYTES get 413 on every route that reads one; and
// none of the secrets appears in the app's captured log after a tour of the edges that fail.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../services/logger';
import { MemoryStream, startApp, type RunningApp } from '../support/e2e';
import { newWechatAccount, wechatEnv } from '../channels/wechat/wechat-server';

const account = newWechatAccount(true);
const SECRETS = {
  MicrosoftAppId: '6f1d3a52-0b8e-4c8e-9a57-0d5a0c1e2f33',
  MicrosoftAppPassword: `app-pw-${randomBytes(12).toString('hex')}`,
  STAFF_TOKEN_SECRET: `staff-secret-${randomBytes(16).toString('hex')}`,
  PII_HASH_KEY: `pii-hash-${randomBytes(16).toString('hex')}`,
  DIRECTLINE_TOKEN_SECRET: `dl-secret-${randomBytes(16).toString('hex')}`,
  ...wechatEnv(account, 'http://127.0.0.1:9'),
};
const SECRET_NAMES = ['MicrosoftAppPassword', 'STAFF_TOKEN_SECRET', 'PII_HASH_KEY', 'DIRECTLINE_TOKEN_SECRET', 'WECHAT_APPSECRET', 'WECHAT_TOKEN', 'WECHAT_ENCODING_AES_KEY'] as const;
const MAX_BODY_BYTES = 4096;

let running: RunningApp;
const logs = new MemoryStream();

beforeAll(async () => {
  running = await startApp({ ...SECRETS, MAX_BODY_BYTES: String(MAX_BODY_BYTES) }, { log: createLogger({ level: 'trace', destination: logs }) });
}, 60_000);

afterAll(async () => {
  await running?.app.close();
});

interface RouteInfo { method: string; path: string }
function routes(): RouteInfo[] {
  const all = (running.app.server as unknown as { router: { getRoutes(): Record<string, { method: string; path: string }> } }).router.getRoutes();
  return Object.values(all).map((r) => ({ method: r.method, path: r.path }));
}

function concrete(path: string): string {
  return path.replace(/:[A-Za-z_]+/g, 'TS20261128-000001').replace(/\*/g, 'x');
}

async function call(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const res = await fetch(`${running.baseUrl}${path}`, {
    method, redirect: 'manual', signal: AbortSignal.timeout(10_000),
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body,
  });
  await res.arrayBuffer();
  return res;
}

function expectSecurityHeaders(res: Response, what: string): void {
  expect(res.headers.get('x-content-type-options'), `${what}: X-Content-Type-Options`).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), `${what}: Referrer-Policy`).toBe('no-referrer');
  expect(res.headers.get('content-security-policy') ?? '', `${what}: CSP frame-ancestors`).toMatch(/frame-ancestors /);
}

describe('security headers', () => {
  it('on every route and method the server has, and on an unknown path', async () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(40); // the walk did find the routes
    for (const { method, path } of [...all, { method: 'GET', path: '/no-such-page' }, { method: 'DELETE', path: '/healthz' }]) {
      const res = await call(method, concrete(path), method === 'GET' || method === 'HEAD' ? {} : { body: '{}' });
      expectSecurityHeaders(res, `${method} ${path} (${res.status})`);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
  }, 60_000);

  it('HSTS only when the request came over HTTPS', async () => {
    expect((await call('GET', '/healthz')).headers.get('strict-transport-security')).toBeNull();
    expect((await call('GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  });

  it('pages keep their own, stricter policy: console and chat run no inline script', async () => {
    for (const page of ['/console/', '/chat']) {
      const res = await call('GET', page);
      expect(res.status, page).toBe(200);
      expect(res.headers.get('content-security-policy'), page).toMatch(/script-src 'self'(;|$)/);
    }
  });
});

describe('body-size limits', () => {
  it(`answer 413 to a body over MAX_BODY_BYTES (${MAX_BODY_BYTES}) on every route that reads one`, async () => {
    const big = JSON.stringify({ type: 'message', text: 'x'.repeat(MAX_BODY_BYTES * 4) });
    const writes = routes().filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
    expect(writes.length).toBeGreaterThan(20);
    for (const { method, path } of writes) {
      const res = await call(method, concrete(path), { body: big });
      // Routes that check the caller first may refuse before reading: never accept, never 5xx.
      expect([413, 401, 403, 404, 415, 429], `${method} ${path}: ${res.status}`).toContain(res.status);
      expectSecurityHeaders(res, `${method} ${path} (${res.status})`);
    }
    for (const path of ['/api/messages', '/api/v1/session', '/v3/directline/conversations']) {
      expect((await call('POST', path, { body: big })).status, path).toBe(413);
    }
  }, 60_000);
});

describe('secrets', () => {
  it('never reach the log, also when the edges that check them refuse a request', async () => {
    await call('POST', '/api/messages', { body: JSON.stringify({ type: 'message', text: 'hi' }), headers: { authorization: `Bearer ${SECRETS.STAFF_TOKEN_SECRET}` } });
    await call('POST', '/api/v1/session', { body: JSON.stringify({ employeeNo: 'A1001', password: SECRETS.MicrosoftAppPassword }) });
    await call('GET', '/api/v1/handoffs', { headers: { authorization: `Bearer ${SECRETS.DIRECTLINE_TOKEN_SECRET}` } });
    await call('GET', `/api/wechat?signature=0&timestamp=1&nonce=2&echostr=${account.token}`);
    await call('POST', '/api/wechat?signature=0&timestamp=1&nonce=2', { body: '<xml><Encrypt>abc</Encrypt></xml>', headers: { 'content-type': 'text/xml' } });
    await call('POST', '/v3/directline/conversations', { body: '{}' });
    expect(logs.text.length).toBeGreaterThan(0);
    for (const name of SECRET_NAMES) {
      const value = (SECRETS as Record<string, string>)[name]!;
      expect(logs.text.includes(value), `${name} is in the log`).toBe(false);
    }
  });
});
