// The hot statements on the database client's pool are prepared once per connection
// (services/db/sql.ts: pooledSql): PostgreSQL keeps them, and a connection whose prepared statement
// broke (a migration changed a returned column's type) is replaced, not kept failing; so is one whose
// batch failed (sqlBatchTransaction).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { pooledSql, sqlBatchTransaction } from '../../services/db/sql';
import { testDb } from '../support/app';

const db: Database = testDb(1);
const table = `prep_pool_${randomUUID().replaceAll('-', '')}`;
const READ = `SELECT v FROM ${table} WHERE k = $1`;

beforeAll(async () => {
  await pooledSql(db).query(`CREATE TABLE ${table} (k text PRIMARY KEY, v int)`, []);
  await pooledSql(db).query(`INSERT INTO ${table} VALUES ('a', 1)`, []);
});

afterAll(async () => {
  await pooledSql(db).query(`DROP TABLE IF EXISTS ${table}`, []);
  await db.$disconnect();
});

// One connection in the pool: every call below runs on it until it is replaced.
const preparedHere = async () => (await pooledSql(db).query<{ statement: string }>('SELECT statement FROM pg_prepared_statements', [])).rows.map((r) => r.statement);
const backend = async () => (await pooledSql(db).query<{ pid: number }>('SELECT pg_backend_pid() AS pid', [])).rows[0]!.pid;

describe('statements on the pool, prepared once per connection', () => {
  it('keeps a statement prepared on the connection and reads through it again', async () => {
    expect((await pooledSql(db).query<{ v: number }>(READ, ['a'])).rows).toEqual([{ v: 1 }]);
    expect((await pooledSql(db).query<{ v: number }>(READ, ['a'])).rows).toEqual([{ v: 1 }]);
    // One connection in the pool: the statement is there once, for every later call.
    expect((await preparedHere()).filter((s) => s === READ)).toHaveLength(1);
  });

  it('after a migration changes what a prepared statement returns, one call fails and the connection is replaced', async () => {
    await pooledSql(db).query(READ, ['a']);
    await pooledSql(db).query(`ALTER TABLE ${table} ALTER COLUMN v TYPE text`, []);
    await expect(pooledSql(db).query(READ, ['a'])).rejects.toThrow(/cached plan must not change result type/);
    expect((await pooledSql(db).query<{ v: string }>(READ, ['a'])).rows).toEqual([{ v: '1' }]);
    expect((await pooledSql(db).query<{ v: string }>(READ, ['a'])).rows).toEqual([{ v: '1' }]);
  });

  it('a batch transaction that failed does not give its connection back, and nothing of it is kept', async () => {
    const before = await backend();
    expect(await backend()).toBe(before);
    await expect(sqlBatchTransaction(db, [
      { text: `INSERT INTO ${table} VALUES ($1, 2)`, values: ['b'] },
      { text: 'SELECT 1 / $1::int AS x', values: [0] },
    ])).rejects.toThrow(/division by zero/);
    expect(await backend()).not.toBe(before);
    expect((await pooledSql(db).query(`SELECT k FROM ${table} WHERE k = $1`, ['b'])).rows).toEqual([]);
    // A batch that succeeds: the rows of each statement, committed.
    const [inserted, read] = await sqlBatchTransaction(db, [
      { text: `INSERT INTO ${table} VALUES ($1, 3) RETURNING k`, values: ['c'] },
      { text: `SELECT count(*)::int AS n FROM ${table}`, values: [] },
    ]);
    expect(inserted!.rows).toEqual([{ k: 'c' }]);
    expect(read!.rows).toEqual([{ n: 2 }]);
    expect((await pooledSql(db).query(`SELECT k FROM ${table} WHERE k = $1`, ['c'])).rows).toEqual([{ k: 'c' }]);
  });
});
