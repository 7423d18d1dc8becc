// The event hash chain on the real PostgreSQL: every writer's events are chained by the trigger,
// Node's recomputation agrees with the database byte for byte, and whatever a DBA changes past the
// triggers — an edit, a deleted event (also the newest), an inserted one, a reordering — is named
// by complaint number and event id.
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalEventText, hashEvent } from '../../services/audit/event-hash';
import { verifyAuditChains } from '../../services/audit/verify-chains';
import { recordComplaintEvent } from '../../services/complaints/record-event';
import { privateDatabase, type PrivateDatabase } from '../sla/sla-support';
import { eventIds, fileComplaintWithHistory, tamper } from './audit-support';

let pdb: PrivateDatabase;
let pg: Client;

beforeAll(async () => {
  pdb = await privateDatabase();
  pg = new Client({ connectionString: pdb.url });
  await pg.connect();
});

afterAll(async () => {
  await pg?.end();
  await pdb?.drop();
});

async function verify(complaintNumber?: string) {
  return verifyAuditChains({ db: pg, complaintNumber, batchSize: 2 });
}

describe('the heads the trigger keeps', () => {
  it('refuses a direct INSERT, UPDATE, DELETE or TRUNCATE of an audit head; new events still move it', async () => {
    const filed = await fileComplaintWithHistory(pdb.db);
    const other = await fileComplaintWithHistory(pdb.db);
    const headOf = async (id: string) => (await pg.query('SELECT event_count, head_hash FROM complaint_audit_head WHERE complaint_id = $1', [id])).rows[0];
    const before = await headOf(filed.id);
    await expect(pg.query(`UPDATE complaint_audit_head SET head_hash = repeat('0', 64) WHERE complaint_id = $1`, [filed.id])).rejects.toThrow(/kept by the audit chain trigger only/);
    await expect(pg.query('DELETE FROM complaint_audit_head WHERE complaint_id = $1', [filed.id])).rejects.toThrow(/kept by the audit chain trigger only/);
    await expect(pg.query('TRUNCATE complaint_audit_head')).rejects.toThrow(/kept by the audit chain trigger only/);
    // A head for a complaint that has one already, or a forged one: refused before the key is even checked.
    await expect(pg.query(`INSERT INTO complaint_audit_head VALUES ($1, 1, repeat('0', 64), now())`, [other.id])).rejects.toThrow(/kept by the audit chain trigger only/);
    expect(await headOf(filed.id)).toEqual(before);

    await pdb.db.$transaction((tx) => recordComplaintEvent(tx, { complaintId: filed.id, type: 'note.added', actor: { type: 'system', id: 'test' }, payload: {} }));
    const after = await headOf(filed.id);
    expect(after.event_count).toBe(before.event_count + 1);
    expect(after.head_hash).not.toBe(before.head_hash);
    expect((await verify(filed.number)).problems).toEqual([]);
  });
});

describe('the chain the trigger writes', () => {
  it('chains every event of a complaint in order, and Node computes the same canonical text and hash as PostgreSQL', async () => {
    const filed = await fileComplaintWithHistory(pdb.db);
    // A payload whose key order, numbers, escapes and characters all have to survive canonicalisation.
    await pdb.db.$transaction((tx) =>
      recordComplaintEvent(tx, {
        complaintId: filed.id,
        type: 'note.added "quoted"\n',
        actor: { type: 'staff', id: '员工\u0001😀', channel: null },
        payload: { z: 1.5, a: [1, { y: null, b: '\\/\t"' }], 长: '中文 é', n: 12345678901234567890, t: true },
        occurredAt: new Date('2026-11-28T03:04:05.007Z'),
      }),
    );
    const { rows } = await pg.query(
      `SELECT complaint_id, seq, id::text AS id, type, actor_type::text AS actor_type, actor_id, channel, payload::text AS payload_text, occurred_at, prev_hash, hash,
              jsonb_build_array('v1', complaint_id::text, seq, id, type, actor_type::text, actor_id, channel, payload,
                to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), prev_hash)::text AS pg_text
       FROM complaint_event WHERE complaint_id = $1 ORDER BY seq`,
      [filed.id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0].prev_hash).toBeNull();
    for (const [i, r] of rows.entries()) {
      const row = { complaintId: r.complaint_id, seq: r.seq, id: r.id, type: r.type, actorType: r.actor_type, actorId: r.actor_id, channel: r.channel, payloadText: r.payload_text, occurredAt: r.occurred_at, prevHash: r.prev_hash };
      expect(canonicalEventText(row)).toBe(r.pg_text);
      expect(hashEvent(row)).toBe(r.hash);
      if (i > 0) expect(r.prev_hash).toBe(rows[i - 1].hash);
    }
    const head = await pg.query('SELECT event_count, head_hash FROM complaint_audit_head WHERE complaint_id = $1', [filed.id]);
    expect(head.rows[0]).toEqual({ event_count: rows.length, head_hash: rows.at(-1).hash });
    expect((await verify(filed.number)).problems).toEqual([]);
  });

  it('keeps one unbroken chain when many transactions append to the same complaint at once', async () => {
    const filed = await fileComplaintWithHistory(pdb.db);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pdb.db.$transaction((tx) => recordComplaintEvent(tx, { complaintId: filed.id, type: 'note.added', actor: { type: 'system', id: `racer-${i}` }, payload: { i } })),
      ),
    );
    const result = await verify(filed.number);
    expect(result.problems).toEqual([]);
    expect(result.events).toBeGreaterThanOrEqual(22);
  });

  it('still refuses UPDATE and DELETE through the normal path', async () => {
    const filed = await fileComplaintWithHistory(pdb.db);
    await expect(pg.query('DELETE FROM complaint_event WHERE complaint_id = $1', [filed.id])).rejects.toThrow(/append-only/);
  });
});

