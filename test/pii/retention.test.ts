// Retention: a complaint closed more than 3 years ago (securities: 5) loses its personal data and keeps
// its statistics; the complainant's contact data goes only when no complaint of theirs is still within
// retention; idempotent; run by the daily BullMQ job as well as the CLI's code path. Private database:
// the pass sweeps every complaint, and the clock is moved years on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Database } from '../../services/db/client';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { createLogger } from '../../services/logger';
import { appendTranscriptMessage } from '../../services/transcripts/transcript-store';
import { runRetention } from '../../services/retention/run-retention';
import { startRetentionRuntime } from '../../services/retention/retention-job';
import { retentionCutoff } from '../../services/retention/retention-period';
import { developmentPiiKeyring } from '../../services/pii/pii-keys';
import { fileFor, linkTranscript, newPerson, privatePiiDatabase, type Person, type PrivatePiiDatabase } from './pii-support';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLOSED = new Date('2026-10-10T10:00:00+08:00');
const years = (n: number, days = 1) => new Date(Date.UTC(CLOSED.getUTCFullYear() + n, CLOSED.getUTCMonth(), CLOSED.getUTCDate() + days, CLOSED.getUTCHours()));

let store: PrivatePiiDatabase;
let db: Database;
const people: Record<'ins' | 'sec' | 'repeat', Person> = { ins: newPerson(), sec: newPerson(), repeat: newPerson() };
const ids: Record<'ins' | 'sec' | 'oldOfRepeat' | 'newOfRepeat', string> = { ins: '', sec: '', oldOfRepeat: '', newOfRepeat: '' };

async function close(complaintId: string, at: Date) {
  // Test set-up only: the statuses between are not what this file is about.
  await store.raw.query(`UPDATE complaint SET status = 'closed', closed_at = $2, resolved_at = $2 WHERE id = $1`, [complaintId, at]);
}

async function rawComplaint(id: string) {
  return (await store.raw.query('SELECT type::text, tier::text, business_line::text, accepted_at, closed_at, claimed_loss_yuan::text, reference_number, channel_user_id, description, anonymised_at FROM complaint WHERE id = $1', [id])).rows[0];
}
async function rawComplainantOf(complaintId: string) {
  return (await store.raw.query('SELECT p.name, p.phone, p.email, p.phone_hash, p.email_hash, p.anonymised_at FROM complainant p JOIN complaint c ON c.complainant_id = p.id WHERE c.id = $1', [complaintId])).rows[0];
}

beforeAll(async () => {
  store = await privatePiiDatabase();
  db = store.connect(developmentPiiKeyring());
  const accepted = new Date('2026-09-28T10:00:00+08:00');
  ids.ins = (await fileFor(db, people.ins, { now: accepted })).id;
  ids.sec = (await fileFor(db, people.sec, { now: accepted, businessLine: 'securities' })).id;
  ids.oldOfRepeat = (await fileFor(db, people.repeat, { now: accepted })).id;
  ids.newOfRepeat = (await fileFor(db, people.repeat, { now: new Date('2029-09-01T10:00:00+08:00') })).id;
  await close(ids.ins, CLOSED);
  await close(ids.sec, CLOSED);
  await close(ids.oldOfRepeat, CLOSED);
  await close(ids.newOfRepeat, new Date('2029-10-10T10:00:00+08:00'));
  const key = { channelId: 'test-retention', conversationId: `conv-${randomUUID()}` };
  await appendTranscriptMessage(db, { ...key, direction: 'inbound', actorType: 'customer', text: `我是${people.ins.name}，请打我电话`, occurredAt: accepted });
  await linkTranscript(db, { ...key, complaintId: ids.ins });
}, 60_000);
afterAll(async () => {
  await store?.drop();
});

