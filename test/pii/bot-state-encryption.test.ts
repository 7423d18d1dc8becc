// The conversation state (the intake draft with name, phone, policy number between turns) is
// encrypted at rest as a whole document: PostgreSQL holds no plaintext of it, the bot reads it back,
// a state copied to another conversation does not decrypt, rows from before encryption still read,
// and `pii:encrypt` / `keys:rotate` move every state to the current key, keeping its ETag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { PostgresStorage } from '../../bot/postgres-storage';
import { reencryptBotStates } from '../../services/bot-state/bot-state-store';
import { PiiDecryptError } from '../../services/pii/field-cipher';
import { keyringOf, newKey, privatePiiDatabase, type PrivatePiiDatabase } from './pii-support';

const k1 = newKey();
const k2 = newKey();
let store: PrivatePiiDatabase;
beforeAll(async () => {
  store = await privatePiiDatabase();
});
afterAll(async () => {
  await store?.drop();
});

const draft = () => ({
  dialogState: { dialogStack: [{ id: 'intake', state: { values: { draft: { name: '欧阳明月', phone: '13912345678', referenceNumber: 'P2026001234', email: 'oy@example.cn' } } } }] },
  locale: 'zh-CN',
});
const rawRow = async (key: string) => (await store.raw.query('SELECT data::text AS data, etag FROM bot_state WHERE key = $1', [key])).rows[0] as { data: string; etag: string };

describe('conversation state at rest', () => {
  it('holds ciphertext only, and the bot reads its draft back', async () => {
    const storage = new PostgresStorage(store.connect(keyringOf({ k1 }, 'k1')));
    const key = `webchat/conversations/${randomUUID()}/`;
    await storage.write({ [key]: draft() });
    const raw = await rawRow(key);
    for (const value of ['欧阳明月', '13912345678', 'P2026001234', 'oy@example.cn', 'dialogStack']) expect(raw.data).not.toContain(value);
    expect(JSON.parse(raw.data)).toEqual({ enc: expect.stringMatching(/^enc:v1:k1:/) });
    const read = await storage.read([key]);
    expect(read[key]).toMatchObject(draft());
  });

  it('refuses a state copied into another conversation, and reads rows from before encryption', async () => {
    const storage = new PostgresStorage(store.connect(keyringOf({ k1 }, 'k1')));
    const from = `webchat/conversations/${randomUUID()}/`;
    const to = `webchat/conversations/${randomUUID()}/`;
    await storage.write({ [from]: draft() });
    await store.raw.query('INSERT INTO bot_state (key, data, etag, updated_at) SELECT $2, data, 1, now() FROM bot_state WHERE key = $1', [from, to]);
    await expect(storage.read([to])).rejects.toBeInstanceOf(PiiDecryptError);

    const legacy = `webchat/conversations/${randomUUID()}/`;
    await store.raw.query('INSERT INTO bot_state (key, data, etag, updated_at) VALUES ($1, $2::jsonb, 4, now())', [legacy, JSON.stringify(draft())]);
    expect((await storage.read([legacy]))[legacy]).toEqual({ ...draft(), eTag: '4' });
  });

  it('moves every state to the current key, plaintext included, keeping ETags; then the old key is not needed', async () => {
    const old = new PostgresStorage(store.connect(keyringOf({ k1 }, 'k1')));
    const key = `webchat/conversations/${randomUUID()}/`;
    const legacy = `webchat/conversations/${randomUUID()}/`;
    await old.write({ [key]: draft() });
    await store.raw.query('INSERT INTO bot_state (key, data, etag, updated_at) VALUES ($1, $2::jsonb, 7, now())', [legacy, JSON.stringify(draft())]);
    const etagBefore = (await rawRow(key)).etag;

    const report = await reencryptBotStates(store.connect(keyringOf({ k1, k2 }, 'k2')), 2);
    expect(report.rewritten).toBeGreaterThanOrEqual(2);
    expect(report.unreadable).toHaveLength(1); // the state copied into another conversation above
    expect((await rawRow(key)).data).toMatch(/"enc:v1:k2:/);
    expect((await rawRow(legacy)).data).toMatch(/"enc:v1:k2:/);
    expect((await rawRow(key)).etag).toBe(etagBefore);
    const again = await reencryptBotStates(store.connect(keyringOf({ k1, k2 }, 'k2')));
    expect(again.rewritten).toBe(0);

    const onlyNew = new PostgresStorage(store.connect(keyringOf({ k2 }, 'k2')));
    const read = await onlyNew.read([key, legacy]);
    expect(read[key]).toMatchObject(draft());
    expect(read[legacy]).toMatchObject(draft());
  });
});
