// vitest globalSetup: one fresh, migrated database per test run, shared by all test files through
// inject('databaseUrl') (see test/support/database.ts), dropped when the run ends.
import type { TestProject } from 'vitest/node';
import { describeDatabaseConnectionError } from '../../services/db/connection-errors';
import { migrate } from '../../services/db/migrate';
import {
  databaseUrlOn,
  dropDatabase,
  newTestDatabaseName,
  TEST_DATABASE_PREFIX,
  testDatabaseServerUrl,
  withServer,
} from './database';

/** Test databases older than this are left-overs of killed runs and get dropped. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = testDatabaseServerUrl();
  const name = newTestDatabaseName();
  const url = databaseUrlOn(serverUrl, name);

  try {
    await dropStaleTestDatabases(serverUrl);
    await migrate({ databaseUrl: url }); // creates the database, then applies every migration
  } catch (err) {
    await dropDatabase(serverUrl, name).catch(() => {});
    const described = describeDatabaseConnectionError(err, serverUrl);
    if (described) throw new Error(`Tests need PostgreSQL (TEST_DATABASE_SERVER_URL).\n${described}`);
    throw err;
  }

  project.provide('databaseUrl', url);
  return async () => {
    await dropDatabase(serverUrl, name);
  };
}

async function dropStaleTestDatabases(serverUrl: string): Promise<void> {
  const stale = await withServer(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${TEST_DATABASE_PREFIX}%`],
    );
    return result.rows
      .map((r) => r.datname)
      .filter((n) => {
        const stamp = Number(/^complaint_test_(\d{13})_[0-9a-f]+$/.exec(n)?.[1]);
        return Number.isFinite(stamp) && Date.now() - stamp > STALE_AFTER_MS;
      });
  });
  for (const name of stale) await dropDatabase(serverUrl, name).catch(() => {});
}
