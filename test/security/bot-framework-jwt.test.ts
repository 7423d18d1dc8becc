// Bot Framework authentication against a local stand-in for the channel's token issuer: an OpenID
// metadata document and its JWKS (BOT_OPENID_METADATA_URL), as login.botframework.com serves them.
// With MicrosoftAppId set, only an activity whose JWT is signed by a published key, for this bot,
// from the Bot Framework issuer, unexpired and naming the activity's serviceUrl gets a turn; every
// other one gets 401 before any dialog runs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/e2e';

const APP_ID = randomUUID();
const ISSUER = 'https://api.botframework.com';
const KID = `kid-${randomUUID()}`;
const trusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

let issuer: Server;
let running: RunningApp;

beforeAll(async () => {
  issuer = createServer((req, res) => {
    const base = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') return json({ issuer: ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    if (req.url === '/v1/.well-known/keys') {
      const { n, e } = trusted.publicKey.export({ format: 'jwk' });
      return json({ keys: [{ kty: 'RSA', use: 'sig', kid: KID, n, e, endorsements: ['webchat', 'msteams'] }] });
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  const metadata = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
  running = await startApp({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-by-expect-replies', BOT_OPENID_METADATA_URL: metadata });
}, 60_000);

afterAll(async () => {
  await running?.app.close();
  await new Promise((resolve) => issuer?.close(resolve));
});

const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function jwt(claims: Record<string, unknown>, { key = trusted.privateKey, alg = 'RS256', kid = KID }: { key?: KeyObject; alg?: string; kid?: string } = {}): string {
  const head = `${b64url({ alg, typ: 'JWT', kid })}.${b64url(claims)}`;
  if (alg === 'none') return `${head}.`;
  return `${head}.${sign('sha256', Buffer.from(head), key).toString('base64url')}`;
}

const SERVICE_URL = 'https://webchat.botframework.com/';
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: APP_ID, iat: now - 5, nbf: now - 5, exp: now + 600, serviceurl: SERVICE_URL, ...overrides };
}

async function post(token?: string): Promise<{ status: number; body: string; conversationId: string }> {
  const conversationId = `jwt-${randomUUID()}`;
  const res = await fetch(running.botUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      type: 'message', id: randomUUID(), channelId: 'webchat', serviceUrl: SERVICE_URL, deliveryMode: 'expectReplies',
      from: { id: `u-${randomUUID()}` }, recipient: { id: APP_ID }, conversation: { id: conversationId }, text: '你好', locale: 'zh-CN',
    }),
  });
  return { status: res.status, body: await res.text(), conversationId };
}

describe('Bot Framework JWT validation (MicrosoftAppId set)', () => {
  it('processes an activity signed by the issuer\'s published key for this bot', async () => {
    const ok = await post(jwt(claims()));
    expect(ok.status, ok.body).toBe(200);
    const replies = (JSON.parse(ok.body) as { activities: Array<{ text?: string }> }).activities;
    expect(replies.map((a) => a.text ?? '').join('\n')).toMatch(/投诉/);
  });

  it.each([
    ['no token at all', () => undefined],
    ['a token signed by another key', () => jwt(claims(), { key: stranger.privateKey })],
    ['an unsigned token (alg none)', () => jwt(claims(), { alg: 'none' })],
    ['a token for another bot', () => jwt(claims({ aud: randomUUID() }))],
    ['a token from another issuer', () => jwt(claims({ iss: 'https://evil.example.com' }))],
    ['an expired token', () => jwt(claims({ exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200, nbf: Math.floor(Date.now() / 1000) - 7200 }))],
    ['a token for another service URL', () => jwt(claims({ serviceurl: 'https://attacker.example.com/' }))],
    ['a key id nobody published', () => jwt(claims(), { kid: 'unknown-kid' })],
  ])('refuses %s with 401 and runs no turn', async (_what, token) => {
    const refused = await post(token());
    expect(refused.status).toBe(401);
    expect(await running.app.db.botState.count({ where: { key: { contains: refused.conversationId } } })).toBe(0);
  });
});