describe('retention period', () => {
  it('is 3 years for insurance and 5 for securities from the policy, 29 Feb counted to 28 Feb', () => {
    const now = new Date('2031-05-01T00:00:00Z');
    expect(retentionCutoff(DEFAULT_POLICY, 'insurance', now).toISOString()).toBe('2028-05-01T00:00:00.000Z');
    expect(retentionCutoff(DEFAULT_POLICY, 'securities', now).toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(retentionCutoff({ retention: { insuranceYears: 1, securitiesYears: 5 } }, 'insurance', new Date('2028-02-29T12:00:00Z')).toISOString()).toBe('2027-02-28T12:00:00.000Z');
  });
});

describe('the retention pass', () => {
  it('does nothing one day before three years', async () => {
    const report = await runRetention({ db, policy: DEFAULT_POLICY, now: years(3, -1) });
    expect(report.byLine.map((l) => l.anonymised)).toEqual([0, 0]);
    expect((await rawComplaint(ids.ins)).anonymised_at).toBeNull();
  });

  it('a dry run three years on counts what is due and changes nothing', async () => {
    const report = await runRetention({ db, policy: DEFAULT_POLICY, now: years(3), dryRun: true });
    expect(report.byLine).toEqual([
      expect.objectContaining({ line: 'insurance', years: 3, due: 2, anonymised: 0 }),
      expect.objectContaining({ line: 'securities', years: 5, due: 0, anonymised: 0 }),
    ]);
    expect((await rawComplaint(ids.ins)).anonymised_at).toBeNull();
  });

  it('three years on: insurance complaints anonymised, statistics kept; securities untouched; a complainant with a newer complaint keeps their contact data', async () => {
    const before = await rawComplaint(ids.ins);
    const report = await runRetention({ db, policy: DEFAULT_POLICY, now: years(3) });
    expect(report.byLine.find((l) => l.line === 'insurance')!.anonymised).toBe(2);
    expect(report.complainantsAnonymised).toBe(1);

    const after = await rawComplaint(ids.ins);
    expect(after).toMatchObject({ type: before.type, tier: before.tier, business_line: 'insurance', claimed_loss_yuan: '8888.50', reference_number: null, channel_user_id: null });
    expect(after.accepted_at).toEqual(before.accepted_at);
    expect(after.closed_at).toEqual(before.closed_at);
    expect(after.anonymised_at).toEqual(years(3));
    // The description is encrypted at rest: scrubbed of the personal values, the matter itself readable through the app.
    expect(after.description).toMatch(/^enc:v1:/);
    const { description } = await db.complaint.findUniqueOrThrow({ where: { id: ids.ins }, select: { description: true } });
    for (const value of [people.ins.name, people.ins.phone, people.ins.email, people.ins.referenceNumber]) expect(description).not.toContain(value);
    expect(description).toContain('理赔被拒'); // the matter itself stays readable
    expect(await rawComplainantOf(ids.ins)).toMatchObject({ phone: null, email: null, phone_hash: null, email_hash: null });
    expect((await db.complaint.findUniqueOrThrow({ where: { id: ids.ins }, select: { complainant: { select: { name: true } } } })).complainant.name).toBe('[已匿名]');
    const transcript = (await store.raw.query('SELECT text FROM transcript_message WHERE complaint_id = $1', [ids.ins])).rows.map((r) => r.text).join();
    expect(transcript).not.toContain(people.ins.name);

    // The complainant of the repeat: old complaint anonymised, contact data kept for the newer one.
    expect((await rawComplaint(ids.oldOfRepeat)).reference_number).toBeNull();
    const kept = await db.complaint.findUniqueOrThrow({ where: { id: ids.newOfRepeat }, select: { referenceNumber: true, complainant: { select: { name: true, phone: true } } } });
    expect(kept).toEqual({ referenceNumber: people.repeat.referenceNumber, complainant: { name: people.repeat.name, phone: people.repeat.phone } });

    // Securities: five years, not yet.
    expect((await rawComplaint(ids.sec)).anonymised_at).toBeNull();
    expect((await db.complaint.findUniqueOrThrow({ where: { id: ids.sec }, select: { referenceNumber: true } })).referenceNumber).toBe(people.sec.referenceNumber);

    // The event: field names and counts, no values.
    const events = await db.complaintEvent.findMany({ where: { complaintId: ids.ins, type: 'complaint.anonymised' } });
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ retentionYears: 3, complainantAnonymised: true, scrubbed: { transcriptMessages: 1 } });
    expect(JSON.stringify(events[0]!.payload)).not.toMatch(new RegExp(`${people.ins.phone}|${people.ins.name}`));
  });

  it('is idempotent: a second pass the same day changes nothing and records no second event', async () => {
    const report = await runRetention({ db, policy: DEFAULT_POLICY, now: years(3, 2) });
    expect(report.byLine.map((l) => l.anonymised)).toEqual([0, 0]);
    expect(await db.complaintEvent.count({ where: { complaintId: { in: [ids.ins, ids.oldOfRepeat] }, type: 'complaint.anonymised' } })).toBe(2);
  });

  it('five years on, the daily job anonymises the securities complaint', async () => {
    const queueName = `retention-test-${randomBytes(4).toString('hex')}`;
    const runtime = await startRetentionRuntime({ db, policy: DEFAULT_POLICY, log: createLogger({ level: 'silent' }), redisUrl: REDIS_URL, clock: () => years(5), runWorker: true, queueName });
    try {
      await expect.poll(async () => (await rawComplaint(ids.sec)).anonymised_at, { timeout: 15_000 }).toEqual(years(5));
      expect(await rawComplainantOf(ids.sec)).toMatchObject({ phone: null, email: null });
      // The repeat complainant's newer complaint closed in 2029: still within retention.
      expect((await rawComplaint(ids.newOfRepeat)).anonymised_at).toBeNull();
      const schedulers = await runtime.queue.getJobSchedulers();
      expect(schedulers.map((s) => s.pattern)).toEqual(['30 3 * * *']);
    } finally {
      await runtime.close();
      const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
