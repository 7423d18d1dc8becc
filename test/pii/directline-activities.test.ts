// The self-hosted chat's stored activities and `npm run pii:encrypt` / `keys:rotate`, on a private
// database (the command sweeps the whole table): plaintext rows from before encryption and rows under
// an old key are rewritten under the current key; the chat reads them with the new key alone.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityLog } from '../../bot/channels/directline/activity-log';
import { reencryptDirectLineActivities } from '../../services/channels/directline/sealed-activities';
import { createLogger } from '../../services/logger';
import { createRedis } from '../../services/redis';
import { keyringOf, newKey, privatePiiDatabase, type PrivatePiiDatabase } from './pii-support';

const k1 = newKey();
const k2 = newKey();
let store: PrivatePiiDatabase;
const redis = createRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const log = createLogger({ level: 'silent' });
beforeAll(async () => {
  store = await privatePiiDatabase();
}, 60_000);
afterAll(async () => {
  await store?.drop();
  redis.disconnect();
});

describe('stored chat activities and the re-encryption command', () => {
  it('rewrites plaintext and old-key activities under the current key; the chat reads them with that key alone', async () => {
    const before = new ActivityLog({ db: store.connect(keyringOf({ k1 }, 'k1')), redis, log });
    const conversation = await before.createConversation('zh-CN');
    const typed = `我的电话 139${randomBytes(4).readUInt32BE() % 100_000_000}`.padEnd(16, '0');
    await before.append(conversation.id, { type: 'message', text: typed, from: { id: conversation.userId, role: 'user' } }, true);
    // A row stored before encryption: plain JSON, its id inside.
    await store.raw.query(
      `WITH next AS (UPDATE directline_conversation SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
       INSERT INTO directline_activity (conversation_id, seq, for_bot, activity)
       SELECT $1, last_seq, false, jsonb_build_object('id', $1 || '|' || lpad(last_seq::text, 7, '0'), 'type', 'message', 'text', '旧的回复') FROM next`,
      [conversation.id],
    );

    const ring = keyringOf({ k1, k2 }, 'k2');
    const report = await reencryptDirectLineActivities({ db: store.connect(ring), keyring: ring, batchSize: 1 });
    expect(report).toMatchObject({ rewritten: 2, unreadable: 0 });
    const rows = (await store.raw.query('SELECT activity::text AS a FROM directline_activity WHERE conversation_id = $1 ORDER BY seq', [conversation.id])).rows as { a: string }[];
    for (const row of rows) {
      expect(JSON.parse(row.a)).toEqual({ encz: expect.stringMatching(/^enc:v1:k2:/) });
      expect(row.a).not.toContain(typed);
    }
    expect((await reencryptDirectLineActivities({ db: store.connect(ring), keyring: ring })).rewritten).toBe(0);

    const after = new ActivityLog({ db: store.connect(keyringOf({ k2 }, 'k2')), redis, log });
    const { activities } = await after.readAfter(conversation.id, 0);
    expect(activities.map((a) => [a.id, a.text])).toEqual([[`${conversation.id}|0000001`, typed], [`${conversation.id}|0000002`, '旧的回复']]);
  });
});
