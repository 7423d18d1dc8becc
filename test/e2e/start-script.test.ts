// `npm start` as an operator meets it: readable refusals when a dependency is down or a setting is
// wrong, and a clean stop on SIGTERM.
import type { ChildProcess } from 'node:child_process';
import { expectNoStackTrace, runEntry, type EntryRun } from '../support/run-entry';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/database';

const ENTRY = ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/index.ts'];

function startBot(env: Record<string, string>, onStdout?: (text: string, child: ChildProcess) => void): Promise<EntryRun> {
  return runEntry(ENTRY, { NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', SLA_MODE: 'off', ...env }, { timeoutMs: 30_000, onStdout });
}

const noStackTrace = expectNoStackTrace;

describe('npm start', () => {
  it('says Redis is down, where it looked, and how to start it', async () => {
    const run = await startBot({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: 'redis://127.0.0.1:1', SEED_DEMO_DATA: 'false' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Redis at 127.0.0.1:1');
    expect(run.stderr).toContain('redis-server');
    noStackTrace(run.stderr);
  });

  it('says PostgreSQL is down, where it looked, and how to start it', async () => {
    const run = await startBot({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/complaints' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PostgreSQL at 127.0.0.1:1');
    expect(run.stderr).toContain('pg_ctlcluster');
    noStackTrace(run.stderr);
  });

  it('lists every wrong setting at once', async () => {
    const run = await startBot({ PORT: 'abc', REDIS_URL: 'http://nope', LOG_LEVEL: 'loud' });
    expect(run.code).toBe(1);
    for (const name of ['PORT', 'REDIS_URL', 'LOG_LEVEL']) expect(run.stderr).toContain(name);
    expect(run.stderr).toContain('.env.example');
    noStackTrace(run.stderr);
  });

  it('serves once migrated and seeded, and stops cleanly on SIGTERM', async () => {
    let probed: Promise<number> | undefined;
    const run = await startBot({ DATABASE_URL: testDatabaseUrl() }, (out, child) => {
      const url = /"url":"(http:\/\/[^"]+)\/api\/messages"/.exec(out)?.[1];
      if (url && !probed) {
        probed = fetch(`${url}/healthz`).then((res) => {
          child.kill('SIGTERM');
          return res.status;
        });
      }
    });
    expect(await probed).toBe(200);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shutting down');
    expect(run.stdout).toContain('"msg":"stopped"');
  });
});

describe('npm start with a policy override', () => {
  it('names the file and every bad key of a broken policy file', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
    writeFileSync(file, JSON.stringify({ version: 'local-1', l1: { amountYuan: -5 }, l3: { feedbackBusinessDays: 'seven' } }));
    const run = await startBot({ DATABASE_URL: testDatabaseUrl(), POLICY_FILE: file });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain('l1.amountYuan');
    expect(run.stderr).toContain('l3.feedbackBusinessDays');
    noStackTrace(run.stderr);
  });
});
