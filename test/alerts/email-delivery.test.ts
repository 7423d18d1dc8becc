// E-mail alerts over real SMTP (nodemailer → the smtp-server stand-in, with AUTH).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAlertAckToken } from '../../services/alerts/delivery/ack-link';
import { createAlertTransports } from '../../services/alerts/delivery/create-alert-transports';
import { AlertDeliveryFailedError, deliverAlert } from '../../services/alerts/delivery/deliver-alert';
import { createEmailTransport, type EmailTransport } from '../../services/alerts/delivery/email-transport';
import { saveStaffContact } from '../../services/alerts/delivery/save-staff-contact';
import { createLogger } from '../../services/logger';
import type { Database } from '../../services/db/client';
import { alertTestConfig, alertTestDb, createAlertScenario, eventsOf, TEST_ACK_LINKS } from '../support/alert-fixtures';
import { startSmtpStandIn, type SmtpStandIn } from '../support/smtp-stand-in';

const NOW = new Date('2026-11-28T06:01:00Z');

describe('alert delivery by e-mail', () => {
  let db: Database;
  let smtp: SmtpStandIn;
  let email: EmailTransport;

  beforeAll(async () => {
    db = alertTestDb();
    smtp = await startSmtpStandIn({ rejectRecipients: ['nobody@example.com'] });
    email = createEmailTransport({ smtpUrl: smtp.url, from: '投诉预警 <alerts@example.com>' });
  });
  afterAll(async () => {
    email?.close();
    await smtp?.close();
    await db?.$disconnect();
  });

  it('sends a bilingual mail with the number, due time and ack link, and nothing about the complainant', async () => {
    const s = await createAlertScenario(db);
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'email', address: `sup-${s.staffId}@example.com` } });
    const before = smtp.messages.length;

    const summary = await deliverAlert({ db, alertId: s.alertId, transports: { email }, ackLinks: TEST_ACK_LINKS, now: NOW });

    expect(summary.paths).toEqual([{ kind: 'email', outcome: 'sent', attempts: 1 }]);
    const [mail] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(mail!.envelopeTo).toEqual([`sup-${s.staffId}@example.com`]);
    expect(mail!.envelopeFrom).toBe('alerts@example.com');
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail!.subject).toContain(s.complaintNumber);
    for (const body of [mail!.text, mail!.html]) {
      expect(body).toContain(s.complaintNumber);
      expect(body).toContain('2026-11-28 14:30'); // first response due 06:30Z = 14:30 Beijing time
      expect(body).toContain('北京时间');
      expect(body).toContain('Beijing time');
    }
    expect(mail!.text.indexOf('投诉编号')).toBeLessThan(mail!.text.indexOf('Complaint number')); // Chinese first
    const link = /https:\/\/complaints\.test\/api\/v1\/alerts\/([0-9a-f-]+)\/ack\?token=([^\s"<]+)/.exec(mail!.text);
    expect(link?.[1]).toBe(s.alertId);
    expect(verifyAlertAckToken({ alertId: s.alertId, token: decodeURIComponent(link![2]!), secret: TEST_ACK_LINKS.secret, now: NOW })).toEqual({ ok: true });
    expect(mail!.html).toContain(`href="https://complaints.test/api/v1/alerts/${s.alertId}/ack?token=`);
    for (const secret of [s.complainant.name, s.complainant.phone, s.complainant.email, s.description]) {
      expect(mail!.raw).not.toContain(secret);
      expect(mail!.text + mail!.html + mail!.subject).not.toContain(secret);
    }

    const row = await db.alertDelivery.findUniqueOrThrow({ where: { alertId_kind: { alertId: s.alertId, kind: 'email' } } });
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null, sentAt: NOW });
    const events = await eventsOf(db, s.complaintId, 'alert.delivered');
    expect(events.map((e) => e.payload)).toEqual([{ alertId: s.alertId, path: 'email', attempt: 1 }]);
  });

  it('records a refused recipient as a permanent failure, without the address, and throws because no path worked', async () => {
    const s = await createAlertScenario(db);
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'email', address: 'nobody@example.com' } });

    const error = await deliverAlert({ db, alertId: s.alertId, transports: { email }, ackLinks: TEST_ACK_LINKS, now: NOW }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AlertDeliveryFailedError);
    expect((error as AlertDeliveryFailedError).retryable).toBe(false);
    const row = await db.alertDelivery.findUniqueOrThrow({ where: { alertId_kind: { alertId: s.alertId, kind: 'email' } } });
    expect(row.status).toBe('failed');
    expect(row.lastError).toMatch(/^SmtpError: EENVELOPE 550$/);
    const [event] = await eventsOf(db, s.complaintId, 'alert.delivery_failed');
    expect(event!.payload).toEqual({ alertId: s.alertId, path: 'email', attempt: 1, errorClass: 'SmtpError', retryable: false });
    expect(JSON.stringify({ ...event, id: String(event!.id) })).not.toContain('nobody@');
  });

  it('is switched off without SMTP_URL, and says so', async () => {
    const lines: string[] = [];
    const setup = createAlertTransports(alertTestConfig(), { log: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }) });
    expect(setup.transports.email).toBeUndefined();
    expect(lines.join('')).toContain('e-mail alert delivery is disabled: SMTP_URL is not set');

    const s = await createAlertScenario(db);
    await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'email', address: `x-${s.staffId}@example.com` } });
    const summary = await deliverAlert({ db, alertId: s.alertId, transports: setup.transports, ackLinks: setup.ackLinks, now: NOW });
    expect(summary).toMatchObject({ delivered: false, paths: [{ kind: 'email', outcome: 'unavailable' }] });
  });

  it('is built from SMTP_URL and ALERT_MAIL_FROM', async () => {
    const config = alertTestConfig({ SMTP_URL: smtp.url, ALERT_MAIL_FROM: 'alerts@example.com', PUBLIC_BASE_URL: 'https://complaints.example.com/' });
    const setup = createAlertTransports(config);
    try {
      const s = await createAlertScenario(db);
      await saveStaffContact({ db, staffId: s.staffId, contact: { kind: 'email', address: `y-${s.staffId}@example.com` } });
      const before = smtp.messages.length;
      await deliverAlert({ db, alertId: s.alertId, transports: setup.transports, ackLinks: setup.ackLinks, now: NOW });
      const [mail] = (await smtp.waitForMessages(before + 1)).filter((m) => m.envelopeTo.includes(`y-${s.staffId}@example.com`));
      expect(mail!.text).toContain(`https://complaints.example.com/api/v1/alerts/${s.alertId}/ack?token=`);
    } finally {
      setup.close();
    }
  });
});
