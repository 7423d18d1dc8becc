// The project's own offline migrator. Prisma's `migrate deploy` needs a native schema-engine binary
// that cannot be downloaded here (see docs/decisions.md, "Prisma offline"), so this applies
// prisma/migrations/<stamp>_<name>/migration.sql itself over `pg`, and records each migration in
// Prisma's own `_prisma_migrations` table, in Prisma's layout and with Prisma's checksum, so that
// `prisma migrate status` / `migrate deploy` agree wherever the engine exists.
//
// Guarantees:
// - Several processes starting at once apply each migration exactly once: a session-level advisory
//   lock (the same key Prisma's schema engine uses, so this also excludes a concurrent
//   `prisma migrate deploy`) serialises them; the others wait, then find nothing left to do.
// - Each migration runs in ONE transaction together with its `_prisma_migrations` row: it is applied
//   and recorded completely, or not at all. A migration.sql must therefore not contain its own
//   BEGIN/COMMIT nor statements PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY,
//   VACUUM, …); `ALTER TYPE … ADD VALUE` works, but the new value cannot be used in the same file.
// - It never silently continues past an edited, vanished or failed migration: it throws a
//   MigrationError that names the migration and what to do.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, escapeIdentifier } from 'pg';

export interface MigrateOptions {
  databaseUrl: string;
  /** Defaults to prisma/migrations at the project root. */
  migrationsDir?: string;
  log?: (msg: string, fields?: object) => void;
}

export interface MigrateResult {
  /** Names of the migrations this call applied, in order (empty when the database was up to date). */
  applied: string[];
}

/** A migration problem a person has to resolve; the message says which migration and what to do. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** The key Prisma's schema engine locks on PostgreSQL (`SELECT pg_advisory_lock(72707369)`). */
export const MIGRATION_LOCK_KEY = 72707369;

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

const MIGRATIONS_TABLE = '_prisma_migrations';
const CONNECT_TIMEOUT_MS = 5_000;

/** Prisma's own DDL for the table (schema-engine, PostgreSQL flavour). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationFile {
  name: string;
  file: string;
  script: string;
  checksum: string;
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
}

export async function migrate(opts: MigrateOptions): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const migrationsDir = path.resolve(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const migrations = await readMigrations(migrationsDir);
  const database = databaseName(opts.databaseUrl);

  const client = await connectCreatingDatabase(opts.databaseUrl, database, log);
  let locked = false;
  try {
    if (!(await tryLock(client))) {
      log('waiting for the migration lock (another process is migrating this database)', {
        event: 'lock_wait',
        database,
      });
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    locked = true;

    await ensureMigrationsTable(client, database);
    const rows = await readMigrationRows(client);
    const pending = plan(migrations, rows, migrationsDir);

    const applied: string[] = [];
    for (const migration of pending) {
      log(`applying migration ${migration.name}`, { event: 'applying', migration: migration.name, database });
      await applyOne(client, migration);
      applied.push(migration.name);
      log(`applied migration ${migration.name}`, { event: 'applied', migration: migration.name, database });
    }
    if (applied.length === 0) log('database is up to date', { event: 'up_to_date', database });
    return { applied };
  } finally {
    if (locked) {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    }
    await client.end().catch(() => {});
  }
}

/** Prisma's checksum of a migration script: sha256 of its bytes, as 64 lower-case hex digits. */
export function migrationChecksum(script: string | Buffer): string {
  return createHash('sha256').update(script).digest('hex');
}

/**
 * Whether a recorded checksum matches the script, as Prisma decides it: line endings may differ
 * (git on Windows), and very old Prisma versions stored the hex digits without zero padding.
 */
