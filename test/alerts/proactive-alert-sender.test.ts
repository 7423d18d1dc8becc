// The chat path for real: bot/proactive-alert-sender.ts on the app's CloudAdapter (empty app id)
// posting to a LocalConnector, the way the Bot Connector receives proactive messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter } from '../../bot/adapter';
import { LocalConnector } from '../../bot/local-connector';
import { ProactiveAlertSender } from '../../bot/proactive-alert-sender';
import { ChannelRouter } from '../../bot/channel-router';
import { createChatTransport } from '../../services/alerts/delivery/chat-transport';
import { AlertDeliveryFailedError, deliverAlert } from '../../services/alerts/delivery/deliver-alert';
import { saveStaffContact } from '../../services/alerts/delivery/save-staff-contact';
import type { Database } from '../../services/db/client';
import { createLogger } from '../../services/logger';
import { alertTestConfig, alertTestDb, createAlertScenario, TEST_ACK_LINKS } from '../support/alert-fixtures';

const NOW = new Date('2026-11-28T06:01:00Z');

describe('ProactiveAlertSender (CloudAdapter → LocalConnector)', () => {
  let db: Database;
  let connector: LocalConnector;
  const logLines: string[] = [];
  const adapter = createAdapter(alertTestConfig(), createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(line) } }));
  const sender = new ProactiveAlertSender(new ChannelRouter(adapter, ''));

  beforeAll(async () => {
    db = alertTestDb();
    connector = await LocalConnector.start();
  });
  afterAll(async () => {
    await connector?.close();
    await db?.$disconnect();
  });

  const referenceFor = (conversationId: string, serviceUrl = connector.serviceUrl) => ({
    channelId: 'msteams', serviceUrl, conversation: { id: conversationId, name: '主管私聊' },
    user: { id: 'staff-user', name: '王主管', role: 'user' }, bot: { id: 'bot', name: 'bot', role: 'bot' },
  });

  it('posts the text into the stored conversation', async () => {
    await sender.send(referenceFor('conv-staff-1'), '测试预警 / test alert');

    const [activity] = await connector.waitForActivities('conv-staff-1', 1);
    expect(activity).toMatchObject({ type: 'message', text: '测试预警 / test alert', conversation: { id: 'conv-staff-1' }, channelId: 'msteams' });
  });

  it('delivers an alert end to end and records it sent', async () => {
    const s = await createAlertScenario(db);
    const conversationId = `conv-${s.staffId}`;
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'chat', reference: referenceFor(conversationId) } });

    const summary = await deliverAlert({ db, alertId: s.alertId, transports: { chat: createChatTransport(sender) }, ackLinks: TEST_ACK_LINKS, now: NOW });

    expect(summary.paths).toEqual([{ kind: 'chat', outcome: 'sent', attempts: 1 }]);
    const [activity] = await connector.waitForActivities(conversationId, 1);
    expect(activity!.text).toContain(`回复 ack ${s.complaintNumber} 确认 / reply ack ${s.complaintNumber} to acknowledge`);
    expect(activity!.text).not.toContain(s.complainant.name);
    expect(activity!.text).not.toContain(s.complainant.phone);
  });

  it('reports a connector refusal as a failure instead of letting onTurnError swallow it', async () => {
    const s = await createAlertScenario(db);
    // The connector answers 404 under this prefix, as the Bot Connector does for an unknown conversation.
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'chat', reference: referenceFor('conv-gone', `${connector.serviceUrl}/gone`) } });

    const error = await deliverAlert({ db, alertId: s.alertId, transports: { chat: createChatTransport(sender) }, ackLinks: TEST_ACK_LINKS, now: NOW }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AlertDeliveryFailedError);
    expect((error as AlertDeliveryFailedError).summary.paths).toEqual([{ kind: 'chat', outcome: 'failed', attempts: 1, errorClass: 'ChatSendError', retryable: false }]);
    const row = await db.alertDelivery.findUniqueOrThrow({ where: { alertId_kind: { alertId: s.alertId, kind: 'chat' } } });
    expect(row.lastError).toBe('ChatSendError: HTTP 404');
    expect(logLines.join('')).not.toContain('turn failed');
  });
});
