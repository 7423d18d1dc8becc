// Plain SQL for the hot paths (the conversation state, the turn's transcript, the complaint filing):
// one interface over a `pg` connection and over a Prisma transaction, and a transaction on the
// database client's own pool. A statement through Prisma costs the bot's process four to five times
// the CPU of the same statement on `pg` (docs/benchmarks.md).
//
// Values go in as strings (or null) and come back as text, int4 or boolean where it matters, so the
// same statement reads the same through either side.
import type pg from 'pg';
import type { Database, Prisma } from './client';
import { sqlPoolOf } from './client';
import { inlineValues, preparedStatementName } from './sql-literals';

/** Positional SQL on a pg connection (the turn lock's, the pool's) or through the database client. */
export interface SqlQueryable {
  query<R extends Record<string, unknown>>(text: string, values: unknown[]): Promise<{ rows: R[] }>;
}

/** A statement with its values. */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

/** SQL through the database client, or inside one of its transactions. */
export function rawQueryable(db: Pick<Prisma.TransactionClient, '$queryRawUnsafe'>): SqlQueryable {
  return {
    query: async <R extends Record<string, unknown>>(text: string, values: unknown[]) => ({ rows: await db.$queryRawUnsafe<R[]>(text, ...values) }),
  };
}

// The hot statements on the pool are named (pg's prepared statements): PostgreSQL parses, analyses
// and plans each once per connection instead of on every call — a filing's dozen statements spent a
// third of their time being planned (docs/benchmarks.md). A connection whose statement failed is not
// reused (pool.query closes it), so a migration that changes the type of a column a prepared
// statement returns ("cached plan must not change result type") fails one call per open connection,
// not every call after it.

/** `text` as a statement PostgreSQL prepares once per connection (preparedStatementName). */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  const name = preparedStatementName(text);
  return name ? { name, text, values } : { text, values };
}

/** Prepared statements (see prepared) on the database client's pool, one connection per call. */
export function pooledSql(db: Database): { query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> } {
  const pool = sqlPoolOf(db);
  return { query: <R extends pg.QueryResultRow>(text: string, values: unknown[]) => pool.query<R>(prepared(text, values)) };
}

/**
 * The statements as one transaction in one round trip: BEGIN, each of them, COMMIT in one simple query
 * (values inlined as literals, services/db/sql-literals.ts). The rows of each statement, in order. A
 * row lock one of them takes is held for PostgreSQL's own time only, not across round trips through
 * the bot. A batch that fails closes its connection (PostgreSQL rolls the transaction back).
 */
export async function sqlBatchTransaction(db: Database, statements: SqlStatement[]): Promise<{ rows: Record<string, unknown>[] }[]> {
  const client = await sqlPoolOf(db).connect();
  // A connection that breaks while checked out (PostgreSQL went away) fails the batch in flight; the
  // event itself must not crash the process. The listener stays on a destroyed one for late events.
  const onError = () => undefined;
  client.on('error', onError);
  let results: pg.QueryResult[];
  try {
    const batch = ['BEGIN', ...statements.map((s) => inlineValues(s.text, s.values)), 'COMMIT'].join(';\n');
    results = (await client.query(batch)) as unknown as pg.QueryResult[];
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  client.off('error', onError);
  client.release();
  return results.slice(1, 1 + statements.length);
}

/** A unique constraint refused the write (through `pg` or through Prisma). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const { code, meta, cause } = e as { code?: unknown; meta?: { code?: unknown }; cause?: unknown };
    if (code === '23505' || code === 'P2002' || meta?.code === '23505') return true;
    e = cause;
  }
  return false;
}
