// `npm run worker` as an operator meets it: readable refusals when PostgreSQL or Redis is down, JSON
// logs, and a clean stop on SIGTERM. The happy path runs on a database and a Redis database (index
// 14) of its own: its reconciler must not fire the timers of other test files' complaints, and the
// default queue name must not touch a queue someone else is using.
import type { ChildProcess } from 'node:child_process';
import { expectNoStackTrace, runEntry, type EntryRun } from '../support/run-entry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SLA_QUEUE_NAME } from '../../services/sla/sla-jobs';
import { DEFAULT_REPORTS_QUEUE } from '../../services/reports/monthly-report-job';
import { DEFAULT_SURVEY_QUEUE } from '../../services/survey/survey-runtime';
import { obliterateQueue, privateDatabase, type PrivateDatabase } from './sla-support';

// As `npm run worker` starts it (restify's http_parser deprecation is silenced there, as for npm start).
const ENTRY = ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/worker.ts'];
const PRIVATE_REDIS = 'redis://127.0.0.1:6379/14';

function runWorker(env: Record<string, string>, onStdout?: (text: string, child: ChildProcess) => void): Promise<EntryRun> {
  return runEntry(ENTRY, { NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: database.url, ...env }, { timeoutMs: 20_000, onStdout });
}

const noStackTrace = expectNoStackTrace;

let database: PrivateDatabase;
beforeAll(async () => {
  await obliterateQueue(DEFAULT_SLA_QUEUE_NAME, { url: PRIVATE_REDIS });
  await obliterateQueue(DEFAULT_REPORTS_QUEUE, { url: PRIVATE_REDIS });
  await obliterateQueue(DEFAULT_SURVEY_QUEUE, { url: PRIVATE_REDIS });
  database = await privateDatabase();
});
afterAll(async () => {
  await obliterateQueue(DEFAULT_SLA_QUEUE_NAME, { url: PRIVATE_REDIS });
  await obliterateQueue(DEFAULT_REPORTS_QUEUE, { url: PRIVATE_REDIS });
  await obliterateQueue(DEFAULT_SURVEY_QUEUE, { url: PRIVATE_REDIS });
  await database?.drop();
});

describe('npm run worker', () => {
  it('says Redis is down, where it looked, and how to start it', async () => {
    const run = await runWorker({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot start the SLA worker');
    expect(run.stderr).toContain('Redis at 127.0.0.1:1');
    expect(run.stderr).toContain('redis-server');
    noStackTrace(run.stderr);
  });

  it('says PostgreSQL is down, where it looked, and how to start it', async () => {
    const run = await runWorker({ REDIS_URL: PRIVATE_REDIS, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/complaints' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PostgreSQL at 127.0.0.1:1');
    expect(run.stderr).toContain('pg_ctlcluster');
    noStackTrace(run.stderr);
  });

  it('starts, logs JSON, reconciles, and stops cleanly on SIGTERM', async () => {
    let signalled = false;
    const run = await runWorker({ REDIS_URL: PRIVATE_REDIS }, (text, child) => {
      if (!signalled && text.includes('reconciled at start')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; component?: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['SLA worker started', 'SLA timers reconciled at start', 'SLA worker stopped']));
    // The SLA clock and the monthly report's and the satisfaction survey's jobs it also runs.
    expect(lines.map((l) => l.component).filter((c) => c !== 'sla-worker' && c !== 'reports' && c !== 'survey')).toEqual([]);
    expect(run.stderr).toBe('');
  });
});
