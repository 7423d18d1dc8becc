// The WeChat openid at rest, on a private database (the re-encryption sweeps whole tables): followers
// stored before the openid was encrypted are hashed and encrypted by `npm run pii:encrypt` and found
// again by their next message (same wechat_user, so the same conversation); `keys:rotate` moves the
// openid to the new key like every other personal-data column.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashLegacyFollowers, recordInboundMessage, wechatOpenIdHash } from '../../services/channels/wechat/wechat-inbox';
import { reencryptColumns } from '../../services/pii/reencrypt-columns';
import { TEST_PII_HASH_KEY } from '../support/app';
import { keyringOf, newKey, privatePiiDatabase, type PrivatePiiDatabase } from './pii-support';

const k1 = newKey();
const k2 = newKey();
let store: PrivatePiiDatabase;
beforeAll(async () => {
  store = await privatePiiDatabase();
}, 60_000);
afterAll(async () => {
  await store?.drop();
});

const appId = `wx${randomBytes(8).toString('hex')}`;
const newOpenId = () => `o${randomBytes(20).toString('base64url').slice(0, 27)}`;
const row = async (id: string) => (await store.raw.query('SELECT open_id, open_id_hash FROM wechat_user WHERE id = $1', [id])).rows[0] as { open_id: string; open_id_hash: string | null };
const legacyFollower = async (openId: string) =>
  (await store.raw.query(`INSERT INTO wechat_user (id, app_id, open_id) VALUES (gen_random_uuid(), $1, $2) RETURNING id::text AS id`, [appId, openId])).rows[0].id as string;
const message = (openId: string) => ({ appId, openId, msgKey: `m-${randomBytes(8).toString('hex')}`, msgType: 'text', content: '你好', sentAt: new Date() });

describe('the WeChat openid and npm run pii:encrypt / keys:rotate', () => {
  it('hashes and encrypts followers stored before encryption; their next message finds the same follower', async () => {
    const db = store.connect(keyringOf({ k1 }, 'k1'));
    const openIds = [newOpenId(), newOpenId(), newOpenId()];
    const ids = await Promise.all(openIds.map(legacyFollower));

    expect((await hashLegacyFollowers({ db, hashKey: TEST_PII_HASH_KEY, batchSize: 2 })).hashed).toBe(3);
    const report = await reencryptColumns({ db, keyring: keyringOf({ k1 }, 'k1') });
    expect(report.columns.find((c) => c.table === 'wechat_user' && c.column === 'open_id')).toMatchObject({ rewritten: 3, fromPlaintext: 3 });
    for (const [i, id] of ids.entries()) {
      const stored = await row(id);
      expect(stored.open_id).toMatch(/^enc:v1:k1:/);
      expect(stored.open_id).not.toContain(openIds[i]);
      expect(stored.open_id_hash).toBe(wechatOpenIdHash(openIds[i]!, TEST_PII_HASH_KEY));
    }
    const again = await recordInboundMessage({ db, now: new Date(), hashKey: TEST_PII_HASH_KEY, message: message(openIds[1]!) });
    expect(again.wechatUserId).toBe(ids[1]);
    expect((await hashLegacyFollowers({ db, hashKey: TEST_PII_HASH_KEY })).hashed).toBe(0);
    // The client reads it back in the clear (what proactive messages are sent to).
    expect((await db.wechatUser.findUniqueOrThrow({ where: { id: ids[2]! }, select: { openId: true } })).openId).toBe(openIds[2]);
  });

  it('moves the openid to the new key on rotation, and the follower is still found', async () => {
    const openId = newOpenId();
    const before = store.connect(keyringOf({ k1 }, 'k1'));
    const { wechatUserId } = await recordInboundMessage({ db: before, now: new Date(), hashKey: TEST_PII_HASH_KEY, message: message(openId) });
    const ring = keyringOf({ k1, k2 }, 'k2');
    await reencryptColumns({ db: store.connect(ring), keyring: ring });
    expect((await row(wechatUserId)).open_id).toMatch(/^enc:v1:k2:/);
    const onlyNew = store.connect(keyringOf({ k2 }, 'k2'));
    expect((await recordInboundMessage({ db: onlyNew, now: new Date(), hashKey: TEST_PII_HASH_KEY, message: message(openId) })).wechatUserId).toBe(wechatUserId);
    expect((await onlyNew.wechatUser.findUniqueOrThrow({ where: { id: wechatUserId }, select: { openId: true } })).openId).toBe(openId);
  });
});
