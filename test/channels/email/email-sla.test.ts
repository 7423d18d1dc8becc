// An e-mail complaint is triaged like any other and the chat's after-filing hook runs for it: in
// the app as `npm start` runs it (SLA_MODE in-process), a level-1 complaint e-mailed in has its SLA
// timers in Redis and its supervisor alert delivered (by signed webhook), besides its acknowledgement.
// A private database: the reconciler reads every deadline.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveStaffContact } from '../../../services/alerts/delivery/save-staff-contact';
import { startSmtpStandIn, type SmtpStandIn } from '../../support/smtp-stand-in';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { startApp, type RunningApp } from '../../support/e2e';
import { newQueueName, obliterateQueue, privateDatabase, type PrivateDatabase } from '../../sla/sla-support';

let database: PrivateDatabase;
let running: RunningApp;
let relay: SmtpStandIn;
let receiver: WebhookReceiver;
let fileDir: string;
const queueName = newQueueName();

beforeAll(async () => {
  database = await privateDatabase();
  [relay, receiver] = await Promise.all([startSmtpStandIn(), startWebhookReceiver()]);
  fileDir = await mkdtemp(path.join(tmpdir(), 'email-sla-files-'));
  // Complaints of type "other" go to customer service (the policy's default department).
  const supervisor = await database.db.staff.findUniqueOrThrow({ where: { employeeNo: 'S2001' } });
  await saveStaffContact({ db: database.db, staffId: supervisor.id, contact: { kind: 'webhook', url: receiver.url } });
  running = await startApp({
    DATABASE_URL: database.url, SLA_MODE: 'in-process',
    EMAIL_INTAKE_PORT: '0', EMAIL_INTAKE_RECIPIENTS: 'complaints@insurer.example', EMAIL_ACK_FROM: 'complaints@insurer.example',
    SMTP_URL: relay.url, ALERT_MAIL_FROM: 'alerts@insurer.example', FILE_STORE_DIR: fileDir,
  }, { slaQueueName: queueName });
  await running.app.startBackground();
}, 60_000);

afterAll(async () => {
  await running?.app.close();
  await relay?.close();
  await receiver?.close();
  await obliterateQueue(queueName);
  await database?.drop();
  await rm(fileDir, { recursive: true, force: true });
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

describe('an e-mailed level-1 complaint', () => {
  it('gets its SLA timers and its supervisor alert, like a chat complaint', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: running.app.email!.listener.port!, secure: false, ignoreTLS: true });
    const info = await transport.sendMail({
      from: '"李娜" <li.na.sla@mail.example>', to: 'complaints@insurer.example', messageId: `<${randomUUID()}@mail.example>`,
      subject: '拒赔投诉', text: '拒赔理由不成立，损失80万，我已经请了律师准备起诉。',
    });
    transport.close();
    const number = /TS\d{8}-\d{6}/.exec(info.response)![0];

    const complaint = await database.db.complaint.findUniqueOrThrow({ where: { number }, include: { deadlines: true } });
    expect(complaint).toMatchObject({ tier: 'L1', intakeChannel: 'email' });
    const feedback = complaint.deadlines.find((d) => d.kind === 'feedback')!;
    const breach = await until(async () => running.app.background.sla?.queue.getJob(`dl-${feedback.id}-breach`));
    expect(breach.data).not.toHaveProperty('name');

    const hook = await until(async () => receiver.requests.find((r) => r.body.includes(number)));
    expect(hook.body).not.toContain('律师');
    expect(hook.body).not.toContain('li.na.sla');

    const ack = await until(async () => relay.messages.find((m) => m.subject.includes(number)));
    expect(ack.text).toContain('专人将在');
  });
});
