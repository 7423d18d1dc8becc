// Plain SQL for the hot paths (the conversation state, the turn's transcript, the complaint filing):
// one interface over a `pg` connection and over a Prisma transaction, and a transaction on the
// database client's own pool. A statement through Prisma costs the bot's process four to five times
// the CPU of the same statement on `pg` (docs/benchmarks.md).
//
// Values go in as strings (or null) and come back as text, int4 or boolean where it matters, so the
// same statement reads the same through either side.
import type { Database, Prisma } from './client';
import { sqlPoolOf } from './client';

/** Positional SQL on a pg connection (the turn lock's, the pool's) or through the database client. */
export interface SqlQueryable {
  query<R extends Record<string, unknown>>(text: string, values: unknown[]): Promise<{ rows: R[] }>;
}

/** SQL through the database client, or inside one of its transactions. */
export function rawQueryable(db: Pick<Prisma.TransactionClient, '$queryRawUnsafe'>): SqlQueryable {
  return {
    query: async <R extends Record<string, unknown>>(text: string, values: unknown[]) => ({ rows: await db.$queryRawUnsafe<R[]>(text, ...values) }),
  };
}

/** Runs `work` in a transaction on one of the client's pool connections: committed if it returns, rolled back if it throws. */
export async function sqlTransaction<T>(db: Database, work: (sql: SqlQueryable) => Promise<T>): Promise<T> {
  const client = await sqlPoolOf(db).connect();
  // A connection that breaks while checked out (PostgreSQL went away) fails the statement in flight;
  // the event itself must not crash the process.
  const onError = () => undefined;
  client.on('error', onError);
  // Given back (or, after an error, destroyed); the listener stays on a destroyed one for late events.
  const release = (err?: Error) => {
    if (!err) client.off('error', onError);
    client.release(err);
  };
  let result: T;
  try {
    await client.query('BEGIN');
    result = await work(client);
  } catch (err) {
    // A broken connection is destroyed, not given back.
    await client.query('ROLLBACK').then(() => release(), (rollbackErr: Error) => release(rollbackErr));
    throw err;
  }
  try {
    await client.query('COMMIT');
  } catch (err) {
    release(err as Error);
    throw err;
  }
  release();
  return result;
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
