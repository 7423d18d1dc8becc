// Bot state on the real database: PostgresStorage (botbuilder Storage with ETags) and
// OptimisticConversationState, as two bot instances serving one conversation would use them.
import { randomUUID } from 'node:crypto';
import { ActivityTypes, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { ETagConflictError, PostgresStorage } from '../../bot/postgres-storage';
import { OptimisticConversationState } from '../../bot/optimistic-conversation-state';
import { testDb } from '../support/app';

// Two bot instances: each with its own database client (own pool) and its own storage.
const dbA: Database = testDb(3);
const dbB: Database = testDb(3);
const storageA = new PostgresStorage(dbA);
const storageB = new PostgresStorage(dbB);

afterAll(async () => {
  await Promise.all([dbA.$disconnect(), dbB.$disconnect()]);
});

const newKey = () => `test/conversations/${randomUUID()}`;

async function conflictOf(promise: Promise<unknown>): Promise<ETagConflictError> {
  const err = await promise.then(
    () => {
      throw new Error('expected an ETag conflict');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ETagConflictError);
  return err as ETagConflictError;
}

describe('PostgresStorage', () => {
  it('writes, reads back with an eTag, and deletes', async () => {
    const key = newKey();
    const other = newKey();
    expect(await storageA.read([key])).toEqual({});

    const item = { dialogState: { dialogStack: [{ id: 'intake', state: { step: 2 } }] }, locale: 'zh-CN', name: '张三', count: 3, ok: true, none: null };
    await storageA.write({ [key]: item });
    expect(typeof (item as { eTag?: string }).eTag).toBe('string'); // the new ETag is handed back on the item

    const read = await storageA.read([key, other]);
    expect(Object.keys(read)).toEqual([key]);
    expect(read[key]).toEqual({ ...item, eTag: (item as { eTag?: string }).eTag });
    // The ETag is kept in its own column, not inside the state document.
    const row = await dbA.botState.findUniqueOrThrow({ where: { key } });
    expect(row.data).not.toHaveProperty('eTag');
    expect(row.etag.toString()).toBe(read[key].eTag);

    await storageA.delete([key]);
    expect(await storageA.read([key])).toEqual({});
    await storageA.delete([key, other]); // deleting what is not there is fine
  });

  it('gives a new eTag on every write', async () => {
    const key = newKey();
    await storageA.write({ [key]: { n: 1 } });
    const first = (await storageA.read([key]))[key].eTag as string;
    await storageA.write({ [key]: { n: 2, eTag: first } });
    const second = (await storageA.read([key]))[key];
    expect(second).toMatchObject({ n: 2 });
    expect(second.eTag).not.toBe(first);
  });

  it('refuses a write with a stale eTag and keeps the first writer’s data', async () => {
    const key = newKey();
    await storageA.write({ [key]: { step: 'start' } });

    const seenByA = (await storageA.read([key]))[key];
    const seenByB = (await storageB.read([key]))[key];
    expect(seenByA.eTag).toBe(seenByB.eTag);

    await storageA.write({ [key]: { ...seenByA, step: 'from A' } });
    const err = await conflictOf(storageB.write({ [key]: { ...seenByB, step: 'from B' } }));
    expect(err.key).toBe(key);

    expect((await storageB.read([key]))[key]).toMatchObject({ step: 'from A' });
  });

  it('lets exactly one of two concurrent writers with the same eTag win', async () => {
    const key = newKey();
    await storageA.write({ [key]: { v: 0 } });
    const { eTag } = (await storageA.read([key]))[key];

    const results = await Promise.allSettled([
      storageA.write({ [key]: { v: 'A', eTag } }),
      storageB.write({ [key]: { v: 'B', eTag } }),
    ]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ETagConflictError);
    expect((await storageA.read([key]))[key]).toMatchObject({ v: won === 0 ? 'A' : 'B' });
  });

  it("overwrites whatever is stored when written with eTag '*' or without an eTag", async () => {
    const key = newKey();
    await storageA.write({ [key]: { v: 1 } });
    await storageA.write({ [key]: { v: 2, eTag: (await storageA.read([key]))[key].eTag } });

    await storageB.write({ [key]: { v: 'star', eTag: '*' } });
    expect((await storageA.read([key]))[key]).toMatchObject({ v: 'star' });
    await storageB.write({ [key]: { v: 'none' } });
    expect((await storageA.read([key]))[key]).toMatchObject({ v: 'none' });
  });

  it('creates a missing item when written without an eTag, or with one when nobody created it yet', async () => {
    const key = newKey();
    await storageA.write({ [key]: { created: 'no etag' } });
    expect((await storageA.read([key]))[key]).toMatchObject({ created: 'no etag' });

    const other = newKey();
    await storageA.write({ [other]: { created: 'with etag', eTag: '41' } });
    expect((await storageA.read([other]))[other]).toMatchObject({ created: 'with etag' });
  });

  it('refuses an eTag that is not one it issued when the item exists', async () => {
    const key = newKey();
    await storageA.write({ [key]: { v: 1 } });
    await conflictOf(storageA.write({ [key]: { v: 2, eTag: 'not-an-etag' } }));
    await conflictOf(storageA.write({ [key]: { v: 2, eTag: '999999' } }));
    expect((await storageA.read([key]))[key]).toMatchObject({ v: 1 });
  });

  it('lets two bot instances see each other’s writes and deletes', async () => {
    const key = newKey();
    await storageA.write({ [key]: { by: 'A' } });
    const readByB = (await storageB.read([key]))[key];
    expect(readByB).toMatchObject({ by: 'A' });

    await storageB.write({ [key]: { ...readByB, by: 'B' } });
    expect((await storageA.read([key]))[key]).toMatchObject({ by: 'B' });

    await storageA.delete([key]);
    expect(await storageB.read([key])).toEqual({});
  });
});

describe('OptimisticConversationState', () => {
  const adapter = new TestAdapter();

  function turn(conversationId: string, text = 'hi'): TurnContext {
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      id: randomUUID(),
      channelId: 'test',
      serviceUrl: 'https://test.example/',
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'user-1', name: 'User' },
      recipient: { id: 'bot', name: 'Bot' },
      text,
    };
    return new TurnContext(adapter, activity);
  }

  /** One bot instance: its own storage (and database client) and its own ConversationState. */
  function instance(storage: PostgresStorage) {
    const state = new OptimisticConversationState(storage);
    return { state, locale: state.createProperty<string>('locale'), step: state.createProperty<string>('step') };
  }

  const storageKey = (conversationId: string) => `test/conversations/${conversationId}/`;

  it('fails the later of two instances that raced on one conversation, keeping the earlier one’s changes', async () => {
    const conversationId = randomUUID();
    const a = instance(storageA);
    const b = instance(storageB);

    // An earlier turn saved some state.
    const first = turn(conversationId);
    await a.locale.set(first, 'zh-CN');
    await a.state.saveChanges(first);

    // Two messages arrive at once and land on different instances.
    const onA = turn(conversationId, 'message 1');
    const onB = turn(conversationId, 'message 2');
    await a.state.load(onA);
    await b.state.load(onB);
    expect(await b.locale.get(onB)).toBe('zh-CN');

    await a.step.set(onA, 'from A');
    await b.step.set(onB, 'from B');
    await a.state.saveChanges(onA);
    await conflictOf(b.state.saveChanges(onB));

    const stored = (await storageA.read([storageKey(conversationId)]))[storageKey(conversationId)];
    expect(stored).toMatchObject({ locale: 'zh-CN', step: 'from A' });

    // The losing instance's next turn reads the winner's state and can save again.
    const retry = turn(conversationId, 'message 2 again');
    expect(await b.step.get(retry)).toBe('from A');
    await b.step.set(retry, 'from B after A');
    await b.state.saveChanges(retry);
    expect((await storageA.read([storageKey(conversationId)]))[storageKey(conversationId)]).toMatchObject({ locale: 'zh-CN', step: 'from B after A' });
  });

  it('fails the later of two instances that raced on the first turn of a new conversation', async () => {
    const conversationId = randomUUID();
    const a = instance(storageA);
    const b = instance(storageB);

    const onA = turn(conversationId, 'hello');
    const onB = turn(conversationId, 'hello?');
    await a.state.load(onA);
    await b.state.load(onB);
    await a.step.set(onA, 'from A');
    await b.step.set(onB, 'from B');

    await a.state.saveChanges(onA);
    await conflictOf(b.state.saveChanges(onB));
    expect((await storageA.read([storageKey(conversationId)]))[storageKey(conversationId)]).toMatchObject({ step: 'from A' });
  });

  it('saves several times in one turn with a single writer, keeping its eTag up to date', async () => {
    const conversationId = randomUUID();
    const a = instance(storageA);
    const key = storageKey(conversationId);

    const ctx = turn(conversationId);
    await a.locale.set(ctx, 'en');
    await a.state.saveChanges(ctx);
    await a.step.set(ctx, 'one');
    await a.state.saveChanges(ctx);
    await a.step.set(ctx, 'two');
    await a.state.saveChanges(ctx);

    const stored = (await storageA.read([key]))[key];
    expect(stored).toMatchObject({ locale: 'en', step: 'two' });
    expect(a.state.get(ctx)?.eTag).toBe(stored.eTag);

    // Saving without changes writes nothing; a forced save still passes the ETag check.
    await a.state.saveChanges(ctx);
    expect((await storageA.read([key]))[key].eTag).toBe(stored.eTag);
    await a.state.saveChanges(ctx, true);
    expect((await storageA.read([key]))[key].eTag).not.toBe(stored.eTag);

    // The next turn, on the other instance, builds on it.
    const b = instance(storageB);
    const next = turn(conversationId);
    expect(await b.step.get(next)).toBe('two');
    await b.step.set(next, 'three');
    await b.state.saveChanges(next);
    expect((await storageA.read([key]))[key]).toMatchObject({ locale: 'en', step: 'three' });
  });

  it('clears a conversation’s state, conditionally when it was read this turn', async () => {
    const conversationId = randomUUID();
    const key = storageKey(conversationId);
    const a = instance(storageA);
    const b = instance(storageB);
    const seed = turn(conversationId);
    await a.step.set(seed, 'one');
    await a.state.saveChanges(seed);

    // Read, then cleared and saved: the stored state is empty.
    const ctx = turn(conversationId);
    await a.state.load(ctx);
    await a.state.clear(ctx);
    await a.state.saveChanges(ctx);
    expect((await storageA.read([key]))[key]).toEqual({ eTag: expect.any(String) });

    // Read, changed elsewhere, then cleared: the clear does not wipe the other instance's change.
    const stale = turn(conversationId);
    await a.state.load(stale);
    const other = turn(conversationId);
    await b.step.set(other, 'from B');
    await b.state.saveChanges(other);
    await a.state.clear(stale);
    await conflictOf(a.state.saveChanges(stale));
    expect((await storageA.read([key]))[key]).toMatchObject({ step: 'from B' });

    // Cleared without reading it this turn: overwrites, as botbuilder's ConversationState does.
    const blind = turn(conversationId);
    await a.state.clear(blind);
    await a.state.saveChanges(blind);
    expect((await storageA.read([key]))[key]).toEqual({ eTag: expect.any(String) });
  });

  it('notices a change made by another instance between two saves of one turn', async () => {
    const conversationId = randomUUID();
    const a = instance(storageA);
    const b = instance(storageB);

    const ctx = turn(conversationId);
    await a.step.set(ctx, 'one');
    await a.state.saveChanges(ctx);

    const meanwhile = turn(conversationId);
    await b.step.set(meanwhile, 'from B');
    await b.state.saveChanges(meanwhile);

    await a.step.set(ctx, 'two');
    await conflictOf(a.state.saveChanges(ctx));
    expect((await storageA.read([storageKey(conversationId)]))[storageKey(conversationId)]).toMatchObject({ step: 'from B' });
  });
});
