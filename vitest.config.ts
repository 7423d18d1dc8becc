import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One fresh, migrated PostgreSQL database per run: see test/support/global-setup.ts.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files spend their time waiting on PostgreSQL, Redis, HTTP and browsers, not computing: at
    // least two files at a time, also on a 2-core machine (vitest's default is cores − 1 = one file).
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? Math.max(2, availableParallelism() - 1)),
    // Test files run in parallel against the shared database: each test must use unique data.
    fileParallelism: true,
  },
});
