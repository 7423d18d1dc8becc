// Staff members set how they are told of alerts: e-mail, a signed webhook, or their chat with the bot
// (linked by typing a one-time code from the console into that chat). Admins manage anyone's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { issueStaffToken } from '../../services/staff/staff-token';
import { findStaffByChat } from '../../services/alerts/delivery/find-staff-by-chat';
import { testConfig } from '../support/app';
import { ChatSession, LocalConnector, startApp, turnText, type RunningApp } from '../support/e2e';

let running: RunningApp;
let connector: LocalConnector;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  [running, connector] = await Promise.all([startApp(), LocalConnector.start()]);
  // Staff of this file's own (other files use the demo staff's contacts at the same time).
  const tag = randomBytes(4).toString('hex');
  for (const [name, role] of [['A1001', 'agent'], ['S2002', 'supervisor'], ['ADMIN', 'admin'], ['V4001', 'supervision']] as const) {
    const staff = await running.app.db.staff.create({ data: { employeeNo: `${name}-${tag}`, displayName: `${name} ${tag}`, role } });
    ids[name] = staff.id;
    tokens[name] = issueStaffToken({ staffId: staff.id, secret: testConfig().staffTokenSecret, ttlSeconds: 600, now: new Date() });
  }
});
afterAll(async () => {
  await connector?.close();
  await running?.app.close();
});

function call(method: string, path: string, token?: string, body?: unknown) {
  return fetch(`${running.baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

describe('staff contacts API', () => {
  it('lets a staff member set their e-mail and webhook; the webhook secret is shown once and never listed', async () => {
    const me = ids.S2002!;
    expect((await call('PUT', `/api/v1/staff/${me}/contacts/email`, tokens.S2002, { address: 'claims.lead@insurer.example' })).status).toBe(200);
    const hook = await call('PUT', `/api/v1/staff/me/contacts/webhook`, tokens.S2002, { url: 'https://robot.example/hook' });
    expect(hook.status).toBe(200);
    const { secret } = (await hook.json()) as { secret: string };
    expect(secret).toMatch(/^[0-9a-f]{64}$/);

    const listed = await call('GET', `/api/v1/staff/${me}/contacts`, tokens.S2002);
    const text = await listed.text();
    expect(text).not.toContain(secret);
    expect(JSON.parse(text).contacts).toEqual([
      expect.objectContaining({ kind: 'email', enabled: true, address: 'claims.lead@insurer.example' }),
      expect.objectContaining({ kind: 'webhook', enabled: true, address: 'https://robot.example/hook' }),
    ]);
  });

  it('switches a path off, and says so when there is none', async () => {
    const me = ids.S2002!;
    expect((await call('DELETE', `/api/v1/staff/${me}/contacts/email`, tokens.S2002)).status).toBe(204);
    const { contacts } = (await (await call('GET', `/api/v1/staff/${me}/contacts`, tokens.S2002)).json()) as { contacts: { kind: string; enabled: boolean }[] };
    expect(contacts.find((c) => c.kind === 'email')?.enabled).toBe(false);
    expect((await call('DELETE', `/api/v1/staff/${ids.A1001}/contacts/chat`, tokens.A1001)).status).toBe(404);
  });

  it("refuses another staff member's contacts unless the caller is an admin, and anonymous calls", async () => {
    expect((await call('PUT', `/api/v1/staff/${ids.S2002}/contacts/email`, tokens.A1001, { address: 'x@y.example' })).status).toBe(403);
    expect((await call('GET', `/api/v1/staff/${ids.S2002}/contacts`, tokens.A1001)).status).toBe(403);
    expect((await call('GET', `/api/v1/staff/${ids.S2002}/contacts`)).status).toBe(401);
    expect((await call('PUT', `/api/v1/staff/${ids.A1001}/contacts/email`, tokens.ADMIN, { address: 'agent.one@insurer.example' })).status).toBe(200);
  });

  it('lets the (read-only) supervision department set its own alert paths', async () => {
    expect((await call('PUT', `/api/v1/staff/me/contacts/email`, tokens.V4001, { address: 'supervision@insurer.example' })).status).toBe(200);
    expect((await call('PUT', `/api/v1/staff/${ids.A1001}/contacts/email`, tokens.V4001, { address: 'x@insurer.example' })).status).toBe(403);
  });

  it('explains bad input', async () => {
    const bad = await call('PUT', `/api/v1/staff/me/contacts/email`, tokens.A1001, { address: 'not an address' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/e-mail/);
    expect((await call('PUT', `/api/v1/staff/me/contacts/webhook`, tokens.A1001, { url: 'ftp://robot.example' })).status).toBe(400);
    expect((await call('PUT', `/api/v1/staff/me/contacts/pager`, tokens.A1001, { address: 'x' })).status).toBe(400);
    expect((await call('GET', `/api/v1/staff/not-a-uuid/contacts`, tokens.ADMIN)).status).toBe(400);
  });

  it('links the chat a one-time code is typed into, once', async () => {
    const res = await call('POST', `/api/v1/staff/me/contacts/chat/link-code`, tokens.A1001);
    expect(res.status).toBe(201);
    const { code } = (await res.json()) as { code: string };
    expect(code).toMatch(/^\d{6}$/);

    const teams = new ChatSession({ botUrl: running.botUrl, connector, channelId: 'msteams', userId: 'aad-agent-one' });
    expect(turnText(await teams.say(`绑定 ${code}`))).toContain('已绑定');
    expect(await findStaffByChat({ db: running.app.db, channelId: 'msteams', conversationId: teams.conversationId, userId: 'aad-agent-one' })).toBe(ids.A1001);
    const { contacts } = (await (await call('GET', `/api/v1/staff/me/contacts`, tokens.A1001)).json()) as { contacts: { kind: string; channelId: string | null }[] };
    expect(contacts).toContainEqual(expect.objectContaining({ kind: 'chat', channelId: 'msteams' }));

    // The code works once: typed again (or by someone else) it is refused.
    const other = new ChatSession({ botUrl: running.botUrl, connector, channelId: 'msteams', userId: 'aad-someone' });
    expect(turnText(await other.say(`link ${code}`))).toMatch(/无效|expired/);
    expect(await findStaffByChat({ db: running.app.db, channelId: 'msteams', conversationId: other.conversationId, userId: 'aad-someone' })).toBeNull();
  });
});
