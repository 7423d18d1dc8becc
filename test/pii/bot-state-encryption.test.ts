// The conversation state (the intake draft with name, phone, policy number between turns) is
// encrypted at rest as a whole document: PostgreSQL holds no plaintext of it, the bot reads it back,
// a state copied to another conversation does not decrypt, rows from before encryption still read,
// and `pii:encrypt` / `keys:rotate` move every state to the current key, keeping its ETag. The document is
// compressed before it is encrypted, so a whole intake's state stays in its row (no TOAST rows per turn).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { PostgresStorage } from '../../bot/postgres-storage';
import { reencryptBotStates } from '../../services/bot-state/bot-state-store';
import { deflateRawSync } from 'node:zlib';
import { encryptField, encryptFieldBytes, PiiDecryptError } from '../../services/pii/field-cipher';
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
    expect(JSON.parse(raw.data)).toEqual({ encz: expect.stringMatching(/^enc:v1:k1:/) });
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

  it('keeps a whole intake\'s state in its row: nothing written to the TOAST table', async () => {
    const storage = new PostgresStorage(store.connect(keyringOf({ k1 }, 'k1')));
    // About what a customer at the summary holds: the draft twice (options and values), the prompt and its choices.
    const fullDraft = { ...draft().dialogState.dialogStack[0]!.state.values.draft, description: Array.from({ length: 8 }, (_, i) => `第${i + 1}次致电客服（工号 ${1000 + i * 37}），车险理赔申请已提交 ${i + 3} 周仍未答复。`).join('') };
    const summary = {
      ...draft(),
      options: { draft: fullDraft, submissionId: randomUUID() },
      prompt: { text: '请核对您的投诉信息：1. 业务：保险 2. 投诉类型：理赔纠纷 3. 事情经过：见下。信息无误请点“确认提交”；需要修改请点“修改”。', choices: ['确认提交', '修改', '取消'].map((value) => ({ value, synonyms: ['确认', '提交', '修改', '更正', 'submit', 'confirm', 'change', 'edit'] })) },
      values: {
        instanceId: randomUUID(),
        draft: fullDraft,
      },
    };
    // Encrypted as it is, in base64, this would be well over the row's TOAST threshold (about 2 kB).
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeGreaterThan(2000);
    const toast = (await store.raw.query(`SELECT reltoastrelid::regclass::text AS t FROM pg_class WHERE relname = 'bot_state'`)).rows[0].t as string;
    const toastRows = async () => Number((await store.raw.query(`SELECT count(*) AS n FROM ${toast}`)).rows[0].n);
    const before = await toastRows();
    const key = `webchat/conversations/${randomUUID()}/`;
    for (let turn = 0; turn < 3; turn++) await storage.write({ [key]: { ...summary, turn, eTag: '*' } });
    expect(await toastRows()).toBe(before);
    expect((await storage.read([key]))[key]).toMatchObject({ ...summary, turn: 2 });
  });

  it('reads states compressed with deflate\'s default 32 kB window (earlier releases), large ones too', async () => {
    const keyring = keyringOf({ k1 }, 'k1');
    const storage = new PostgresStorage(store.connect(keyring));
    const key = `webchat/conversations/${randomUUID()}/`;
    // Repeats 20 kB apart: the default window refers back that far; the window written now (4 kB) does not.
    const filler = Array.from({ length: 600 }, (_, i) => `第${i}条补充说明`).join('；');
    const big = { ...draft(), notes: [filler, filler] };
    const json = JSON.stringify(big);
    expect(Buffer.byteLength(json)).toBeGreaterThan(20_000);
    const sealed = encryptFieldBytes(keyring, { table: 'bot_state', column: `data+deflate:${key}` }, deflateRawSync(json, { level: 1 }));
    await store.raw.query('INSERT INTO bot_state (key, data, etag, updated_at) VALUES ($1, $2::jsonb, 5, now())', [key, JSON.stringify({ encz: sealed })]);
    expect((await storage.read([key]))[key]).toEqual({ ...big, eTag: '5' });
    await storage.write({ [key]: { ...big, eTag: '5' } });
    expect((await storage.read([key]))[key]).toEqual({ ...big, eTag: '6' });
  });

  it('reads states written encrypted but not compressed, and refuses one whose format was switched', async () => {
    const keyring = keyringOf({ k1 }, 'k1');
    const storage = new PostgresStorage(store.connect(keyring));
    const key = `webchat/conversations/${randomUUID()}/`;
    const sealed = encryptField(keyring, { table: 'bot_state', column: `data:${key}` }, JSON.stringify(draft()));
    await store.raw.query('INSERT INTO bot_state (key, data, etag, updated_at) VALUES ($1, $2::jsonb, 3, now())', [key, JSON.stringify({ enc: sealed })]);
    expect((await storage.read([key]))[key]).toEqual({ ...draft(), eTag: '3' });

    const switched = `webchat/conversations/${randomUUID()}/`;
    await storage.write({ [switched]: draft() });
    await store.raw.query(`UPDATE bot_state SET data = jsonb_build_object('enc', data->'encz') WHERE key = $1`, [switched]);
    await expect(storage.read([switched])).rejects.toBeInstanceOf(PiiDecryptError);
    await store.raw.query('DELETE FROM bot_state WHERE key = $1', [switched]);
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
