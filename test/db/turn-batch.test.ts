// A turn's reads and writes gathered on the turn lock's connection (services/bot-state/turn-batch.ts,
// bot/turn-session.ts), on the real database: what one statement reads and one statement writes must
// be what the one-at-a-time stores would have read and written — the state sealed and conditional on
// its ETag, the transcript redacted, in order and linked to the conversation's complaint — and none of
// it visible to anyone else before the lock's transaction commits.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { readBotStates, writeBotState } from '../../services/bot-state/bot-state-store';
import { clientKeyring } from '../../services/pii/encrypting-client';
import { parseTurnStart, readTurnStart, turnStartQuery, writeTurn } from '../../services/bot-state/turn-batch';
import { readConversationTranscript } from '../../services/transcripts/transcript-store';
import { PostgresTurnLock } from '../../services/turn-lock/turn-lock';
import { inlineValues } from '../../services/db/sql-literals';
import { testDatabaseUrl } from '../support/database';
import { randomMobile, testDb, testDesk } from '../support/app';

const db: Database = testDb(3);
const lock = new PostgresTurnLock({ databaseUrl: testDatabaseUrl(), poolSize: 3 });
const keyring = clientKeyring(db);
const raw = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });

afterAll(async () => {
  await Promise.all([db.$disconnect(), lock.close(), raw.end()]);
});

const conversation = () => ({ channelId: 'test', conversationId: `batch-${randomUUID()}` });
const stateKeyOf = (c: { channelId: string; conversationId: string }) => `${c.channelId}/conversations/${c.conversationId}`;
const line = (direction: 'inbound' | 'outbound', text: string) => ({
  direction, actorType: direction === 'inbound' ? ('customer' as const) : ('bot' as const), actorId: direction === 'inbound' ? 'u1' : 'bot', activityId: null, text, occurredAt: new Date(),
});

describe('a turn in two statements', () => {
  it('reads nothing for a new conversation, then saves its first state with the transcript in order', async () => {
    const c = conversation();
    const key = stateKeyOf(c);
    const written = await lock.runExclusive(key, async (held) => {
      const start = await readTurnStart(held!, keyring, key, c);
      expect(start).toEqual({ state: null, handoff: null });
      return writeTurn(held!, keyring, {
        conversation: c,
        transcript: [line('inbound', '我的手机号是13812345678'), line('outbound', '请问您的姓名？'), line('outbound', '第三条')],
        state: { key, data: { step: 1, name: '张三' }, condition: { kind: 'etag', etag: '0' } },
      });
    });
    expect(written.etag).toBe('1');
    expect(written.transcriptIds).toHaveLength(3);
    const transcript = await readConversationTranscript(db, c);
    expect(transcript.map((m) => [m.direction, m.text])).toEqual([
      ['inbound', expect.not.stringContaining('13812345678')],
      ['outbound', '请问您的姓名？'],
      ['outbound', '第三条'],
    ]);
    expect(transcript.map((m) => m.id)).toEqual(written.transcriptIds);
    // The state as the one-at-a-time store reads it, and sealed at rest like every other state.
    expect((await readBotStates(db, [key])).get(key)).toEqual({ data: { step: 1, name: '张三' }, etag: '1' });
    const stored = await raw.query<{ data: unknown }>('SELECT data FROM bot_state WHERE key = $1', [key]);
    expect(JSON.stringify(stored.rows[0]!.data)).not.toContain('张三');
  });

  it('writes the state only over the ETag it read: a state that moved on is a conflict, the transcript is kept', async () => {
    const c = conversation();
    const key = stateKeyOf(c);
    await writeBotState(db, key, { step: 1 }, { kind: 'any' });
    const result = await lock.runExclusive(key, async (held) => {
      const start = await readTurnStart(held!, keyring, key, c);
      // The text it was read from comes along: the turn's change check compares with it.
      expect(start.state).toEqual({ data: { step: 1 }, etag: '1', json: JSON.stringify({ step: 1 }) });
      // Another writer (a turn that outlived its lock) saved in between.
      await writeBotState(db, key, { step: 'other' }, { kind: 'etag', etag: '1' });
      return writeTurn(held!, keyring, { conversation: c, transcript: [line('inbound', '你好')], state: { key, data: { step: 2 }, condition: { kind: 'etag', etag: start.state!.etag } } });
    });
    expect(result.etag).toBeNull();
    expect((await readBotStates(db, [key])).get(key)?.data).toEqual({ step: 'other' });
    expect((await readConversationTranscript(db, c)).map((m) => m.text)).toEqual(['你好']);
  });

  it('sees the open handoff, links the lines to the complaint filed in the conversation, and shows nothing before the commit', async () => {
    const c = conversation();
    const key = stateKeyOf(c);
    // A complaint filed in this conversation (the filing stores the conversation's reference).
    const complaint = await testDesk(db).fileComplaint({
      draft: { businessLine: 'insurance', type: 'claims_dispute', description: '理赔迟迟未到账', name: '孙七', phone: randomMobile(), feedbackMethod: 'phone' },
      user: { channelId: c.channelId, channelUserId: 'u1' },
      locale: 'zh-CN',
      reference: { channelId: c.channelId, serviceUrl: 'https://chat.example.test/', conversation: { id: c.conversationId }, user: { id: 'u1' } },
      consent: { noticeVersion: 'privacy-2026.1' },
      submissionId: randomUUID(),
    });
    const handoff = await raw.query<{ id: string }>(
      `INSERT INTO handoff_request (id, channel_id, conversation_id, reason, locale, reference, open_conversation_key, status, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'test', 'zh-CN', '{}', $3, 'requested', now(), now()) RETURNING id::text AS id`,
      [c.channelId, c.conversationId, `${c.channelId}/${c.conversationId}`],
    );
    let seenBeforeCommit = -1;
    let committed = false;
    await lock.runExclusive(key, async (held) => {
      const start = await readTurnStart(held!, keyring, key, c);
      expect(start.handoff).toEqual({ id: handoff.rows[0]!.id, status: 'requested', acceptedBy: null });
      await writeTurn(held!, keyring, { conversation: c, transcript: [line('inbound', '人呢')] });
      held!.afterCommit(() => {
        committed = true;
      });
      seenBeforeCommit = (await readConversationTranscript(db, c)).length;
    });
    expect(seenBeforeCommit).toBe(0);
    expect(committed).toBe(true);
    const transcript = await readConversationTranscript(db, c);
    expect(transcript.map((m) => [m.text, m.complaintId])).toEqual([['人呢', complaint!.id]]);
  });
});

