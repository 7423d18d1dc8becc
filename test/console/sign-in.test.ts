// Staff sign-in as a staff member meets it: cookie session, lockout, CSRF, expiry, sign-out — and
// the password never stored as typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/e2e';
import { testDb } from '../support/app';
import type { Database } from '../../services/db/client';
import { ConsoleClient, createStaff, signedIn } from './console-support';

let running: RunningApp;
let db: Database;
let now = new Date();
const advance = (ms: number) => (now = new Date(now.getTime() + ms));
const MINUTE = 60_000;

beforeAll(async () => {
  db = testDb(3);
  running = await startApp({}, { clock: () => now });
}, 180_000);
afterAll(async () => {
  await running.app.close();
  await db.$disconnect();
});

describe('console sign-in', { timeout: 180_000 }, () => {
  it('signs in with employee number and password: an http-only SameSite=Strict session cookie, then /api/v1/me knows who it is', async () => {
    const agent = await createStaff(db, 'agent');
    const client = new ConsoleClient(running.baseUrl);
    const res = await client.signIn(agent);
    expect(res.status).toBe(200);
    expect(res.body.staff).toMatchObject({ employeeNo: agent.employeeNo, role: 'agent' });
    const setCookies = res.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith('console_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(session).not.toMatch(/Secure/i); // plain http here; Secure over HTTPS (tested below)
    const csrf = setCookies.find((c) => c.startsWith('console_csrf='))!;
    expect(csrf).not.toMatch(/HttpOnly/i);

    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.staff).toMatchObject({ id: agent.id, employeeNo: agent.employeeNo, role: 'agent' });
    expect(me.body.signedInWith).toBe('session');
  });

  it('marks the cookies Secure when the public URL is https', async () => {
    const secure = await startApp({ PUBLIC_BASE_URL: 'https://complaints.example.com' }, { clock: () => now });
    try {
      const agent = await createStaff(db, 'agent');
      const res = await new ConsoleClient(secure.baseUrl).signIn(agent);
      expect(res.status).toBe(200);
      for (const c of res.headers.getSetCookie()) expect(c).toMatch(/;\s*Secure/i);
    } finally {
      await secure.app.close();
    }
  });

  it('keeps only an scrypt hash of the password, with a salt of its own per account', async () => {
    const password = 'same-password-for-both';
    const a = await createStaff(db, 'agent', { password });
    const b = await createStaff(db, 'agent', { password });
    const rows = await db.staffCredential.findMany({ where: { staffId: { in: [a.id, b.id] } } });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.passwordHash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
      expect(row.passwordHash).not.toContain(password);
      expect(row.passwordHash).not.toContain(Buffer.from(password).toString('base64url'));
    }
    expect(rows[0]!.passwordHash).not.toBe(rows[1]!.passwordHash);
    // The session row holds a hash of the cookie's token, not the token.
    const client = await signedIn(running.baseUrl, a);
    const token = client.cookies.get('console_session')!;
    const sessions = await db.staffSession.findMany({ where: { staffId: a.id } });
    expect(sessions.map((s) => s.id)).not.toContain(token);
  });

  it('refuses a wrong password and an unknown employee number with the same answer', async () => {
    const agent = await createStaff(db, 'agent');
    const wrong = await new ConsoleClient(running.baseUrl).signIn({ employeeNo: agent.employeeNo, password: 'not-the-password' });
    const unknown = await new ConsoleClient(running.baseUrl).signIn({ employeeNo: 'NOSUCH99', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('locks the account for 15 minutes after 5 failures, even for the right password, without saying so differently', async () => {
    const agent = await createStaff(db, 'agent');
    const client = new ConsoleClient(running.baseUrl);
    const refusals = [];
    for (let i = 0; i < 5; i++) refusals.push(await client.signIn({ employeeNo: agent.employeeNo, password: `wrong-${i}-password` }));
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);

    const whileLocked = await client.signIn(agent);
    expect(whileLocked.status).toBe(401);
    expect(whileLocked.body).toEqual(refusals[0]!.body);

    advance(14 * MINUTE);
    expect((await client.signIn(agent)).status).toBe(401);
    advance(2 * MINUTE);
    const after = await client.signIn(agent);
    expect(after.status).toBe(200);
  });

  it('counts failures per account: another account is not locked, and a success resets the count', async () => {
    const a = await createStaff(db, 'agent');
    const b = await createStaff(db, 'agent');
    const client = new ConsoleClient(running.baseUrl);
    for (let i = 0; i < 4; i++) await client.signIn({ employeeNo: a.employeeNo, password: 'wrong-password-x' });
    expect((await client.signIn(a)).status).toBe(200); // 5th try, right password
    for (let i = 0; i < 4; i++) await client.signIn({ employeeNo: a.employeeNo, password: 'wrong-password-y' });
    expect((await new ConsoleClient(running.baseUrl).signIn(a)).status).toBe(200);
    expect((await new ConsoleClient(running.baseUrl).signIn(b)).status).toBe(200);
  });

  it('refuses parallel guesses beyond the limit', async () => {
    const agent = await createStaff(db, 'agent');
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => new ConsoleClient(running.baseUrl).signIn({ employeeNo: agent.employeeNo, password: `guess-${i}-password` })),
    );
    expect(guesses.every((g) => g.status === 401)).toBe(true);
    const row = await db.staffCredential.findUniqueOrThrow({ where: { staffId: agent.id } });
    expect(row.failedAttempts).toBe(5);
    expect(row.lockedUntil).not.toBeNull();
  });

  it('refuses a cookie-authenticated change without the CSRF header (403), and accepts it with the header', async () => {
    const agent = await createStaff(db, 'agent');
    const client = await signedIn(running.baseUrl, agent);
    const without = await client.request('DELETE', '/api/v1/session', undefined, { csrf: false });
    expect(without.status).toBe(403);
    expect(without.body.error).toBe('csrf_failed');
    const forged = await client.request('DELETE', '/api/v1/session', undefined, { csrf: false, headers: { 'X-CSRF-Token': 'x'.repeat(43) } });
    expect(forged.status).toBe(403);
    expect((await client.get('/api/v1/me')).status).toBe(200); // still signed in
    const signOut = await client.request('DELETE', '/api/v1/session');
    expect(signOut.status).toBe(204);
  });

  it('refuses a sign-in posted as a form or from another origin', async () => {
    const agent = await createStaff(db, 'agent');
    const form = await fetch(`${running.baseUrl}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `employeeNo=${agent.employeeNo}&password=${agent.password}`,
    });
    expect(form.status).toBe(415);
    const crossSite = await new ConsoleClient(running.baseUrl).request('POST', '/api/v1/session', { employeeNo: agent.employeeNo, password: agent.password }, { headers: { Origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
  });

  it('signs out: the old cookie no longer works', async () => {
    const agent = await createStaff(db, 'agent');
    const client = await signedIn(running.baseUrl, agent);
    const stolen = new ConsoleClient(running.baseUrl);
    for (const [k, v] of client.cookies) stolen.cookies.set(k, v);
    expect((await client.request('DELETE', '/api/v1/session')).status).toBe(204);
    expect(client.cookies.has('console_session')).toBe(false);
    expect((await stolen.get('/api/v1/me')).status).toBe(401);
  });

  it('ends a session after 30 idle minutes, keeps a busy one, and ends every session after 12 hours', async () => {
    const agent = await createStaff(db, 'agent');
    const idle = await signedIn(running.baseUrl, agent);
    const busy = await signedIn(running.baseUrl, agent);
    for (let i = 0; i < 3; i++) {
      advance(20 * MINUTE);
      expect((await busy.get('/api/v1/me')).status).toBe(200);
    }
    expect((await idle.get('/api/v1/me')).status).toBe(401);
    for (let i = 0; i < 33; i++) {
      advance(20 * MINUTE); // 60 + 660 minutes: past 12 hours
      await busy.get('/api/v1/me');
    }
    expect((await busy.get('/api/v1/me')).status).toBe(401);
  });

  it('a deactivated staff member cannot sign in, and their open session stops working', async () => {
    const agent = await createStaff(db, 'agent');
    const client = await signedIn(running.baseUrl, agent);
    await db.staff.update({ where: { id: agent.id }, data: { active: false } });
    expect((await client.get('/api/v1/me')).status).toBe(401);
    expect((await new ConsoleClient(running.baseUrl).signIn(agent)).status).toBe(401);
  });
});
