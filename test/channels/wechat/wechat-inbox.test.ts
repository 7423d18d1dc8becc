// The WeChat inbox on the real PostgreSQL: WeChat's retries stored once, and a follower's messages
// handled once each and in order even with several bot instances draining at the same time.
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../../services/logger';
import { claimFollower, recordInboundMessage, wechatOpenIdHash, type PendingMessage } from '../../../services/channels/wechat/wechat-inbox';
import { InboxProcessor, MAX_ATTEMPTS } from '../../../services/channels/wechat/inbox-processor';
import { testDb, TEST_PII_HASH_KEY } from '../../support/app';
import { newMsgId } from './wechat-server';

const db = testDb();
const log = createLogger({ level: 'silent' });
afterAll(async () => {
  await db.$disconnect();
});

const appId = `wx${randomBytes(8).toString('hex')}`;
const newOpenId = () => `o${randomBytes(20).toString('base64url').slice(0, 27)}`;

async function store(openId: string, content: string, msgKey = newMsgId()) {
  return recordInboundMessage({ db, now: new Date(), hashKey: TEST_PII_HASH_KEY, message: { appId, openId, msgKey, msgType: 'text', content, sentAt: new Date() } });
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

const storedFollower = async (id: string) =>
  (await db.$queryRaw<{ open_id: string; open_id_hash: string | null }[]>`SELECT open_id, open_id_hash FROM wechat_user WHERE id = ${id}::uuid`)[0]!;

describe('the follower\'s openid at rest', () => {
  it('is stored encrypted and found by its keyed hash; the lease gives it back in the clear', async () => {
    const openId = newOpenId();
    const first = await store(openId, '你好');
    const row = await storedFollower(first.wechatUserId);
    expect(row.open_id).toMatch(/^enc:v1:/);
    expect(row.open_id).not.toContain(openId);
    expect(row.open_id_hash).toBe(wechatOpenIdHash(openId, TEST_PII_HASH_KEY));
    expect(row.open_id_hash).not.toBe(wechatOpenIdHash(openId, `${TEST_PII_HASH_KEY}-other`));
    // The same follower again: the same row, so the same conversation.
    expect((await store(openId, '在吗')).wechatUserId).toBe(first.wechatUserId);
    const claimed = await claimFollower({ db, wechatUserId: first.wechatUserId, holder: 'test', leaseMs: 1_000, now: new Date() });
    expect(claimed).toEqual({ openId });
  });

  it('a follower stored before encryption keeps their id: their next message hashes and encrypts the row', async () => {
    const openId = newOpenId();
    const [legacy] = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO wechat_user (id, app_id, open_id) VALUES (gen_random_uuid(), ${appId}, ${openId}) RETURNING id::text AS id`;
    const { wechatUserId } = await store(openId, '你好');
    expect(wechatUserId).toBe(legacy!.id);
    const row = await storedFollower(wechatUserId);
    expect(row.open_id).toMatch(/^enc:v1:/);
    expect(row.open_id_hash).toBe(wechatOpenIdHash(openId, TEST_PII_HASH_KEY));
    expect(await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM wechat_user WHERE app_id = ${appId} AND open_id_hash = ${row.open_id_hash}`).toEqual([{ n: 1n }]);
  });
});

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
