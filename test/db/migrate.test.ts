// The offline migrator against real PostgreSQL: each test that changes migration state gets an
// empty database of its own.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checksumMatches,
  DEFAULT_MIGRATIONS_DIR,
  migrate,
  migrationChecksum,
  MigrationError,
  MIGRATION_LOCK_KEY,
} from '../../services/db/migrate';
import { describeDatabaseConnectionError, describeRedisConnectionError } from '../../services/db/connection-errors';
import { createTestDatabase, testDatabaseUrl } from '../support/database';

const INIT = '20261128000000_init';
const initSql = readFileSync(path.join(DEFAULT_MIGRATIONS_DIR, INIT, 'migration.sql'));
/** Every migration the project ships, in the order they apply. */
const ALL = readdirSync(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const shippedChecksum = (name: string) => migrationChecksum(readFileSync(path.join(DEFAULT_MIGRATIONS_DIR, name, 'migration.sql')));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freshDatabase(): Promise<string> {
  const db = await createTestDatabase();
  cleanups.push(db.drop);
  return db.url;
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function migrationRows(url: string) {
  return withClient(url, async (c) => (await c.query('SELECT * FROM _prisma_migrations ORDER BY started_at')).rows);
}

/** A copy of prisma/migrations in a temporary directory, for tests that add migrations. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

async function expectMigrationError(promise: Promise<unknown>, migration: string, pattern: RegExp): Promise<MigrationError> {
  const err = await promise.then(
    () => expect.fail('migrate() should have thrown'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MigrationError);
  const error = err as MigrationError;
  expect(error.migration).toBe(migration);
  expect(error.message).toContain(migration);
  expect(error.message).toMatch(pattern);
  return error;
}

describe('migrate()', () => {
  it('applies the init migration to an empty database and records it as Prisma does', async () => {
    const url = await freshDatabase();
    const messages: string[] = [];

    const result = await migrate({ databaseUrl: url, log: (msg) => messages.push(msg) });

    expect(result.applied).toEqual(ALL);
    expect(messages).toContain(`applied migration ${INIT}`);
    const rows = await migrationRows(url);
    expect(rows).toHaveLength(ALL.length);
    expect(rows[0]).toMatchObject({
      migration_name: INIT,
      checksum: migrationChecksum(initSql),
      rolled_back_at: null,
      logs: null,
      applied_steps_count: 1,
    });
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
    expect(rows[0].started_at).toBeInstanceOf(Date);

    // The tables exist.
    const tables = await withClient(url, async (c) =>
      (await c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).rows.map(
        (r) => r.table_name,
      ),
    );
    expect(tables).toEqual(expect.arrayContaining(['complaint', 'complaint_event', 'bot_state', '_prisma_migrations']));
  });

  it("keeps _prisma_migrations in Prisma's exact layout", async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    const columns = await withClient(url, async (c) =>
      (
        await c.query(
          `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
             FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
        )
      ).rows,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', len: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', len: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', len: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', len: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', len: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', len: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', len: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', len: null, is_nullable: 'NO', column_default: '0' },
    ]);
    const pk = await withClient(url, async (c) =>
      (
        await c.query(
          `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = '_prisma_migrations'::regclass AND i.indisprimary`,
        )
      ).rows,
    );
    expect(pk).toEqual([{ attname: 'id' }]);
  });

  it('applies nothing when run again', async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    const messages: string[] = [];

    const again = await migrate({ databaseUrl: url, log: (msg) => messages.push(msg) });

    expect(again.applied).toEqual([]);
    expect(messages).toContain('database is up to date');
    expect(await migrationRows(url)).toHaveLength(ALL.length);
  });

  it('applies each migration exactly once when 4 processes migrate a fresh database at once', async () => {
    const url = await freshDatabase();

    const results = await Promise.all([1, 2, 3, 4].map(() => migrate({ databaseUrl: url })));

    expect(results.flatMap((r) => r.applied)).toEqual(ALL);
    const rows = await migrationRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(ALL);
  });

  it('creates a missing database, also when several processes race to create it', async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    await db.drop(); // the name is now free: migrate() must create it

    const results = await Promise.all([1, 2, 3, 4].map(() => migrate({ databaseUrl: db.url })));

    expect(results.flatMap((r) => r.applied)).toEqual(ALL);
    expect((await migrationRows(db.url)).map((r) => r.migration_name)).toEqual(ALL);
  });

  it('waits while another session holds the migration lock', async () => {
    const url = await freshDatabase();
    const holder = new Client({ connectionString: url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const messages: string[] = [];

    let settled = false;
    const running = migrate({ databaseUrl: url, log: (msg) => messages.push(msg) }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toBe(false);
    expect(messages.some((m) => m.includes('waiting for the migration lock'))).toBe(true);

    await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    expect((await running).applied).toEqual(ALL);

    // migrate() released its own lock: another session can take it at once.
    const free = await holder.query('SELECT pg_try_advisory_lock($1) AS ok', [MIGRATION_LOCK_KEY]);
    expect(free.rows[0].ok).toBe(true);
  });

  it('applies new migrations in name order, each recorded with its own checksum', async () => {
    const url = await freshDatabase();
    const dir = copyOfMigrations();
    await migrate({ databaseUrl: url, migrationsDir: dir });
    const second = '20261201000000_add_note';
    const third = '20261202000000_add_note_index';
    addMigration(dir, third, 'CREATE INDEX "bot_state_note_idx" ON "bot_state"("note");\n');
    addMigration(dir, second, 'ALTER TABLE "bot_state" ADD COLUMN "note" TEXT;\n');

    const result = await migrate({ databaseUrl: url, migrationsDir: dir });

    expect(result.applied).toEqual([second, third]);
    const rows = await migrationRows(url);
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual([
      ...ALL.map((name) => [name, shippedChecksum(name)]),
      [second, migrationChecksum('ALTER TABLE "bot_state" ADD COLUMN "note" TEXT;\n')],
      [third, migrationChecksum('CREATE INDEX "bot_state_note_idx" ON "bot_state"("note");\n')],
    ]);
  });

  it('rolls a failing migration back completely, records nothing and names it', async () => {
    const url = await freshDatabase();
    const dir = copyOfMigrations();
    const bad = '20261201000000_broken';
    addMigration(dir, bad, 'CREATE TABLE "half_done" ("id" INT);\nALTER TABLE "bot_state" ADD COLUMN "x" no_such_type;\n');

    const error = await expectMigrationError(migrate({ databaseUrl: url, migrationsDir: dir }), bad, /rolled back/);
    expect(error.message).toContain('type "no_such_type" does not exist (line 2: ALTER TABLE "bot_state" ADD COLUMN "x" no_such_type;)');

    // The init migration went through in its own transaction; nothing of the broken one remains.
    expect((await migrationRows(url)).map((r) => r.migration_name)).toEqual(ALL);
    const halfDone = await withClient(url, async (c) => (await c.query(`SELECT to_regclass('half_done') AS t`)).rows[0].t);
    expect(halfDone).toBeNull();
  });

  it('refuses to continue when an applied migration was changed (checksum differs)', async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    await withClient(url, (c) => c.query(`UPDATE _prisma_migrations SET checksum = $1`, ['0'.repeat(64)]));

    await expectMigrationError(migrate({ databaseUrl: url }), INIT, /modified after it was applied.*checksum/s);
  });

  it('refuses to continue when an applied migration is missing on disk', async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    const ghost = '20261130000000_ghost';
    await withClient(url, (c) =>
      c.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), 1)`,
        [randomUUID(), 'a'.repeat(64), ghost],
      ),
    );

    await expectMigrationError(migrate({ databaseUrl: url }), ghost, /does not exist.*Restore it/s);
  });

  it('refuses to continue after a failed earlier attempt, and resumes once it is marked applied', async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url });
    await withClient(url, (c) => c.query(`UPDATE _prisma_migrations SET finished_at = NULL, logs = 'boom'`));

    await expectMigrationError(migrate({ databaseUrl: url }), INIT, /failed on an earlier attempt.*rolled_back_at/s);

    // The repair the message offers for a migration that is in fact complete.
    await withClient(url, (c) =>
      c.query(`UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1, logs = NULL`),
    );
    expect((await migrate({ databaseUrl: url })).applied).toEqual([]);
  });

  it('ignores rolled-back attempts and applies the migration again', async () => {
    const url = await freshDatabase();
    const dir = copyOfMigrations();
    await migrate({ databaseUrl: url, migrationsDir: dir });
    const name = '20261201000000_add_note';
    addMigration(dir, name, 'ALTER TABLE "bot_state" ADD COLUMN "note" TEXT;\n');
    await withClient(url, (c) =>
      c.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, rolled_back_at, applied_steps_count)
         VALUES ($1, $2, $3, 'failed earlier', now(), 0)`,
        [randomUUID(), 'b'.repeat(64), name],
      ),
    );

    expect((await migrate({ databaseUrl: url, migrationsDir: dir })).applied).toEqual([name]);
  });

  it('refuses a non-empty database that has no migration history', async () => {
    const url = await freshDatabase();
    await withClient(url, (c) => c.query('CREATE TABLE "someone_elses" ("id" INT)'));

    const err = await migrate({ databaseUrl: url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/not empty.*someone_elses/s);
  });

  it('matches checksums the way Prisma does (line endings, unpadded legacy digits)', () => {
    const lf = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(migrationChecksum('hello')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(checksumMatches(crlf, migrationChecksum(lf))).toBe(true);
    expect(checksumMatches(lf, migrationChecksum(crlf))).toBe(true);
    expect(checksumMatches(`${lf}-- edited\n`, migrationChecksum(lf))).toBe(false);
    const legacy = Array.from(Buffer.from(migrationChecksum(lf), 'hex'), (b) => b.toString(16)).join('');
    if (legacy.length !== 64) expect(checksumMatches(lf, legacy)).toBe(true);
  });
});

describe('complaint_event (append-only trigger)', () => {
  it('refuses UPDATE, DELETE and TRUNCATE but accepts INSERT', async () => {
    await withClient(testDatabaseUrl(), async (c) => {
      const unique = randomBytes(6).toString('hex');
      const day = '20261128';
      const department = await c.query(
        `INSERT INTO department (id, code, name, name_en) VALUES (gen_random_uuid(), $1, '测试部', 'Test') RETURNING id`,
        [`DEPT-${unique}`],
      );
      const complainant = await c.query(
        `INSERT INTO complainant (id, name, phone, phone_hash, updated_at)
         VALUES (gen_random_uuid(), 'x', 'x', $1, now()) RETURNING id`,
        [`hash-${unique}`],
      );
      const seq = Number.parseInt(unique.slice(0, 6), 16); // unique enough per run; the pair is @@unique
      const complaint = await c.query(
        `INSERT INTO complaint (id, number, accepted_day, daily_seq, complainant_id, business_line, type, description,
                                feedback_method, intake_channel, channel_id, policy_version, department_id,
                                accepted_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, 'insurance', 'claims_dispute', 'test', 'phone', 'online_chat',
                 'test', 'v1', $5, now(), now())
         RETURNING id`,
        [`TS${day}-${unique}`, day, seq, complainant.rows[0].id, department.rows[0].id],
      );
      const complaintId: string = complaint.rows[0].id;
      const event = await c.query(
        `INSERT INTO complaint_event (complaint_id, type, actor_type, payload)
         VALUES ($1, 'complaint.received', 'system', '{"a":1}') RETURNING id`,
        [complaintId],
      );
      const eventId: string = event.rows[0].id;

      await expect(c.query(`UPDATE complaint_event SET type = 'edited' WHERE id = $1`, [eventId])).rejects.toThrow(
        /append-only \(UPDATE refused\)/,
      );
      await expect(c.query(`DELETE FROM complaint_event WHERE id = $1`, [eventId])).rejects.toThrow(
        /append-only \(DELETE refused\)/,
      );
      // In a transaction that is rolled back either way: the database is shared with other test files.
      await c.query('BEGIN');
      try {
        await expect(c.query(`TRUNCATE complaint_event`)).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
      } finally {
        await c.query('ROLLBACK');
      }

      const still = await c.query(`SELECT type, payload FROM complaint_event WHERE id = $1`, [eventId]);
      expect(still.rows).toEqual([{ type: 'complaint.received', payload: { a: 1 } }]);
    });
  });
});

/** A TCP port on 127.0.0.1 where nothing listens. */
const CLOSED_PORT = 1;

describe('connection errors', () => {
  it('explains an unreachable PostgreSQL server without printing the password', async () => {
    const url = `postgresql://postgres:s3cret-pw@127.0.0.1:${CLOSED_PORT}/complaints`;
    const err = await migrate({ databaseUrl: url }).catch((e: unknown) => e);

    const text = describeDatabaseConnectionError(err, url);

    expect(text).toContain(`PostgreSQL at 127.0.0.1:${CLOSED_PORT}`);
    expect(text).toContain('connection refused');
    expect(text).toContain('pg_ctlcluster 15 main start');
    expect(text).toContain('DATABASE_URL');
    expect(text).not.toContain('s3cret-pw');
  });

  it('explains a refused login, and ignores errors that are not about connecting', async () => {
    const parsed = new URL(testDatabaseUrl());
    parsed.username = 'no_such_role_x';
    parsed.password = '';
    const url = parsed.toString();
    const err = await migrate({ databaseUrl: url }).catch((e: unknown) => e);
    expect(describeDatabaseConnectionError(err, url)).toMatch(/refused the login of user "no_such_role_x"/);

    expect(describeDatabaseConnectionError(new MigrationError('x'), url)).toBeNull();
    expect(describeDatabaseConnectionError(Object.assign(new Error('no file'), { code: 'ENOENT', syscall: 'open' }), url)).toBeNull();
    expect(describeDatabaseConnectionError('boom', url)).toBeNull();
  });

  it('explains an unreachable Redis server', async () => {
    const err = await new Promise<Error>((resolve) => {
      netConnect(CLOSED_PORT, '127.0.0.1').on('error', resolve);
    });
    const url = `redis://:topsecret@127.0.0.1:${CLOSED_PORT}`;

    const text = describeRedisConnectionError(err, url);

    expect(text).toContain(`Redis at 127.0.0.1:${CLOSED_PORT}`);
    expect(text).toContain('redis-server --daemonize yes');
    expect(text).not.toContain('topsecret');
    expect(describeRedisConnectionError(new Error('ERR wrong number of arguments'), url)).toBeNull();
  });
});

describe('npm run db:migrate (services/db/migrate-cli.ts)', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

  function runCli(databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        tsx,
        ['services/db/migrate-cli.ts'],
        { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' }, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  it('prints each applied migration, then "database is up to date"', async () => {
    const url = await freshDatabase();

    const first = await runCli(url);
    expect(first).toMatchObject({ code: 0, stdout: ALL.map((name) => `applied migration ${name}\n`).join('') });

    const second = await runCli(url);
    expect(second).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
  });

  it('explains an unreachable server in plain words and exits 1', async () => {
    const result = await runCli(`postgresql://postgres:s3cret-pw@127.0.0.1:${CLOSED_PORT}/complaints`);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Cannot connect to PostgreSQL at 127.0.0.1:${CLOSED_PORT}`);
    expect(result.stderr).toContain('pg_ctlcluster 15 main start');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr).not.toContain('s3cret-pw');
  });

  it('reports an invalid configuration and exits 1', async () => {
    const result = await runCli('mysql://somewhere/db');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
