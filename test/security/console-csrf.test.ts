// CSRF on every cookie-authenticated write: a signed-in admin's and supervisor's browser session,
// sent to every POST/PUT/PATCH/DELETE route of the API without the X-CSRF-Token header (what a
// forged cross-site form or fetch would send), is refused before anything happens; with the header
// the same request reaches the route. Walks the routes from restify's router, so a new route cannot
// slip through unnoticed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { testDb } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { createStaff, signedIn, type ConsoleClient } from '../console/console-support';

// Routes a browser session does not authenticate (their own credentials: a signed link, a token in
// the path, a channel's signature) or that start a session.
const NOT_COOKIE_ROUTES = [/^\/api\/v1\/session$/, /^\/api\/v1\/alerts\/:id\/ack$/, /^\/api\/survey\//, /^\/api\/messages$/, /^\/api\/wechat$/, /^\/v3\/directline\//];

let running: RunningApp;
let db: Database;
let admin: ConsoleClient;
let supervisor: ConsoleClient;

beforeAll(async () => {
  db = testDb(2);
  running = await startApp();
  admin = await signedIn(running.baseUrl, await createStaff(db, 'admin'));
  supervisor = await signedIn(running.baseUrl, await createStaff(db, 'supervisor'));
}, 60_000);

afterAll(async () => {
  await running?.app.close();
  await db?.$disconnect();
});

describe('CSRF on the console', () => {
  it('refuses every cookie-authenticated write without the X-CSRF-Token header', async () => {
    const routes = Object.values((running.app.server as unknown as { router: { getRoutes(): Record<string, { method: string; path: string }> } }).router.getRoutes())
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !NOT_COOKIE_ROUTES.some((p) => p.test(r.path)));
    expect(routes.length).toBeGreaterThan(30);
    const accepted: string[] = [];
    for (const client of [admin, supervisor]) {
      for (const { method, path } of routes) {
        const concrete = path.replace(/:[A-Za-z_]+/g, 'TS20261128-000001');
        const res = await client.request(method, concrete, {}, { csrf: false });
        if (res.status !== 403 || res.body?.error !== 'csrf_failed') accepted.push(`${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 80)}`);
      }
    }
    expect(accepted, 'cookie writes that did not demand the CSRF token').toEqual([]);
    // The sessions were alive all along: with the header the same kind of request reaches the route.
    const withHeader = await admin.request('POST', '/api/v1/complaints/TS20261128-999999/notes', { text: 'x' });
    expect(withHeader.status).not.toBe(403);
    expect((await admin.get('/api/v1/me')).status).toBe(200);
  }, 60_000);
});
