// With MicrosoftAppId set the bot is a real Bot Framework bot: activities without a valid token
// are refused before any dialog runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startApp, type RunningApp } from '../support/e2e';

let running: RunningApp;
beforeAll(async () => {
  running = await startApp({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' });
});
afterAll(() => running.app.close());

function activity() {
  const conversationId = `auth-${randomUUID()}`;
  return {
    type: 'message', id: randomUUID(), channelId: 'webchat', serviceUrl: 'http://127.0.0.1:9/',
    from: { id: 'u1' }, recipient: { id: 'bot' }, conversation: { id: conversationId }, text: '我要投诉',
  };
}

async function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(running.botUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('Bot Framework authentication', () => {
  it('refuses an unsigned activity with 401 and starts no conversation', async () => {
    const body = activity();
    const res = await post(body);
    expect(res.status).toBe(401);
    expect(await running.app.db.botState.count({ where: { key: { contains: body.conversation.id } } })).toBe(0);
  });

  it('refuses a token that is not a JWT with 401', async () => {
    const res = await post(activity(), { authorization: 'Bearer not-a-jwt' });
    expect(res.status).toBe(401);
  });

  it('still answers health probes', async () => {
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
  });
});