describe('the turn lock under a burst of turns', () => {
  it('queues turns for its connections within the lock wait, and refuses one only when that wait runs out', async () => {
    const hold = (l: PostgresTurnLock, key: string, ms: number) => l.runExclusive(key, async (held) => {
      await held!.query('SELECT 1');
      await new Promise((r) => setTimeout(r, ms));
      return key;
    });
    // One connection: the other conversations' turns wait for it, bounded by the lock's own wait.
    const patient = new PostgresTurnLock({ databaseUrl: testDatabaseUrl(), poolSize: 1, waitMs: 3_000 });
    const impatient = new PostgresTurnLock({ databaseUrl: testDatabaseUrl(), poolSize: 1, waitMs: 200 });
    try {
      await expect(Promise.all([hold(patient, 'a', 400), hold(patient, 'b', 0), hold(patient, 'c', 0)])).resolves.toEqual(['a', 'b', 'c']);
      const [first, second] = await Promise.allSettled([hold(impatient, 'a', 600), hold(impatient, 'b', 0)]);
      expect(first).toEqual({ status: 'fulfilled', value: 'a' });
      expect(second.status === 'rejected' && (second.reason as Error).name).toBe('TurnLockBusyError');
      // The refused turn left nothing behind: the connection serves the next turn.
      await expect(hold(impatient, 'c', 0)).resolves.toBe('c');
    } finally {
      await Promise.all([patient.close(), impatient.close()]);
    }
  });
});

