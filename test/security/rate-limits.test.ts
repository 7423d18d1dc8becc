// Budgets on POST /api/messages, counted in Redis so they hold across bot instances: per channel user
// and per client address (here told by X-Forwarded-For behind one trusted proxy), 429 with
// Retry-After beyond them; other users and addresses are not affected.
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnector, startApp, type RunningApp } from '../support/e2e';
import { createRedis } from '../../services/redis';
import { takeFromBudgets } from '../../bot/channels/directline/rate-limit';

const LIMITS = { DIRECTLINE_TRUSTED_PROXY_HOPS: '1', API_MESSAGES_PER_USER_PER_MINUTE: '3', API_MESSAGES_PER_IP_PER_MINUTE: '6' };
let one: RunningApp;
let two: RunningApp;
let connector: LocalConnector;

beforeAll(async () => {
  [one, two, connector] = await Promise.all([startApp(LIMITS), startApp(LIMITS), LocalConnector.start()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([one?.app.close(), two?.app.close()]);
  await connector?.close();
});

/** A random private address, so parallel runs never share a budget. */
const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

async function say(on: RunningApp, ip: string, userId: string): Promise<Response> {
  const res = await fetch(on.botUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({
      type: 'message', id: randomUUID(), channelId: 'webchat', serviceUrl: connector.serviceUrl, deliveryMode: 'expectReplies',
      from: { id: userId }, recipient: { id: 'bot' }, conversation: { id: `conv-${userId}` }, text: '你好', locale: 'zh-CN',
    }),
  });
  await res.arrayBuffer();
  return res;
}

describe('rate limits on /api/messages', () => {
  it('per user, across instances: the 4th message in a minute gets 429 with Retry-After', async () => {
    const ip = randomIp();
    const user = `u-${randomUUID()}`;
    expect((await say(one, ip, user)).status).toBe(200);
    expect((await say(two, ip, user)).status).toBe(200);
    expect((await say(one, ip, user)).status).toBe(200);
    const refused = await say(two, ip, user);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Another customer on another address is not affected.
    expect((await say(one, randomIp(), `u-${randomUUID()}`)).status).toBe(200);
  });

  it('per address: many users behind one address share its budget', async () => {
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await say(i % 2 ? one : two, ip, `u-${randomUUID()}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });
});

describe('takeFromBudgets: several budgets in one round trip', () => {
  it('counts the request against every budget and decides each one in order', async () => {
    const redis = createRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
    try {
      const small = `test-small-${randomUUID()}`;
      const large = `test-large-${randomUUID()}`;
      const budgets = [{ key: large, limit: 5 }, { key: small, limit: 2 }];
      const rounds = [];
      for (let i = 0; i < 3; i++) rounds.push(await takeFromBudgets(redis, budgets, 60_000));
      expect(rounds.map((r) => r.map((d) => d.allowed))).toEqual([[true, true], [true, true], [true, false]]);
      const refused = rounds[2]![1]!;
      expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      // Both keys counted three times and expire with their window.
      expect(await redis.get(`directline:rate:${large}`)).toBe('3');
      expect(await redis.get(`directline:rate:${small}`)).toBe('3');
      expect(await redis.pttl(`directline:rate:${small}`)).toBeGreaterThan(50_000);
      await redis.del(`directline:rate:${large}`, `directline:rate:${small}`);
    } finally {
      redis.disconnect();
    }
  });

  it('fails open, every budget allowed, when Redis is unreachable', async () => {
    const down = createRedis('redis://127.0.0.1:1', { lazyConnect: true });
    const seen: unknown[] = [];
    try {
      const decisions = await takeFromBudgets(down, [{ key: 'a', limit: 1 }, { key: 'b', limit: 1 }], 60_000, (err) => seen.push(err));
      expect(decisions).toEqual([{ allowed: true }, { allowed: true }]);
      expect(seen).toHaveLength(1);
    } finally {
      down.disconnect();
    }
  });
});
