// The WeChat inbox on the real PostgreSQL: WeChat's retries stored once, and a follower's messages
// handled once each and in order even with several bot instances draining at the same time.
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../../services/logger';
import { recordInboundMessage, type PendingMessage } from '../../../services/channels/wechat/wechat-inbox';
import { InboxProcessor, MAX_ATTEMPTS } from '../../../services/channels/wechat/inbox-processor';
import { testDb } from '../../support/app';
import { newMsgId } from './wechat-server';

const db = testDb();
const log = createLogger({ level: 'silent' });
afterAll(async () => {
  await db.$disconnect();
});

const appId = `wx${randomBytes(8).toString('hex')}`;
const newOpenId = () => `o${randomBytes(20).toString('base64url').slice(0, 27)}`;

async function store(openId: string, content: string, msgKey = newMsgId()) {
  return recordInboundMessage({ db, now: new Date(), message: { appId, openId, msgKey, msgType: 'text', content, sentAt: new Date() } });
}

/** Waits until the follower has nothing pending; `nudge` stands in for the sweep (kept off here: it would take other test files' followers). */
async function settled(wechatUserId: string, nudge?: () => void): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await db.wechatInboundMessage.count({ where: { wechatUserId, status: 'pending' } })) === 0) return;
    nudge?.();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('messages still pending');
}

describe('the WeChat inbox', () => {
  it('stores a MsgId once, however often WeChat sends it', async () => {
    const openId = newOpenId();
    const msgKey = newMsgId();
    const results = await Promise.all(Array.from({ length: 5 }, () => store(openId, '你好', msgKey)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.wechatUserId)).size).toBe(1);
    expect(await db.wechatInboundMessage.count({ where: { msgKey } })).toBe(1);
  });

  it('keeps 64-bit MsgIds apart that a float would make equal', async () => {
    const openId = newOpenId();
    const a = await store(openId, 'a', '9007199254740993123');
    const b = await store(openId, 'b', '9007199254740993124');
    expect([a.duplicate, b.duplicate]).toEqual([false, false]);
  });

  it('handles each message once and in order while three instances drain the same follower', async () => {
    const openId = newOpenId();
    const handled: string[] = [];
    const handle = async (message: PendingMessage) => {
      handled.push(message.content ?? '');
      await new Promise((r) => setTimeout(r, 5));
    };
    const instances = [0, 1, 2].map(() => new InboxProcessor({ db, log, appId, handle }));
    let wechatUserId = '';
    for (let i = 0; i < 12; i++) {
      ({ wechatUserId } = await store(openId, `m${i}`));
      for (const instance of instances) instance.kick(wechatUserId);
    }
    await settled(wechatUserId);
    await Promise.all(instances.map((i) => i.close()));
    expect(handled).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`));
  });

  it('retries a failing message before the ones after it, and gives up after MAX_ATTEMPTS', async () => {
    const openId = newOpenId();
    const handled: string[] = [];
    const processor = new InboxProcessor({
      db, log, appId, backoffMs: () => 0,
      handle: async (message) => {
        if (message.content === 'bad') throw Object.assign(new Error('boom'), { code: 'E_TEST' });
        handled.push(message.content ?? '');
      },
    });
    await store(openId, 'before');
    const { wechatUserId } = await store(openId, 'bad');
    await store(openId, 'after');
    await settled(wechatUserId, () => processor.kick(wechatUserId));
    await processor.close();
    expect(handled).toEqual(['before', 'after']);
    const bad = await db.wechatInboundMessage.findFirstOrThrow({ where: { wechatUserId, content: 'bad' }, select: { status: true, attempts: true, lastError: true } });
    expect(bad).toEqual({ status: 'failed', attempts: MAX_ATTEMPTS, lastError: 'Error:E_TEST' });
  });
});
