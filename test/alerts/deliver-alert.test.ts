// deliverAlert across all three paths: chat (a fake ChatAlertSender), e-mail (SMTP stand-in) and
// webhook (local receiver); each path once under concurrent and repeated calls; partial failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatTransport, type ChatAlertSender } from '../../services/alerts/delivery/chat-transport';
import { AlertDeliveryFailedError, deliverAlert } from '../../services/alerts/delivery/deliver-alert';
import { createEmailTransport, type EmailTransport } from '../../services/alerts/delivery/email-transport';
import { saveStaffContact } from '../../services/alerts/delivery/save-staff-contact';
import type { AlertTransports } from '../../services/alerts/delivery/transport';
import { createWebhookTransport } from '../../services/alerts/delivery/webhook-transport';
import type { Database } from '../../services/db/client';
import { alertTestDb, createAlertScenario, eventsOf, TEST_ACK_LINKS, type AlertScenario } from '../support/alert-fixtures';
import { startSmtpStandIn, type SmtpStandIn } from '../support/smtp-stand-in';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const NOW = new Date('2026-11-28T06:01:00Z');

/** Records what it was asked to send; slow enough that concurrent callers overlap. */
class FakeChatSender implements ChatAlertSender {
  sent: Array<{ reference: unknown; text: string }> = [];
  failWith: (Error & { statusCode?: number }) | null = null;
  async send(reference: unknown, text: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 50));
    if (this.failWith) throw this.failWith;
    this.sent.push({ reference, text });
  }
}

function staffReference(staffId: string) {
  return {
    channelId: 'msteams', serviceUrl: 'https://smba.example.net/apac/',
    conversation: { id: `a:staff-${staffId}`, name: '主管的私聊' },
    user: { id: `29:${staffId}`, name: '王主管' }, bot: { id: '28:bot', name: 'bot' },
  };
}

