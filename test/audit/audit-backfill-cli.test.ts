// The migration chains the events recorded before it (in the order they were written), new events
// continue those chains, and `npm run audit:verify` tells an operator the result: exit 0 when
// intact, 1 naming the complaint number and event id when not, --json and --heads for machines.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChains } from '../../services/audit/verify-chains';
import { migrate } from '../../services/db/migrate';
import { createTestDatabase } from '../support/database';
import { expectNoStackTrace, runEntry } from '../support/run-entry';
import { tamper } from './audit-support';

const MIGRATIONS = new URL('../../prisma/migrations/', import.meta.url).pathname;
const AUDIT_MIGRATION = '20261128159000_audit_chain';

let database: { url: string; drop(): Promise<void> };
let pg: Client;
let olderMigrations: string;
let anchorFile: string;
const complaints: Array<{ id: string; number: string }> = [];

async function insertComplaintWithEvents(n: number, events: number): Promise<void> {
  const person = randomUUID();
  const id = randomUUID();
  const number = `TS20261128-9${String(n).padStart(5, '0')}`;
  await pg.query(`INSERT INTO complainant (id, name, phone, phone_hash, updated_at) VALUES ($1::uuid, 'x', '13900000000', md5($2), now())`, [person, person]);
  await pg.query(
    `INSERT INTO complaint (id, number, accepted_day, daily_seq, complainant_id, business_line, type, description, feedback_method,
       intake_channel, channel_id, policy_version, accepted_at, updated_at)
     VALUES ($1, $2, '20261128', $3, $4, 'insurance', 'claims_dispute', 'd', 'phone', 'online_chat', 'webchat', 'test', now(), now())`,
    [id, number, 900_000 + n, person],
  );
  for (let i = 0; i < events; i++) {
    await pg.query(
      `INSERT INTO complaint_event (complaint_id, type, actor_type, actor_id, payload, occurred_at) VALUES ($1, $2, 'system', $3, $4, $5)`,
      [id, `test.event${i}`, i % 2 ? null : '中文 "id"', JSON.stringify({ i, b: [1.25, { z: 'é\n' }], a: null }), new Date(Date.UTC(2026, 10, 28, 1, 2, 3, i))],
    );
  }
  complaints.push({ id, number });
}

beforeAll(async () => {
  database = await createTestDatabase();
  olderMigrations = mkdtempSync(path.join(tmpdir(), 'audit-migrations-'));
  anchorFile = path.join(olderMigrations, 'heads.txt');
  for (const entry of readdirSync(MIGRATIONS)) {
    if (entry < AUDIT_MIGRATION || entry === 'migration_lock.toml') cpSync(path.join(MIGRATIONS, entry), path.join(olderMigrations, entry), { recursive: true });
  }
  await migrate({ databaseUrl: database.url, migrationsDir: olderMigrations, log: () => {} });
  pg = new Client({ connectionString: database.url });
  await pg.connect();
  await insertComplaintWithEvents(1, 3);
  await insertComplaintWithEvents(2, 2);
  await migrate({ databaseUrl: database.url, log: () => {} });
}, 60_000);

afterAll(async () => {
  await pg?.end();
  await database?.drop();
  if (olderMigrations) rmSync(olderMigrations, { recursive: true, force: true });
});

function readHeads(file: string) {
  return new Map(readFileSync(file, 'utf8').split('\n').filter((l) => /^TS/.test(l)).map((l) => {
    const [number, seq, hash] = l.split(' ');
    return [number!, { seq: Number(seq), hash: hash! }] as const;
  }));
}

function auditVerify(...args: string[]) {
  return runEntry(['--import', 'tsx', 'scripts/audit-verify.ts', ...args], { DATABASE_URL: database.url, NODE_ENV: 'test' });
}

describe('the audit chain migration', () => {
  it('chains the events recorded before it in the order they were written, and new events continue the chain', async () => {
    const { rows } = await pg.query(`SELECT complaint_id, seq, id::text FROM complaint_event ORDER BY id`);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 1, 2]);
    await pg.query(`INSERT INTO complaint_event (complaint_id, type, actor_type) VALUES ($1, 'note.added', 'staff')`, [complaints[0]!.id]);
    const result = await verifyAuditChains({ db: pg });
    expect(result).toMatchObject({ complaints: 2, events: 6, problems: [] });
  });
});

describe('npm run audit:verify', () => {
  it('exits 0 on an intact history, prints a heads digest, and exits 1 naming the complaint and event after an edit', async () => {
    const intact = await auditVerify('--heads', '--heads-out', anchorFile);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/^intact: 2 complaints, 6 events checked/m);
    expect(readFileSync(anchorFile, 'utf8')).toMatch(new RegExp(`^${complaints[0]!.number} 4 [0-9a-f]{64}$`, 'm'));
    const digest = /sha256:([0-9a-f]{64})/.exec(intact.stdout)?.[1];
    expect(digest).toBeDefined();

    const { rows } = await pg.query(`SELECT id::text FROM complaint_event WHERE complaint_id = $1 AND seq = 2`, [complaints[1]!.id]);
    await tamper(database.url, `UPDATE complaint_event SET occurred_at = occurred_at + interval '1 day' WHERE id = $1`, [rows[0].id]);
    const broken = await auditVerify('--heads');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`TAMPERED complaint ${complaints[1]!.number} event ${rows[0].id}:`);
    expect(broken.stdout).toMatch(/1 complaint\(s\) with a broken history: 2 complaints, 6 events/);
    expectNoStackTrace(broken.stdout + broken.stderr);
    // The published digest no longer matches once the history changed.
    expect(broken.stdout).toMatch(/sha256:[0-9a-f]{64}/);
    expect(broken.stdout).not.toContain(digest);

    const json = await auditVerify('--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false, complaints: 2, problems: [{ complaintNumber: complaints[1]!.number, eventId: rows[0].id }],
    });

    const one = await auditVerify('--complaint', complaints[0]!.number);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^intact: 1 complaints, 4 events/m);
  }, 60_000);

  it('--anchor catches a history rewritten consistently (chain and head recomputed) against heads kept outside the database', async () => {
    // anchorFile: written by --heads-out in the test before, as a daily job would.
    const target = complaints[0]!;
    expect((await verifyAuditChains({ db: pg, complaintNumber: target.number, anchors: readHeads(anchorFile) })).problems).toEqual([]);
    // A DBA rewrites event 1 and recomputes every hash after it and the head: the chain is intact again…
    await tamper(database.url, `
      UPDATE complaint_event SET payload = '{"rewritten":true}' WHERE complaint_id = '${target.id}' AND seq = 1;
      DO $$ DECLARE e complaint_event; prev char(64); BEGIN
        FOR e IN SELECT * FROM complaint_event WHERE complaint_id = '${target.id}' ORDER BY seq LOOP
          e.prev_hash := prev; e.hash := complaint_event_hash(e);
          UPDATE complaint_event SET prev_hash = e.prev_hash, hash = e.hash WHERE id = e.id; prev := e.hash;
        END LOOP;
        UPDATE complaint_audit_head SET head_hash = prev WHERE complaint_id = '${target.id}';
      END $$;`);
    expect((await verifyAuditChains({ db: pg, complaintNumber: target.number })).problems).toEqual([]);
    // …but not the one anchored outside the database.
    const anchored = await auditVerify('--complaint', target.number, '--anchor', anchorFile);
    expect(anchored.code).toBe(1);
    expect(anchored.stdout).toMatch(new RegExp(`TAMPERED complaint ${target.number} event \\d+: the history differs from the anchored head`));
  }, 60_000);
});
