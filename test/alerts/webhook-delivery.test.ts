// Signed webhooks to a local node:http receiver: the signature and timestamp a robot would check,
// retries with backoff on 5xx, no retry on other 4xx, and timeouts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { AlertDeliveryFailedError, deliverAlert } from '../../services/alerts/delivery/deliver-alert';
import { saveStaffContact } from '../../services/alerts/delivery/save-staff-contact';
import { createWebhookTransport } from '../../services/alerts/delivery/webhook-transport';
import type { Database } from '../../services/db/client';
import { alertTestDb, createAlertScenario, eventsOf, TEST_ACK_LINKS } from '../support/alert-fixtures';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const NOW = new Date('2026-11-28T06:01:00Z');
const SECRET = 'robot-secret-0123456789abcdef';

/** What the robot's side does: recompute the HMAC over `${timestamp}.${body}` and check freshness. */
function robotAccepts(headers: Record<string, string | string[] | undefined>, body: string, secret: string): boolean {
  const timestamp = String(headers['x-signature-timestamp'] ?? '');
  const signature = String(headers['x-signature'] ?? '');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
  return fresh && /^[0-9a-f]{64}$/.test(signature) && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

describe('alert delivery by signed webhook', () => {
  let db: Database;
  let receiver: WebhookReceiver | undefined;
  const webhook = createWebhookTransport({ timeoutMs: 5000, attempts: 3, backoffMs: 200 });

  beforeAll(() => {
    db = alertTestDb();
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  async function scenarioWithWebhook(statuses: number[], delayMs = 0) {
    receiver = await startWebhookReceiver({ statuses, delayMs });
    const s = await createAlertScenario(db);
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'webhook', url: receiver.url, secret: SECRET } });
    return s;
  }

  it('posts the alert as JSON signed with the contact secret and a fresh timestamp', async () => {
    const s = await scenarioWithWebhook([200]);

    const summary = await deliverAlert({ db, alertId: s.alertId, transports: { webhook }, ackLinks: TEST_ACK_LINKS, now: NOW });

    expect(summary.paths).toEqual([{ kind: 'webhook', outcome: 'sent', attempts: 1 }]);
    expect(receiver!.requests).toHaveLength(1);
    const [request] = receiver!.requests;
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(robotAccepts(request!.headers, request!.body, SECRET)).toBe(true);
    expect(robotAccepts(request!.headers, request!.body, 'another-secret-0123456789')).toBe(false);
    expect(robotAccepts(request!.headers, request!.body.replace(s.complaintNumber, 'TS20990101-000001'), SECRET)).toBe(false);
    const payload = JSON.parse(request!.body);
    expect(payload).toEqual({
      alertId: s.alertId, complaintNumber: s.complaintNumber, tier: 'L1', kind: 'triage.l1',
      dueAt: '2026-11-28T14:30:00+08:00', dueKind: 'first_response', ackUrl: expect.stringMatching(`^https://complaints.test/api/v1/alerts/${s.alertId}/ack\\?token=`),
    });
    for (const secret of [s.complainant.name, s.complainant.phone, s.description]) expect(request!.body).not.toContain(secret);
  });

  it('retries 500 twice with exponential backoff, then delivers once', async () => {
    const s = await scenarioWithWebhook([500, 500, 200]);

    const summary = await deliverAlert({ db, alertId: s.alertId, transports: { webhook }, ackLinks: TEST_ACK_LINKS, now: NOW });

    expect(summary.paths).toEqual([{ kind: 'webhook', outcome: 'sent', attempts: 3 }]);
    const times = receiver!.requests.map((r) => r.receivedAt);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(190);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(390);
    expect(new Set(receiver!.requests.map((r) => r.body)).size).toBe(1); // the same alert each time
    for (const r of receiver!.requests) expect(robotAccepts(r.headers, r.body, SECRET)).toBe(true);
    const row = await db.alertDelivery.findUniqueOrThrow({ where: { alertId_kind: { alertId: s.alertId, kind: 'webhook' } } });
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect((await eventsOf(db, s.complaintId, 'alert.delivered')).map((e) => e.payload)).toEqual([{ alertId: s.alertId, path: 'webhook', attempt: 3 }]);
    expect(await eventsOf(db, s.complaintId, 'alert.delivery_failed')).toEqual([]);

    // A retried job afterwards sends nothing more.
    const again = await deliverAlert({ db, alertId: s.alertId, transports: { webhook }, ackLinks: TEST_ACK_LINKS, now: new Date(NOW.getTime() + 60_000) });
    expect(again.paths).toEqual([{ kind: 'webhook', outcome: 'already_sent' }]);
    expect(receiver!.requests).toHaveLength(3);
  });

  it('does not retry a 400 and records it failed', async () => {
    const s = await scenarioWithWebhook([400, 200]);

    const error = await deliverAlert({ db, alertId: s.alertId, transports: { webhook }, ackLinks: TEST_ACK_LINKS, now: NOW }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AlertDeliveryFailedError);
    expect((error as AlertDeliveryFailedError).retryable).toBe(false);
    expect((error as AlertDeliveryFailedError).summary.paths).toEqual([{ kind: 'webhook', outcome: 'failed', attempts: 1, errorClass: 'WebhookHttpError', retryable: false }]);
    expect(receiver!.requests).toHaveLength(1);
    const row = await db.alertDelivery.findUniqueOrThrow({ where: { alertId_kind: { alertId: s.alertId, kind: 'webhook' } } });
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: 'WebhookHttpError: HTTP 400', sentAt: null });
    expect(row.lastError).not.toContain('test-robot-key');
    const events = await eventsOf(db, s.complaintId, 'alert.delivery_failed');
    expect(events.map((e) => e.payload)).toEqual([{ alertId: s.alertId, path: 'webhook', attempt: 1, errorClass: 'WebhookHttpError', retryable: false }]);
  });

  it('retries 408 and 429, and gives up after the last attempt on a server that keeps failing', async () => {
    const s = await scenarioWithWebhook([429, 408, 503]);
    const fast = createWebhookTransport({ timeoutMs: 5000, attempts: 3, backoffMs: 10 });

    const error = await deliverAlert({ db, alertId: s.alertId, transports: { webhook: fast }, ackLinks: TEST_ACK_LINKS, now: NOW }).catch((e: unknown) => e);

    expect(receiver!.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(AlertDeliveryFailedError);
    expect((error as AlertDeliveryFailedError).retryable).toBe(true);
    const row = await db.alertDelivery.findUniqueOrThrow({ where: { alertId_kind: { alertId: s.alertId, kind: 'webhook' } } });
    expect(row).toMatchObject({ status: 'failed', attempts: 3, lastError: 'WebhookHttpError: HTTP 503' });
  });

  it('gives up on a request after the timeout', async () => {
    const s = await scenarioWithWebhook([200], 2_000);
    const impatient = createWebhookTransport({ timeoutMs: 150, attempts: 2, backoffMs: 10 });

    const error = await deliverAlert({ db, alertId: s.alertId, transports: { webhook: impatient }, ackLinks: TEST_ACK_LINKS, now: NOW }).catch((e: unknown) => e);

    expect((error as AlertDeliveryFailedError).summary.paths).toEqual([{ kind: 'webhook', outcome: 'failed', attempts: 2, errorClass: 'WebhookTimeout', retryable: true }]);
    expect(receiver!.requests).toHaveLength(2);
  });
});
