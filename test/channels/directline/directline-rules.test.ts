// The Direct Line endpoint's settings, tokens, client addresses and retention, below the HTTP layer.
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../services/config';
import { createRedis } from '../../../services/redis';
import { createLogger } from '../../../services/logger';
import { testConfig, testDb } from '../../support/app';
import { issueToken, verifyToken } from '../../../bot/channels/directline/tokens';
import { clientIp } from '../../../bot/channels/directline/routes';
import { ActivityLog } from '../../../bot/channels/directline/activity-log';
import { conversationStartActivity } from '../../../bot/channels/directline/incoming-activity';

const db = testDb(2);
const redis = createRedis('redis://127.0.0.1:6379', { lazyConnect: false });

afterAll(async () => {
  await db.$disconnect();
  redis.disconnect();
});

describe('settings', () => {
  it('without DIRECTLINE_TOKEN_SECRET the key is derived from STAFF_TOKEN_SECRET: never the staff key itself, one per staff key', () => {
    const staffA = 'a'.repeat(40);
    const a = testConfig({ STAFF_TOKEN_SECRET: staffA }).directLine.tokenSecret;
    expect(a).not.toBe(staffA);
    expect(testConfig({ STAFF_TOKEN_SECRET: staffA }).directLine.tokenSecret).toBe(a);
    expect(testConfig({ STAFF_TOKEN_SECRET: 'b'.repeat(40) }).directLine.tokenSecret).not.toBe(a);
    expect(testConfig({ STAFF_TOKEN_SECRET: staffA, DIRECTLINE_TOKEN_SECRET: 'c'.repeat(32) }).directLine.tokenSecret).toBe('c'.repeat(32));
    // A staff token's key cannot sign a chat token.
    const token = issueToken({ conversationId: 'c1', userId: 'dl_u', scope: 'conversation', ttlSeconds: 60, secret: staffA, now: new Date() });
    expect(verifyToken(token, 'conversation', a, new Date())).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a short secret, bad origins and out-of-range limits, naming each', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'test', DIRECTLINE_TOKEN_SECRET: 'short', DIRECTLINE_ALLOWED_ORIGINS: 'www.example.com', DIRECTLINE_TOKEN_TTL_SECONDS: '10', DIRECTLINE_MAX_TEXT_CHARS: 'lots' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['DIRECTLINE_TOKEN_SECRET: must be at least 32 characters', 'DIRECTLINE_ALLOWED_ORIGINS', 'DIRECTLINE_TOKEN_TTL_SECONDS', 'DIRECTLINE_MAX_TEXT_CHARS']) {
      expect(problems).toContain(name);
    }
    expect(problems).not.toContain('short');
  });

  it('reads a list of allowed origins', () => {
    expect(testConfig({ DIRECTLINE_ALLOWED_ORIGINS: 'https://www.example.com/, https://m.example.com' }).directLine.allowedOrigins).toEqual(['https://www.example.com', 'https://m.example.com']);
    expect(testConfig().directLine.allowedOrigins).toEqual(['*']);
  });
});

describe('tokens', () => {
  const secret = 'k'.repeat(40);
  const now = new Date('2026-11-28T08:00:00Z');
  const token = issueToken({ conversationId: 'conv-1', userId: 'dl_abc', scope: 'conversation', ttlSeconds: 1800, secret, now });

  it.each([
    ['valid until it expires', token, 'conversation', new Date(now.getTime() + 1799_000), { ok: true }],
    ['expired at exp', token, 'conversation', new Date(now.getTime() + 1800_000), { ok: false, reason: 'expired' }],
    ['another scope', token, 'stream', now, { ok: false, reason: 'wrong_scope' }],
    ['a changed payload', token.replace(/\.([^.]+)\./, (_m, p: string) => `.${Buffer.from(Buffer.from(p, 'base64url').toString().replace('dl_abc', 'dl_xyz')).toString('base64url')}.`), 'conversation', now, { ok: false, reason: 'bad_signature' }],
    ['alg none', `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${token.split('.')[1]}.`, 'conversation', now, { ok: false, reason: 'malformed' }],
    ['not a token', 'hello', 'conversation', now, { ok: false, reason: 'malformed' }],
  ] as const)('%s', (_what, given, scope, at, expected) => {
    expect(verifyToken(given, scope, secret, at)).toMatchObject(expected);
  });
});

describe('client address for the per-address limit', () => {
  const req = (xff: string | undefined) => ({ headers: xff === undefined ? {} : { 'x-forwarded-for': xff }, socket: { remoteAddress: '192.0.2.1' } }) as Parameters<typeof clientIp>[0];
  it.each([
    [0, '203.0.113.9', '192.0.2.1'], // no trusted proxy: X-Forwarded-For is the client's to forge
    [1, '203.0.113.9', '203.0.113.9'],
    [1, '10.9.9.9, 203.0.113.9', '203.0.113.9'], // a forged first entry is ignored
    [2, '203.0.113.9, 198.51.100.7', '203.0.113.9'],
    [1, undefined, '192.0.2.1'],
  ] as const)('%i trusted hop(s), X-Forwarded-For %s → %s', (hops, xff, expected) => {
    expect(clientIp(req(xff), hops)).toBe(expected);
  });
});

describe('retention', () => {
  it('deletes conversations idle longer than the retention period, with their activities, and keeps the others', async () => {
    const log = new ActivityLog({ db, redis, log: createLogger({ level: 'silent' }) });
    const old = await log.createConversation('zh-CN');
    const recent = await log.createConversation('zh-CN');
    for (const c of [old, recent]) await log.append(c.id, conversationStartActivity(c, 'http://localhost/v3/directline', new Date()), true);
    await db.directLineConversation.update({ where: { id: old.id }, data: { updatedAt: new Date(Date.now() - 8 * 86_400_000) } });

    expect(await log.purgeIdle(new Date(Date.now() - 7 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect(await log.findConversation(old.id)).toBeNull();
    expect(await db.directLineActivity.count({ where: { conversationId: old.id } })).toBe(0);
    expect(await log.findConversation(recent.id)).not.toBeNull();
    expect((await log.readAfter(recent.id, 0)).activities).toHaveLength(1);
  });
});
