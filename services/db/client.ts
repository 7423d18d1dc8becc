// Prisma 7 runs queries through its WASM query compiler and the `pg` driver adapter: no engine binary.
// The adapter runs on a `pg` pool made here, which the few hot paths that write plain SQL share
// (sqlPoolOf: the complaint filing) — one pool, one connection limit, for both.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { withFieldEncryption } from '../pii/encrypting-client';
import { developmentPiiKeyring, type PiiKeyring } from '../pii/pii-keys';

export type Database = PrismaClient;
export { Prisma } from './generated/client';

// A symbol property, not a WeakMap: a wrapper (a test's Proxy over the client) still reaches it.
const SQL_POOL = Symbol.for('complaint-bot.sqlPool');

/**
 * `pii` is config.pii.keyring: the client encrypts personal-data columns on write and decrypts them on
 * read (services/pii/encrypting-client.ts). Without it, the development key (tests, local tools);
 * every production entry point passes the configured keys.
 */
export function createDatabase(options: { databaseUrl: string; poolSize?: number; pii?: PiiKeyring }): Database {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
  // An idle connection that breaks (PostgreSQL restarted) must not crash the process: the pool drops
  // it and the next query opens another. From creation, not only once Prisma first connects.
  pool.on('error', () => undefined);
  // $disconnect ends the pool (disposeExternalPool).
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const db = withFieldEncryption(new PrismaClient({ adapter }), options.pii ?? developmentPiiKeyring());
  Object.defineProperty(db, SQL_POOL, { value: pool, enumerable: false });
  return db;
}

/**
 * The `pg` pool under a database client made by createDatabase: plain SQL where a statement through
 * Prisma costs the process several times the CPU (docs/benchmarks.md). Values written here bypass the
 * client's field encryption: seal personal data with the keyring (piiKeyringOf) first.
 */
export function sqlPoolOf(db: Database): pg.Pool {
  const pool = (db as unknown as Record<symbol, pg.Pool | undefined>)[SQL_POOL];
  if (!pool) throw new Error('this database client was not made by createDatabase: it has no pg pool');
  return pool;
}
