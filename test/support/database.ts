// Databases for tests. Every test run gets a fresh, migrated database (created by
// test/support/global-setup.ts, dropped afterwards) instead of deleting rows between tests:
// complaint_event has an append-only trigger, and fresh databases let test files run in parallel.
// Tests must therefore use unique data (random ids, codes and phone numbers), never fixed ones.
import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of this run's migrated test database. */
    databaseUrl: string;
  }
}

/** Prefix of every database this harness creates; global-setup sweeps stale ones. */
export const TEST_DATABASE_PREFIX = 'complaint_test_';

/** The server tests create their databases on (a URL to its maintenance database). */
export function testDatabaseServerUrl(): string {
  return process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** URL of this run's migrated, shared test database. */
export function testDatabaseUrl(): string {
  return inject('databaseUrl');
}

/** An empty database of the test's own (not migrated), e.g. for migrator tests. Call drop() when done. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = testDatabaseServerUrl();
  const name = newTestDatabaseName();
  await withServer(serverUrl, (client) => client.query(`CREATE DATABASE ${escapeIdentifier(name)}`));
  return { url: databaseUrlOn(serverUrl, name), drop: () => dropDatabase(serverUrl, name) };
}

export function newTestDatabaseName(): string {
  return `${TEST_DATABASE_PREFIX}${Date.now()}_${randomBytes(4).toString('hex')}`;
}

/** The URL of database `name` on the server of `serverUrl` (same host, port, user, options). */
export function databaseUrlOn(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Drops the database even if connections remain (PostgreSQL 13+); no error if it is gone. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`));
}

export async function withServer<T>(serverUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}