describe('tampering past the triggers', () => {
  it('finds each kind of change, naming the complaint number and the event, and nothing on intact complaints', async () => {
    const intact = await fileComplaintWithHistory(pdb.db);
    const cases = await Promise.all(Array.from({ length: 7 }, () => fileComplaintWithHistory(pdb.db)));
    const [edited, rehashed, deletedMiddle, deletedLast, inserted, reordered, wiped] = cases as [typeof intact, typeof intact, typeof intact, typeof intact, typeof intact, typeof intact, typeof intact];
    const ids = Object.fromEntries(await Promise.all(cases.map(async (c) => [c.id, await eventIds(pdb.url, c.id)] as const)));
    expect((await verify()).problems).toEqual([]);

    const second = (c: { id: string }) => ids[c.id]![1]!;
    const last = (c: { id: string }) => ids[c.id]!.at(-1)!;
    await tamper(pdb.url, `UPDATE complaint_event SET payload = payload || '{"to":"closed"}' WHERE id = $1`, [second(edited)]);
    // A careful editor also recomputes the edited event's own hash: the next event no longer follows it.
    await tamper(pdb.url, `UPDATE complaint_event e SET actor_id = 'someone-else', hash = NULL WHERE id = $1;`, [second(rehashed)]);
    await tamper(pdb.url, `UPDATE complaint_event e SET hash = complaint_event_hash(e) WHERE id = $1`, [second(rehashed)]);
    await tamper(pdb.url, 'DELETE FROM complaint_event WHERE id = $1', [second(deletedMiddle)]);
    await tamper(pdb.url, 'DELETE FROM complaint_event WHERE id = $1', [last(deletedLast)]);
    await tamper(pdb.url, `INSERT INTO complaint_event (complaint_id, type, actor_type, payload) VALUES ($1, 'status.changed', 'staff', '{"to":"closed"}')`, [inserted.id]);
    for (const [from, to] of [[1, -1], [2, 1], [-1, 2]]) {
      await tamper(pdb.url, 'UPDATE complaint_event SET seq = $3 WHERE complaint_id = $1 AND seq = $2', [reordered.id, from, to]);
    }
    await tamper(pdb.url, 'DELETE FROM complaint_event WHERE complaint_id = $1', [wiped.id]);
    await tamper(pdb.url, 'DELETE FROM complaint_audit_head WHERE complaint_id = $1', [wiped.id]);

    const result = await verify();
    const found = Object.fromEntries(result.problems.map((p) => [p.complaintNumber, p]));
    expect(Object.keys(found).sort()).toEqual(cases.map((c) => c.number).sort());
    expect(found[intact.number]).toBeUndefined();
    expect(found[edited.number]).toMatchObject({ eventId: second(edited), problem: expect.stringMatching(/edited/) });
    const afterRehashed = ids[rehashed.id]![2] ?? null;
    expect(found[rehashed.number]).toMatchObject({ eventId: afterRehashed ?? second(rehashed) });
    expect(found[deletedMiddle.number]).toMatchObject({ eventId: ids[deletedMiddle.id]![2] ?? null, problem: expect.stringMatching(/missing|deleted/) });
    expect(found[deletedLast.number]).toMatchObject({ eventId: ids[deletedLast.id]!.at(-2), problem: expect.stringMatching(/newest 1 event/) });
    expect(found[inserted.number]!.problem).toMatch(/inserted/);
    expect(found[reordered.number]).toMatchObject({ eventId: ids[reordered.id]![1], problem: expect.stringMatching(/does not follow/) });
    expect(found[wiped.number]!.problem).toMatch(/no recorded events/);
  });
});