export function checksumMatches(script: string, recorded: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant, 'utf8').digest();
    if (recorded.length === 64) return digest.toString('hex') === recorded;
    return Array.from(digest, (byte) => byte.toString(16)).join('') === recorded;
  });
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new MigrationError(`Cannot read the migrations directory ${dir}: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  }
  const names = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name, 'migration.sql');
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      const exists = await stat(file).then(
        () => true,
        () => false,
      );
      throw new MigrationError(
        exists
          ? `Cannot read ${file}: ${(err as Error).message}`
          : `Migration directory ${path.join(dir, name)} has no migration.sql. Restore it from version control, or remove the directory if it is left over.`,
        name,
        { cause: err },
      );
    }
    migrations.push({ name, file, script: bytes.toString('utf8'), checksum: migrationChecksum(bytes) });
  }
  return migrations;
}

function databaseName(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new MigrationError('DATABASE_URL is not a valid postgresql:// URL.');
  }
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new MigrationError('DATABASE_URL names no database (expected postgresql://user@host:port/database).');
  return name;
}

function maintenanceUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

async function connect(connectionString: string): Promise<Client> {
  const client = new Client({
    connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'complaint-bot-migrate',
  });
  // An error emitted after connect (server shutdown, network loss) would otherwise crash the process;
  // the pending query rejects with it anyway.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  return client;
}

async function connectCreatingDatabase(
  databaseUrl: string,
  database: string,
  log: (msg: string, fields?: object) => void,
): Promise<Client> {
  try {
    return await connect(databaseUrl);
  } catch (err) {
    if (pgCode(err) !== '3D000') throw err; // invalid_catalog_name: the database does not exist
  }

  log(`creating database ${database}`, { event: 'create_database', database });
  const admin = await connect(maintenanceUrl(databaseUrl));
  try {
    await admin.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
  } catch (err) {
    const code = pgCode(err);
    // 42P04 duplicate_database; 23505 when two CREATE DATABASE statements race on the catalog index.
    if (code !== '42P04' && code !== '23505') {
      throw new MigrationError(
        `Database "${database}" does not exist and could not be created: ${(err as Error).message}. Create it yourself (createdb ${database}) or connect as a user allowed to create databases.`,
        undefined,
        { cause: err },
      );
    }
  } finally {
    await admin.end().catch(() => {});
  }
  return connect(databaseUrl);
}

async function tryLock(client: Client): Promise<boolean> {
  const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    MIGRATION_LOCK_KEY,
  ]);
  return result.rows[0]?.locked === true;
}

async function ensureMigrationsTable(client: Client, database: string): Promise<void> {
  const exists = await client.query<{ exists: boolean }>(
    `SELECT to_regclass(format('%I', $1::text)) IS NOT NULL AS exists`,
    [MIGRATIONS_TABLE],
  );
  if (exists.rows[0]?.exists) return;

  // Like Prisma (P3005): a database that already holds tables but no migration history was not made
  // by these migrations; applying the first one to it would fail half-way or, worse, mix schemas.
  const tables = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
      ORDER BY table_name LIMIT 5`,
  );
  if (tables.rows.length > 0) {
    throw new MigrationError(
      `Database "${database}" is not empty (tables: ${tables.rows.map((r) => r.name).join(', ')}…) but has no ${MIGRATIONS_TABLE} table, so its schema was not made by these migrations. ` +
        'Point DATABASE_URL at a new or empty database, or baseline this one (record the migrations it already contains in _prisma_migrations) after checking that its schema matches.',
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

async function readMigrationRows(client: Client): Promise<MigrationRow[]> {
  const result = await client.query<MigrationRow>(
    `SELECT id, checksum, migration_name, finished_at, rolled_back_at, started_at, logs
       FROM "${MIGRATIONS_TABLE}" ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

/** Decides what to apply, or throws when the history and the directory disagree. */
function plan(migrations: MigrationFile[], rows: MigrationRow[], migrationsDir: string): MigrationFile[] {
  const onDisk = new Map(migrations.map((m) => [m.name, m]));
  const live = rows.filter((r) => r.rolled_back_at === null); // rolled-back attempts are history only

  const failed = live.find((r) => r.finished_at === null);
  if (failed) {
    throw new MigrationError(
      `Migration ${failed.migration_name} failed on an earlier attempt (started ${failed.started_at.toISOString()}) and is neither finished nor rolled back` +
        (failed.logs ? `; its log says: ${failed.logs.trim().split('\n')[0]}` : '') +
        '. Check what it left in the database and repair it by hand, then mark it with `prisma migrate resolve --rolled-back ' +
        `${failed.migration_name}\` (to run it again) or \`--applied ${failed.migration_name}\` (if it is now complete); without the Prisma engine: ` +
        `UPDATE "${MIGRATIONS_TABLE}" SET rolled_back_at = now() WHERE id = '${failed.id}' (or SET finished_at = now(), applied_steps_count = 1).`,
      failed.migration_name,
    );
  }

  for (const row of live) {
    const file = onDisk.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `Migration ${row.migration_name} is recorded as applied in the database, but ${path.join(migrationsDir, row.migration_name)} does not exist. ` +
          'Restore it from version control (are you running an older checkout against a newer database?). Never delete an applied migration.',
        row.migration_name,
      );
    }
    if (!checksumMatches(file.script, row.checksum)) {
      throw new MigrationError(
        `Migration ${row.migration_name} was modified after it was applied: ${file.file} has checksum ${file.checksum}, the database recorded ${row.checksum}. ` +
          `Applied migrations must never change: restore the file (git checkout -- ${path.relative(process.cwd(), file.file)}) and put the change in a new migration.`,
        row.migration_name,
      );
    }
  }

  const applied = new Set(live.map((r) => r.migration_name));
  return migrations.filter((m) => !applied.has(m.name));
}

async function applyOne(client: Client, migration: MigrationFile): Promise<void> {
  await client.query('BEGIN');
  try {
    // No parameters: the simple query protocol, which runs a multi-statement script.
    await client.query(migration.script);
    await client.query(
      `INSERT INTO "${MIGRATIONS_TABLE}" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    if (isConnectionLevelError(err)) throw err;
    throw new MigrationError(
      `Migration ${migration.name} failed and was rolled back (nothing of it was applied): ${(err as Error).message}${where(err, migration.script)}. ` +
        `Fix ${migration.file} (it was never applied, so it may still change) and run the migration again.`,
      migration.name,
      { cause: err },
    );
  }
}

/** " (line N: <text>)" for a PostgreSQL error that carries a position in the script. */
function where(err: unknown, script: string): string {
  const position = Number((err as { position?: string }).position);
  if (!Number.isInteger(position) || position < 1) return '';
  const before = script.slice(0, position - 1);
  const line = before.split('\n').length;
  const text = script.split('\n')[line - 1]?.trim() ?? '';
  return ` (line ${line}: ${text.length > 120 ? `${text.slice(0, 117)}...` : text})`;
}

function pgCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isConnectionLevelError(err: unknown): boolean {
  const code = pgCode(err);
  return code !== undefined && (/^E[A-Z]+$/.test(code) || code.startsWith('08') || code.startsWith('57P'));
}