describe('deliverAlert', () => {
  let db: Database;
  let smtp: SmtpStandIn;
  let email: EmailTransport;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    db = alertTestDb(10);
    smtp = await startSmtpStandIn();
    email = createEmailTransport({ smtpUrl: smtp.url, from: 'alerts@example.com' });
    receiver = await startWebhookReceiver({ statuses: [200] });
  });
  afterAll(async () => {
    email?.close();
    await Promise.all([smtp?.close(), receiver?.close()]);
    await db?.$disconnect();
  });

  async function withAllContacts(s: AlertScenario): Promise<void> {
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'email', address: `all-${s.staffId}@example.com` } });
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'webhook', url: `${receiver.url}&staff=${s.staffId}` } });
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'chat', reference: staffReference(s.staffId) } });
  }
  const mailsTo = (s: AlertScenario) => smtp.messages.filter((m) => m.envelopeTo.includes(`all-${s.staffId}@example.com`));
  const hooksFor = (s: AlertScenario) => receiver.requests.filter((r) => JSON.parse(r.body).alertId === s.alertId);

  it('sends the chat message with the acknowledge command, without names from the stored reference', async () => {
    const s = await createAlertScenario(db);
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'chat', reference: staffReference(s.staffId) } });
    const chat = new FakeChatSender();

    const summary = await deliverAlert({ db, alertId: s.alertId, transports: { chat: createChatTransport(chat) }, ackLinks: TEST_ACK_LINKS, now: NOW });

    expect(summary).toMatchObject({ delivered: true, paths: [{ kind: 'chat', outcome: 'sent', attempts: 1 }] });
    expect(chat.sent).toHaveLength(1);
    const [{ reference, text }] = chat.sent as [{ reference: Record<string, any>; text: string }];
    expect(text).toContain(`回复 ack ${s.complaintNumber} 确认 / reply ack ${s.complaintNumber} to acknowledge`);
    expect(text).toContain(s.complaintNumber);
    expect(text).toContain('2026-11-28 14:30');
    for (const secret of [s.complainant.name, s.complainant.phone, s.description]) expect(text).not.toContain(secret);
    expect(reference).toMatchObject({ channelId: 'msteams', serviceUrl: 'https://smba.example.net/apac/', conversation: { id: `a:staff-${s.staffId}` } });
    expect(JSON.stringify(reference)).not.toContain('王主管');
  });

  it('sends every path exactly once when called twice at the same time, and not again later', async () => {
    const s = await createAlertScenario(db);
    await withAllContacts(s);
    const chat = new FakeChatSender();
    const transports: AlertTransports = { email, webhook: createWebhookTransport({ timeoutMs: 5000, attempts: 3, backoffMs: 200 }), chat: createChatTransport(chat) };

    const [a, b] = await Promise.all([
      deliverAlert({ db, alertId: s.alertId, transports, ackLinks: TEST_ACK_LINKS, now: NOW }),
      deliverAlert({ db, alertId: s.alertId, transports, ackLinks: TEST_ACK_LINKS, now: NOW }),
    ]);

    const outcomes = [...a.paths, ...b.paths].map((p) => `${p.kind}:${p.outcome}`).sort();
    expect(outcomes.filter((o) => o.endsWith(':sent')).sort()).toEqual(['chat:sent', 'email:sent', 'webhook:sent']);
    expect(outcomes.filter((o) => !o.endsWith(':sent')).every((o) => /:(in_progress|already_sent)$/.test(o))).toBe(true);
    await smtp.waitForMessages(1);
    expect(chat.sent).toHaveLength(1);
    expect(mailsTo(s)).toHaveLength(1);
    expect(hooksFor(s)).toHaveLength(1);
    expect((await eventsOf(db, s.complaintId, 'alert.delivered')).map((e) => (e.payload as { path: string }).path).sort()).toEqual(['chat', 'email', 'webhook']);

    const later = await deliverAlert({ db, alertId: s.alertId, transports, ackLinks: TEST_ACK_LINKS, now: new Date(NOW.getTime() + 10 * 60_000) });
    expect(later.paths.map((p) => p.outcome)).toEqual(['already_sent', 'already_sent', 'already_sent']);
    expect(chat.sent).toHaveLength(1);
    expect(mailsTo(s)).toHaveLength(1);
    expect(hooksFor(s)).toHaveLength(1);
  });

  it('does not throw when one path fails and another works; a later retry sends only the failed one', async () => {
    const s = await createAlertScenario(db);
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'email', address: `all-${s.staffId}@example.com` } });
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'chat', reference: staffReference(s.staffId) } });
    const chat = new FakeChatSender();
    chat.failWith = Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
    const transports: AlertTransports = { email, chat: createChatTransport(chat) };

    const first = await deliverAlert({ db, alertId: s.alertId, transports, ackLinks: TEST_ACK_LINKS, now: NOW });
    expect(first.paths).toEqual([
      { kind: 'chat', outcome: 'failed', attempts: 1, errorClass: 'ChatSendError', retryable: true },
      { kind: 'email', outcome: 'sent', attempts: 1 },
    ]);
    expect(first.delivered).toBe(true);

    chat.failWith = null;
    const retry = await deliverAlert({ db, alertId: s.alertId, transports, ackLinks: TEST_ACK_LINKS, now: new Date(NOW.getTime() + 60_000) });
    expect(retry.paths).toEqual([{ kind: 'chat', outcome: 'sent', attempts: 2 }, { kind: 'email', outcome: 'already_sent' }]);
    expect(chat.sent).toHaveLength(1);
    expect(mailsTo(s)).toHaveLength(1);
    expect((await eventsOf(db, s.complaintId, 'alert.delivery_failed')).map((e) => e.payload)).toEqual([
      { alertId: s.alertId, path: 'chat', attempt: 1, errorClass: 'ChatSendError', retryable: true },
    ]);
    expect((await eventsOf(db, s.complaintId, 'alert.delivered')).map((e) => e.payload)).toEqual([
      { alertId: s.alertId, path: 'email', attempt: 1 },
      { alertId: s.alertId, path: 'chat', attempt: 2 },
    ]);
  });

  it('throws a typed, retryable error when every path failed', async () => {
    const s = await createAlertScenario(db);
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'chat', reference: staffReference(s.staffId) } });
    const chat = new FakeChatSender();
    chat.failWith = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

    const error = await deliverAlert({ db, alertId: s.alertId, transports: { chat: createChatTransport(chat) }, ackLinks: TEST_ACK_LINKS, now: NOW }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AlertDeliveryFailedError);
    expect(error).toMatchObject({ name: 'AlertDeliveryFailedError', retryable: true });
    const row = await db.alertDelivery.findUniqueOrThrow({ where: { alertId_kind: { alertId: s.alertId, kind: 'chat' } } });
    expect(row).toMatchObject({ status: 'failed', lastError: 'ChatSendError: ECONNREFUSED', claimedUntil: null });
  });

  it('skips disabled contacts, acknowledged alerts and alerts without an active recipient', async () => {
    const s = await createAlertScenario(db);
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'chat', reference: staffReference(s.staffId) }, enabled: false });
    const chat = new FakeChatSender();
    const transports = { chat: createChatTransport(chat) };
    expect(await deliverAlert({ db, alertId: s.alertId, transports, ackLinks: TEST_ACK_LINKS, now: NOW })).toMatchObject({ paths: [], delivered: false });

    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'chat', reference: staffReference(s.staffId) } });
    await db.alert.update({ where: { id: s.alertId }, data: { status: 'acknowledged' } });
    expect(await deliverAlert({ db, alertId: s.alertId, transports, ackLinks: TEST_ACK_LINKS, now: NOW })).toMatchObject({ skipped: 'not_open', paths: [] });

    const inactive = await createAlertScenario(db, { staffActive: false });
    await saveStaffContact({ db, staffId: inactive.staffId, contact: { kind: 'chat', reference: staffReference(inactive.staffId) } });
    expect(await deliverAlert({ db, alertId: inactive.alertId, transports, ackLinks: TEST_ACK_LINKS, now: NOW })).toMatchObject({ skipped: 'no_recipient' });
    expect(chat.sent).toEqual([]);
  });

  it('takes over a claim whose sender died once its lease has run out', async () => {
    const s = await createAlertScenario(db);
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'chat', reference: staffReference(s.staffId) } });
    // A sender claimed the path and vanished.
    await db.alertDelivery.create({ data: { alertId: s.alertId, kind: 'chat', status: 'pending', claimedUntil: new Date(NOW.getTime() + 120_000) } });
    const chat = new FakeChatSender();
    const transports = { chat: createChatTransport(chat) };

    expect((await deliverAlert({ db, alertId: s.alertId, transports, ackLinks: TEST_ACK_LINKS, now: NOW })).paths).toEqual([{ kind: 'chat', outcome: 'in_progress' }]);
    expect(chat.sent).toHaveLength(0);
    const afterLease = await deliverAlert({ db, alertId: s.alertId, transports, ackLinks: TEST_ACK_LINKS, now: new Date(NOW.getTime() + 121_000) });
    expect(afterLease.paths).toEqual([{ kind: 'chat', outcome: 'sent', attempts: 1 }]);
    expect(chat.sent).toHaveLength(1);
  });
});
