// The access token and customer-service sends against the local stand-in of WeChat's API, with the
// real Redis: one token shared by every bot instance, fetched by one of them at a time, replaced when
// WeChat says it expired (and the message sent again once).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type Redis } from '../../../services/redis';
import { createLogger } from '../../../services/logger';
import { WechatApi, WechatApiError } from '../../../bot/channels/wechat/wechat-api';
import { WechatApiStandIn } from '../../support/wechat-api-stand-in';
import { newWechatAccount } from './wechat-server';

const log = createLogger({ level: 'silent' });

describe('WechatApi', () => {
  let redis: Redis;
  const standIns: WechatApiStandIn[] = [];

  beforeAll(async () => {
    redis = createRedis('redis://127.0.0.1:6379', { lazyConnect: false });
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  });
  afterEach(async () => {
    await Promise.all(standIns.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await redis.quit();
  });

  async function setUp() {
    const account = newWechatAccount();
    const api = await WechatApiStandIn.start({ appId: account.appId, appSecret: account.appSecret });
    standIns.push(api);
    const instance = () => new WechatApi({ apiBase: api.baseUrl, appId: account.appId, appSecret: account.appSecret, redis, log });
    return { account, api, instance };
  }

  it('fetches one token for all bot instances, even when they all need it at once', async () => {
    const { api, instance } = await setUp();
    const instances = [instance(), instance(), instance(), instance()];
    const tokens = await Promise.all(instances.map((i) => i.accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(api.tokenRequests).toBe(1);
    await Promise.all(instances.map((i, n) => i.sendText('oFollower', `消息 ${n}`)));
    expect(api.messagesTo('oFollower').sort()).toEqual(['消息 0', '消息 1', '消息 2', '消息 3']);
    expect(api.tokenRequests).toBe(1);
  });

  it('keeps the token in Redis for less than WeChat’s expiry', async () => {
    const { account, instance } = await setUp();
    await instance().accessToken();
    const ttl = await redis.ttl(`wechat:access-token:${account.appId}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(7200 - 300);
  });

  it('replaces an expired token and sends the message again, once', async () => {
    const { api, instance } = await setUp();
    const a = instance();
    await a.sendText('oFollower', '第一条');
    api.expireTokens();
    await a.sendText('oFollower', '第二条');
    expect(api.messagesTo('oFollower')).toEqual(['第一条', '第二条']);
    expect(api.refusedSends).toBe(1);
    expect(api.tokenRequests).toBe(2);
    // Another instance uses the new token straight away.
    await instance().sendText('oFollower', '第三条');
    expect(api.refusedSends).toBe(1);
    expect(api.tokenRequests).toBe(2);
  });

  it('reports WeChat’s refusals as WechatApiError with the errcode', async () => {
    const { account, api, instance } = await setUp();
    api.failNextSends = 1;
    await expect(instance().sendText('oFollower', 'x')).rejects.toMatchObject({ name: 'WechatApiError', errcode: -1 });
    const wrongSecret = new WechatApi({ apiBase: api.baseUrl, appId: `wx${'0'.repeat(16)}`, appSecret: account.appSecret, redis, log });
    await expect(wrongSecret.accessToken()).rejects.toMatchObject({ code: 'token_refused', errcode: 40013 });
    await expect(instance().sendText('oFollower', '长'.repeat(1000))).rejects.toBeInstanceOf(WechatApiError); // 3000 bytes: 45002
    const unreachable = new WechatApi({ apiBase: 'http://127.0.0.1:1', appId: `wx${'1'.repeat(16)}`, appSecret: 's', redis, log });
    await expect(unreachable.accessToken()).rejects.toMatchObject({ code: 'unreachable' });
  });
});
