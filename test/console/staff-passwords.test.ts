// Setting console passwords: the CLI reads the password from stdin (never argv), the demo seed sets
// known demo passwords once and never in production.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { seedDemoPasswords } from '../../services/staff/seed-demo-passwords';
import { testDatabaseUrl } from '../support/database';
import { startApp, type RunningApp } from '../support/e2e';
import { expectNoStackTrace } from '../support/run-entry';
import { ConsoleClient, createStaff } from './console-support';
import { privateDatabase } from '../sla/sla-support';

let running: RunningApp;
beforeAll(async () => {
  running = await startApp();
}, 180_000);
afterAll(() => running.app.close());

function runPasswordCli(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/staff/staff-password-cli.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: testDatabaseUrl(), NODE_ENV: 'test' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

describe('npm run staff:password', { timeout: 180_000 }, () => {
  it('sets the password read from stdin: the new one signs in, the old one no longer does, open sessions end', async () => {
    const staff = await createStaff(running.app.db, 'agent');
    const before = new ConsoleClient(running.baseUrl);
    expect((await before.signIn(staff)).status).toBe(200);

    const run = await runPasswordCli([staff.employeeNo], 'a-brand-new-passphrase\n');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`password set for ${staff.employeeNo}`);
    expect(run.stdout + run.stderr).not.toContain('a-brand-new-passphrase');

    expect((await before.get('/api/v1/me')).status).toBe(401);
    expect((await new ConsoleClient(running.baseUrl).signIn(staff)).status).toBe(401);
    expect((await new ConsoleClient(running.baseUrl).signIn({ employeeNo: staff.employeeNo, password: 'a-brand-new-passphrase' })).status).toBe(200);
  });

  it('refuses a password on the command line, a short password and an unknown employee number, with a message', async () => {
    const staff = await createStaff(running.app.db, 'agent');
    const argv = await runPasswordCli([staff.employeeNo, 'password-in-argv'], '');
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain('read from stdin');
    const short = await runPasswordCli([staff.employeeNo], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 10 characters');
    const unknown = await runPasswordCli(['NOSUCH42'], 'long-enough-password\n');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no staff member');
    for (const r of [argv, short, unknown]) expectNoStackTrace(r.stderr);
    expect((await new ConsoleClient(running.baseUrl).signIn(staff)).status).toBe(200);
  });
});

describe('demo passwords', { timeout: 180_000 }, () => {
  it('gives each demo account demo-<employee number> once, keeps it on the next seed, and refuses in production', async () => {
    // A database of its own: other test files seed the demo passwords in the shared one at any time.
    const own = await privateDatabase();
    const app = await startApp({ DATABASE_URL: own.url });
    try {
    const db = app.app.db;
    await seedDemoData(db);
    const first = await seedDemoPasswords({ db, env: 'test', now: new Date() });
    expect(first.map((p) => p.employeeNo).sort()).toEqual(['A1001', 'A1002', 'ADMIN', 'L3001', 'S2001', 'S2002', 'S2003', 'S2004', 'V4001']);
    expect(first.find((p) => p.employeeNo === 'V4001')).toEqual({ employeeNo: 'V4001', role: 'supervision', password: 'demo-V4001' });
    expect(await seedDemoPasswords({ db, env: 'test', now: new Date() })).toEqual([]);

    const signIn = await new ConsoleClient(app.baseUrl).signIn({ employeeNo: 'S2001', password: 'demo-S2001' });
    expect(signIn.status).toBe(200);
    expect(signIn.body.staff.role).toBe('supervisor');
    await expect(seedDemoPasswords({ db, env: 'production', now: new Date() })).rejects.toThrow(/not set in production/);
    } finally {
      await app.app.close();
      await own.drop();
    }
  });
});