describe('a turn in two round trips', () => {
  const awkward = "引号 ' 和 \" 反斜杠 \\ 占位符 $1 $2 与 E'\\x00' 😀";

  it('reads with the lock and writes with the COMMIT: the write is visible and the lock free once the last statement returns', async () => {
    const c = conversation();
    const key = stateKeyOf(c);
    await writeBotState(db, key, { step: 1, note: awkward }, { kind: 'any' });
    let visibleInside: string[] = [];
    let lockFreeInside = false;
    await lock.runExclusive(key, async (held) => {
      const start = parseTurnStart(keyring, key, held!.readWithLock!);
      expect(start.state).toEqual({ data: { step: 1, note: awkward }, etag: '1', json: JSON.stringify({ step: 1, note: awkward }) });
      const written = await writeTurn(held!, keyring, {
        conversation: c, transcript: [line('inbound', awkward), line('outbound', '好的')],
        state: { key, data: { step: 2, note: awkward }, condition: { kind: 'etag', etag: start.state!.etag } },
      }, { commit: held! });
      expect(written.etag).toBe('2');
      // Committed with the statement: another connection sees it, and another holder gets the lock now.
      visibleInside = (await readConversationTranscript(db, c)).map((m) => m.text);
      const other = new PostgresTurnLock({ databaseUrl: testDatabaseUrl(), poolSize: 1, waitMs: 2_000 });
      lockFreeInside = await other.tryRunExclusive(key, async () => {}).finally(() => other.close());
    }, { readWithLock: turnStartQuery(key, c) });
    expect(visibleInside).toEqual([awkward, '好的']);
    expect(lockFreeInside).toBe(true);
    expect((await readBotStates(db, [key])).get(key)).toEqual({ data: { step: 2, note: awkward }, etag: '2' });
  });

  it('inside an outer holder (re-entrant) the last statement does not commit: the outer holder does', async () => {
    const c = conversation();
    const key = stateKeyOf(c);
    let seenBeforeOuterEnds = -1;
    await lock.runExclusive(key, async (outer) => {
      await lock.runExclusive(key, async (inner) => {
        expect(inner!.readWithLock).toBeUndefined();
        await writeTurn(inner!, keyring, { conversation: c, transcript: [line('inbound', '内层')] }, { commit: inner! });
      }, { readWithLock: turnStartQuery(key, c), within: outer });
      seenBeforeOuterEnds = (await readConversationTranscript(db, c)).length;
    });
    expect(seenBeforeOuterEnds).toBe(0);
    expect((await readConversationTranscript(db, c)).map((m) => m.text)).toEqual(['内层']);
  });

  it('prepares the turn statements once per connection, and a connection whose prepared statement broke is replaced', async () => {
    const single = new PostgresTurnLock({ databaseUrl: testDatabaseUrl(), poolSize: 1, waitMs: 2_000 });
    const table = `prep_probe_${randomUUID().replaceAll('-', '')}`;
    try {
      await raw.query(`CREATE TABLE ${table} (k text PRIMARY KEY, v int)`);
      await raw.query(`INSERT INTO ${table} VALUES ('a', 1)`);
      const read = { text: `SELECT v FROM ${table} WHERE k = $1`, values: ['a'] };
      const turn = () => single.runExclusive(`probe-${table}`, async (held) => {
        const prepared = await held!.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements');
        return { v: held!.readWithLock?.[0]?.v, prepared: prepared.rows.map((r) => r.statement) };
      }, { readWithLock: read });
      const first = await turn();
      expect(first.v).toBe(1);
      expect(first.prepared.filter((s) => s.includes(table))).toHaveLength(1);
      // The second turn on the same connection EXECUTEs what the first prepared (preparing again would fail).
      expect((await turn()).v).toBe(1);
      // A migration changes the type the statement returns: that turn fails, its connection is not reused …
      await raw.query(`ALTER TABLE ${table} ALTER COLUMN v TYPE text`);
      await expect(turn()).rejects.toThrow(/cached plan must not change result type/);
      // … and the next turn, on a new connection, prepares it afresh.
      expect((await turn()).v).toBe('1');
    } finally {
      await single.close();
      await raw.query(`DROP TABLE IF EXISTS ${table}`);
    }
  });

  it('a last statement that fails does not leave its connection to the next turn', async () => {
    const single = new PostgresTurnLock({ databaseUrl: testDatabaseUrl(), poolSize: 1, waitMs: 2_000 });
    try {
      const pid = () => single.runExclusive('probe-failing-write', async (held) => (await held!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
      const before = await pid();
      expect(await pid()).toBe(before);
      await expect(single.runExclusive('probe-failing-write', (held) => held!.queryAndCommit('SELECT 1 / $1::int AS x', [0]))).rejects.toThrow(/division by zero/);
      expect(await pid()).not.toBe(before);
      // The lock was freed with the closed connection.
      expect(await single.tryRunExclusive('probe-failing-write', async () => {})).toBe(true);
    } finally {
      await single.close();
    }
  });

  it('inlines values as PostgreSQL reads them as parameters: text, arrays, dates, numbers, booleans, null, JSON', async () => {
    const when = new Date('2026-11-28T08:09:10.123Z');
    const values = [awkward, [awkward, null, 'b,"c"}'], when, [when], 42, 12345678901234567890n, true, null, JSON.stringify({ text: awkward })];
    const text = 'SELECT $1::text AS a, $2::text[] AS b, $3::timestamptz AS c, $4::timestamptz[] AS d, $5::int AS e, $6::numeric AS f, $7::boolean AS g, $8::text AS h, $9::jsonb AS i';
    const parameterized = await raw.query(text, values);
    const inlined = await raw.query(inlineValues(text, values));
    expect(inlined.rows).toEqual(parameterized.rows);
    expect(inlined.rows[0]).toMatchObject({ a: awkward, b: [awkward, null, 'b,"c"}'], c: when, g: true, h: null, i: { text: awkward } });
    expect(() => inlineValues('SELECT $2', ['only one'])).toThrow(RangeError);
  });
});
