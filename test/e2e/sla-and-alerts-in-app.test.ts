// The app as `npm start` runs it (SLA_MODE in-process): a level-1 complaint filed in chat has its
// timers in Redis at once, the claims supervisor's alert goes out by signed webhook, and the
// e-mail link acknowledges it. A private database: the reconciler reads every deadline.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveStaffContact } from '../../services/alerts/delivery/save-staff-contact';
import { signAlertAckToken } from '../../services/alerts/delivery/ack-link';
import { ChatSession, LocalConnector, fileZhComplaint, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp } from '../support/e2e';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { newQueueName, obliterateQueue, privateDatabase, type PrivateDatabase } from '../sla/sla-support';

let database: PrivateDatabase;
let running: RunningApp;
let connector: LocalConnector;
let receiver: WebhookReceiver;
let webhookSecret: string;
const queueName = newQueueName();

beforeAll(async () => {
  database = await privateDatabase();
  receiver = await startWebhookReceiver();
  const supervisor = await database.db.staff.findUniqueOrThrow({ where: { employeeNo: 'S2002' } });
  webhookSecret = (await saveStaffContact({ db: database.db, staffId: supervisor.id, contact: { kind: 'webhook', url: receiver.url } })).secret!;
  running = await startApp({ DATABASE_URL: database.url, SLA_MODE: 'in-process' }, { slaQueueName: queueName });
  await running.app.startBackground();
  connector = await LocalConnector.start();
}, 60_000);

afterAll(async () => {
  await connector?.close();
  await running?.app.close();
  await receiver?.close();
  await obliterateQueue(queueName);
  await database?.drop();
});

async function until<T>(probe: () => Promise<T | null | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SLA clock and alert delivery in the running app', () => {
  it('schedules timers, delivers the supervisor alert by signed webhook, and acknowledges it from the link', async () => {
    const chat = new ChatSession({ botUrl: running.botUrl, connector, userId: randomId('u'), conversationId: randomId('c') });
    const turns = await fileZhComplaint((text) => chat.say(text), { ...newZhComplaint(), description: '拒赔理由不成立，我已经请了律师', amount: '80万' });
    const number = numberIn(turnText(turns[turns.length - 1]!));

    const complaint = await database.db.complaint.findUniqueOrThrow({ where: { number }, include: { deadlines: true } });
    expect(complaint.tier).toBe('L1');
    const breach = await until(async () => running.app.background.sla?.queue.getJob(`dl-${complaint.deadlines.find((d) => d.kind === 'feedback')!.id}-breach`));
    expect(breach.data).not.toHaveProperty('name');

    const hook = await until(async () => receiver.requests.find((r) => r.body.includes(number)));
    const timestamp = String(hook.headers['x-signature-timestamp']);
    const expected = createHmac('sha256', webhookSecret).update(`${timestamp}.${hook.body}`).digest('hex');
    expect(hook.headers['x-signature']).toBe(expected);
    expect(hook.body).not.toContain('律师');

    const alert = await database.db.alert.findFirstOrThrow({ where: { complaint: { number } } });
    const token = signAlertAckToken({ alertId: alert.id, secret: 'dev-only-staff-token-secret-change-me-in-production', expiresAt: new Date(Date.now() + 60_000) });
    const page = await fetch(`${running.baseUrl}/api/v1/alerts/${alert.id}/ack?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(await database.db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: 'open' });
    const ack = await fetch(`${running.baseUrl}/api/v1/alerts/${alert.id}/ack`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(token)}`,
    });
    expect(ack.status).toBe(200);
    expect(await database.db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: 'acknowledged' });
    const forged = await fetch(`${running.baseUrl}/api/v1/alerts/${alert.id}/ack`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(`${token}x`)}`,
    });
    expect(forged.status).toBe(403);
  });
});
