// E-mail intake end to end: real e-mails sent with nodemailer to the app's own SMTP listener (on a
// free port), filed into the real PostgreSQL, attachments into a real file store directory, and the
// acknowledgement received by a local SMTP server standing in for the company's relay.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { Client } from 'pg';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../services/logger';
import { readStoredFile } from '../../../services/files/file-store';
import { formatEn, formatZh } from '../../../services/email-intake/acknowledgement-mail';
import { startSmtpStandIn, type ReceivedMail, type SmtpStandIn } from '../../support/smtp-stand-in';
import { MemoryStream, randomChineseName, startApp, type RunningApp } from '../../support/e2e';
import { testDatabaseUrl } from '../../support/database';
import { emailLookupHash } from '../../../services/complainants/upsert-complainant';
import { TEST_PII_HASH_KEY } from '../../support/app';

// E-mail addresses are encrypted at rest: complainants are counted by the keyed hash, as the app finds them.
const emailHashOf = (address: string) => emailLookupHash(address, TEST_PII_HASH_KEY);

const INBOX = 'complaints@insurer.example';
const logs = new MemoryStream();
let relay: SmtpStandIn;
let bot: RunningApp;
let fileDir: string;
const personalData: string[] = [];

function intakeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    EMAIL_INTAKE_PORT: '0', EMAIL_INTAKE_RECIPIENTS: `${INBOX},claims.insurer.example`, EMAIL_INTAKE_MAX_BYTES: String(300 * 1024),
    EMAIL_ACK_FROM: `客户投诉 <${INBOX}>`, SMTP_URL: relay.url, ALERT_MAIL_FROM: 'alerts@insurer.example',
    FILE_STORE_DIR: fileDir, FILE_MAX_BYTES: String(100 * 1024), ...extra,
  };
}

beforeAll(async () => {
  relay = await startSmtpStandIn();
  fileDir = await mkdtemp(path.join(tmpdir(), 'email-intake-files-'));
  bot = await startApp(intakeEnv(), { log: createLogger({ level: 'debug', destination: logs }) });
});
afterAll(async () => {
  await bot?.app.close();
  await relay?.close();
  await rm(fileDir, { recursive: true, force: true });
});

/** A customer of our own: a random name and address, remembered so the log check can look for them. */
function newCustomer() {
  const name = randomChineseName();
  const address = `cust.${randomBytes(5).toString('hex')}@mail.example`;
  personalData.push(name, address);
  return { name, address, from: `"${name}" <${address}>` };
}

async function sendTo(port: number, mail: Mail.Options): Promise<{ code: number; response: string }> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 });
  try {
    const info = await transport.sendMail({ to: INBOX, ...mail });
    return { code: Number(info.response.slice(0, 3)), response: info.response };
  } catch (err) {
    const { responseCode, response } = err as { responseCode?: number; response?: string };
    if (responseCode === undefined) throw err;
    return { code: responseCode, response: response ?? '' };
  } finally {
    transport.close();
  }
}
const send = (mail: Mail.Options) => sendTo(bot.app.email!.listener.port!, mail);

async function complaintByNumber(number: string) {
  return bot.app.db.complaint.findUniqueOrThrow({
    where: { number },
    select: {
      id: true, intakeChannel: true, channelId: true, description: true, locale: true, status: true, feedbackMethod: true, tier: true,
      complainant: { select: { id: true, name: true, email: true, phone: true, emailHash: true } },
      deadlines: { select: { kind: true, dueAt: true } },
      events: { select: { type: true, payload: true }, orderBy: { id: 'asc' } },
    },
  });
}

function numberFrom(response: string): string {
  const match = /TS\d{8}-\d{6}/.exec(response);
  expect(match, `no complaint number in the SMTP answer: ${response}`).not.toBeNull();
  return match![0];
}

async function acknowledgementFor(number: string): Promise<ReceivedMail> {
  for (;;) {
    const found = relay.messages.find((m) => m.subject.includes(number));
    if (found) return found;
    await relay.waitForMessages(relay.messages.length + 1, 10_000);
  }
}

async function waitForStatus(number: string, status: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await complaintByNumber(number)).status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect((await complaintByNumber(number)).status).toBe(status);
}

async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('a complaint by e-mail', () => {
  const customer = newCustomer();
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(30_000)]);
  const messageId = `<${randomUUID()}@mail.example>`;
  let number = '';
  let ack: ReceivedMail;

  it('becomes a complaint with channel email, the subject and body as its description, triaged with deadlines', async () => {
    const answer = await send({
      from: customer.from, messageId,
      subject: '理赔被拒投诉',
      text: '我的住院理赔申请被拒绝了，理由是既往症，但投保时我已如实告知。请尽快重新处理。',
      attachments: [{ filename: '拒赔通知书.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    expect(answer.code).toBe(250);
    number = numberFrom(answer.response);

    const complaint = await complaintByNumber(number);
    expect(complaint).toMatchObject({ intakeChannel: 'email', channelId: 'email', feedbackMethod: 'email', locale: 'zh-CN' });
    expect(complaint.description).toContain('理赔被拒投诉');
    expect(complaint.description).toContain('如实告知');
    expect(complaint.complainant).toMatchObject({ name: customer.name, email: customer.address, phone: null });
    expect(complaint.complainant.emailHash).toMatch(/^[0-9a-f]{64}$/);
    expect(complaint.tier).not.toBeNull();
    expect(complaint.events.map((e) => e.type)).toEqual(expect.arrayContaining(['complaint.received', 'triage.decided', 'deadlines.set', 'file.stored', 'email.received']));
    expect(complaint.deadlines.map((d) => d.kind)).toContain('feedback');
  });

  it('keeps the attachment byte for byte', async () => {
    const complaint = await complaintByNumber(number);
    const stored = await bot.app.db.storedFile.findMany({ where: { complaintId: complaint.id }, select: { id: true, originalName: true, source: true } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ originalName: '拒赔通知书.pdf', source: 'email' });
    const { meta, stream } = await bot.app.files.readStoredFile({ db: bot.app.db, id: stored[0]!.id });
    expect(await readAll(stream)).toEqual(pdf);
    expect(meta.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  it('is acknowledged by e-mail with the number and the feedback date, in Chinese with English below, in the same thread', async () => {
    ack = await acknowledgementFor(number);
    const complaint = await complaintByNumber(number);
    const feedbackDue = complaint.deadlines.find((d) => d.kind === 'feedback')!.dueAt;

    expect(ack.envelopeTo).toEqual([customer.address]);
    expect(ack.envelopeFrom).toBe(INBOX);
    expect(ack.subject).toContain(number);
    expect(ack.text).toContain(`投诉编号：${number}`);
    expect(ack.text).toContain(`我们将在 ${formatZh(feedbackDue, 'Asia/Shanghai')} 前通过电子邮件向您反馈处理结果`);
    expect(ack.text).toContain(`Complaint number: ${number}`);
    expect(ack.text).toContain(formatEn(feedbackDue, 'Asia/Shanghai'));
    expect(ack.text.indexOf('投诉编号')).toBeLessThan(ack.text.indexOf('Complaint number'));
    expect(ack.headers.get('in-reply-to')).toBe(messageId);
    expect(ack.headers.get('references')).toContain(messageId);
    expect(ack.headers.get('message-id')).toMatch(new RegExp(`^<complaint-ack\\.${number}\\.[0-9a-f]{20}@insurer\\.example>$`));
    expect(ack.headers.get('auto-submitted')).toBe('auto-replied');

    await waitForStatus(number, 'acknowledged');
    const events = (await complaintByNumber(number)).events.map((e) => e.type);
    expect(events).toContain('email.acknowledgement_sent');
  });

  it('a reply in the thread attaches to the same complaint, with its attachment; no new complaint, no clock restart', async () => {
    const complaintsBefore = await bot.app.db.complaint.count({ where: { complainant: { emailHash: emailHashOf(customer.address) } } });
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), randomBytes(5000)]);
    const ackId = ack.headers.get('message-id')!;
    const answer = await send({
      from: customer.from, messageId: `<${randomUUID()}@mail.example>`, inReplyTo: ackId, references: [messageId, ackId],
      subject: `Re: ${ack.subject}`,
      text: '补充材料：医院的诊断证明见附件，投保时的健康告知书我也找到了。',
      attachments: [{ filename: '诊断证明.png', content: png, contentType: 'image/png' }],
    });
    expect(answer.code).toBe(250);
    expect(numberFrom(answer.response)).toBe(number);
    expect(await bot.app.db.complaint.count({ where: { complainant: { emailHash: emailHashOf(customer.address) } } })).toBe(complaintsBefore);

    const complaint = await complaintByNumber(number);
    const reply = complaint.events.find((e) => e.type === 'email.reply_received');
    expect(reply?.payload).toMatchObject({ matchedBy: 'thread_header', attachmentsStored: 1, clockRestarted: false });
    expect(complaint.events.map((e) => e.type)).not.toContain('clock.restarted');
    const files = await bot.app.db.storedFile.findMany({ where: { complaintId: complaint.id }, select: { id: true, originalName: true } });
    const added = files.find((f) => f.originalName === '诊断证明.png')!;
    expect(await readAll((await bot.app.files.readStoredFile({ db: bot.app.db, id: added.id })).stream)).toEqual(png);
    const kept = await bot.app.db.emailMessage.findMany({ where: { complaintId: complaint.id }, orderBy: { createdAt: 'asc' }, select: { kind: true, bodyText: true } });
    expect(kept.map((k) => k.kind)).toEqual(['complaint', 'acknowledgement', 'reply']);
    expect(kept[2]!.bodyText).toContain('诊断证明');
    // At rest the letters are ciphertext (subject and body), like every other personal-data column.
    const raw = new Client({ connectionString: testDatabaseUrl() });
    await raw.connect();
    try {
      const stored = (await raw.query('SELECT subject, body_text FROM email_message WHERE complaint_id = $1', [complaint.id])).rows as { subject: string | null; body_text: string | null }[];
      expect(stored).toHaveLength(3);
      for (const row of stored) for (const value of [row.subject, row.body_text]) if (value !== null) expect(value).toMatch(/^enc:v1:/);
      expect(JSON.stringify(stored)).not.toContain('诊断证明');
    } finally {
      await raw.end();
    }
  });

  it('a complaint number in the subject attaches a reply only when it comes from the same address', async () => {
    const same = await send({ from: customer.from, messageId: `<${randomUUID()}@mail.example>`, subject: `关于投诉 ${number} 的补充`, text: '理赔员今天又打电话来说不予赔付。' });
    expect(same.code).toBe(250);
    expect(same.response).toContain(`reply ${number}`);
    const stranger = newCustomer();
    const other = await send({ from: stranger.from, messageId: `<${randomUUID()}@mail.example>`, subject: `关于投诉 ${number}`, text: '我也遇到了同样的理赔问题，要求处理。' });
    expect(other.code).toBe(250);
    expect(other.response).toContain('filed');
    expect(numberFrom(other.response)).not.toBe(number);
  });

  it('the same Message-ID delivered twice files one complaint and sends one acknowledgement', async () => {
    const someone = newCustomer();
    const mail = { from: someone.from, messageId: `<${randomUUID()}@mail.example>`, subject: '保单退保手续费投诉', text: '退保时被多收了手续费，要求退还。' };
    const first = await send(mail);
    const second = await send(mail);
    expect(first.code).toBe(250);
    expect(second.code).toBe(250);
    const filed = numberFrom(first.response);
    expect(second.response).toContain(`duplicate ${filed}`);
    expect(await bot.app.db.complaint.count({ where: { complainant: { emailHash: emailHashOf(someone.address) } } })).toBe(1);
    await acknowledgementFor(filed);
    await bot.app.email!.retryAcknowledgements();
    expect(relay.messages.filter((m) => m.subject.includes(filed))).toHaveLength(1);
  });

  it('an English e-mail gets the English text first', async () => {
    const someone = newCustomer();
    const answer = await send({ from: someone.from, messageId: `<${randomUUID()}@mail.example>`, subject: 'Claim refused', text: 'My hospital claim was refused although I disclosed everything when I bought the policy. Please review it.' });
    const filed = numberFrom(answer.response);
    const english = await acknowledgementFor(filed);
    expect(english.text.indexOf('Complaint number')).toBeLessThan(english.text.indexOf('投诉编号'));
    expect((await complaintByNumber(filed)).locale).toBe('en-US');
  });
});

describe('what is refused or not filed', () => {
  it('refuses a message over EMAIL_INTAKE_MAX_BYTES with 552, and files nothing', async () => {
    const someone = newCustomer();
    const answer = await send({ from: someone.from, subject: '大附件投诉', text: '见附件', attachments: [{ filename: 'big.pdf', content: randomBytes(400 * 1024), contentType: 'application/pdf' }] });
    expect(answer.code).toBe(552);
    expect(await bot.app.db.complainant.count({ where: { emailHash: emailHashOf(someone.address) } })).toBe(0);
  });

  it('refuses a recipient that is not ours with 550; takes a domain in the list', async () => {
    const someone = newCustomer();
    const wrong = await send({ to: 'ceo@elsewhere.example', from: someone.from, subject: '投诉', text: '请处理我的投诉事项。' });
    expect(wrong.code).toBe(550);
    const domain = await send({ to: 'anyone@claims.insurer.example', from: someone.from, messageId: `<${randomUUID()}@mail.example>`, subject: '投诉理赔', text: '理赔拖延两个月没有结果。' });
    expect(domain.code).toBe(250);
  });

  it('refuses with 550 a message whose sender cannot be answered (no usable From address)', async () => {
    const answer = await send({ envelope: { from: 'relay@mail.example', to: [INBOX] }, from: 'undisclosed-recipients', subject: '投诉', text: '理赔一直没有处理。' });
    expect(answer.code).toBe(550);
  });

  it('does not file bounces, automatic replies, bulk mail or empty messages (answers 250 so nothing loops)', async () => {
    const someone = newCustomer();
    const before = await bot.app.db.complainant.count({ where: { emailHash: emailHashOf(someone.address) } });
    const bounce = await send({
      envelope: { from: '', to: [INBOX] }, from: 'MAILER-DAEMON@mx.mail.example', subject: 'Undelivered Mail Returned to Sender',
      text: 'This is the mail system. I am sorry to have to inform you that your message could not be delivered.',
    });
    const outOfOffice = await send({ from: someone.from, subject: '自动回复：投诉已受理', text: '我正在休假，1月5日返回。', headers: { 'Auto-Submitted': 'auto-replied' } });
    const bulk = await send({ from: someone.from, subject: '本周优惠', text: '理财产品限时优惠', headers: { Precedence: 'bulk' } });
    const empty = await send({ from: someone.from, subject: '', text: '' });
    for (const [answer, reason] of [[bounce, 'ignored'], [outOfOffice, 'ignored'], [bulk, 'ignored'], [empty, 'ignored']] as const) {
      expect(answer.code).toBe(250);
      expect(answer.response).toContain(reason);
    }
    expect(await bot.app.db.complainant.count({ where: { emailHash: emailHashOf(someone.address) } })).toBe(before);
  });

  it('refuses an attachment over FILE_MAX_BYTES or of a type not accepted, files the complaint, and says so in the acknowledgement', async () => {
    const someone = newCustomer();
    const answer = await send({
      from: someone.from, messageId: `<${randomUUID()}@mail.example>`, subject: '投诉', text: '附件是录音和一个程序。',
      attachments: [
        { filename: 'tool.exe', content: randomBytes(2000), contentType: 'application/x-msdownload' },
        { filename: 'huge.pdf', content: randomBytes(150 * 1024), contentType: 'application/pdf' },
      ],
    });
    expect(answer.code).toBe(250);
    const filed = numberFrom(answer.response);
    const complaint = await complaintByNumber(filed);
    expect(complaint.events.filter((e) => e.type === 'email.attachment_refused').map((e) => (e.payload as { reason: string }).reason).sort())
      .toEqual(['file_too_large', 'file_type_not_allowed']);
    expect(await bot.app.db.storedFile.count({ where: { complaintId: complaint.id } })).toBe(0);
    expect((await acknowledgementFor(filed)).text).toContain('2 个附件');
  });
});

describe('clients', () => {
  it('refuses a connection from an address not in EMAIL_INTAKE_ALLOWED_CLIENTS (554), accepts the gateway', async () => {
    const guarded = await startApp(intakeEnv({ EMAIL_INTAKE_ALLOWED_CLIENTS: '10.9.8.7' }), { log: createLogger({ level: 'silent' }) });
    const open = await startApp(intakeEnv({ EMAIL_INTAKE_ALLOWED_CLIENTS: '10.9.8.7,127.0.0.1' }), { log: createLogger({ level: 'silent' }) });
    try {
      const someone = newCustomer();
      const mail = { from: someone.from, messageId: `<${randomUUID()}@mail.example>`, subject: '投诉', text: '理赔一直没有处理。' };
      expect((await sendTo(guarded.app.email!.listener.port!, mail)).code).toBe(554);
      expect((await sendTo(open.app.email!.listener.port!, mail)).code).toBe(250);
    } finally {
      await Promise.all([guarded.app.close(), open.app.close()]);
    }
  });
});

describe('PostgreSQL unavailable', () => {
  it('answers 451 (try again later) and stores nothing; the retried message is then filed once', async () => {
    const brokenDir = await mkdtemp(path.join(tmpdir(), 'email-intake-broken-'));
    const broken = await startApp(intakeEnv({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/unreachable', FILE_STORE_DIR: brokenDir }), { log: createLogger({ level: 'debug', destination: logs }) });
    const someone = newCustomer();
    const mail = {
      from: someone.from, messageId: `<${randomUUID()}@mail.example>`, subject: '理赔投诉', text: '数据库故障时发送的投诉，附件必须保留。',
      attachments: [{ filename: '证据.pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1000)]), contentType: 'application/pdf' }],
    };
    try {
      const answer = await sendTo(broken.app.email!.listener.port!, mail);
      expect(answer.code).toBe(451);
      expect(await filesIn(brokenDir)).toEqual([]);
    } finally {
      await broken.app.close();
      await rm(brokenDir, { recursive: true, force: true });
    }
    expect(await bot.app.db.complainant.count({ where: { emailHash: emailHashOf(someone.address) } })).toBe(0);

    const retried = await send(mail);
    expect(retried.code).toBe(250);
    const complaint = await complaintByNumber(numberFrom(retried.response));
    expect(await bot.app.db.storedFile.count({ where: { complaintId: complaint.id } })).toBe(1);
  });
});

describe('a failure inside the transaction', () => {
  it('removes the attachment bytes it had already written; the message counts as delivered once', async () => {
    const someone = newCustomer();
    const filed = await send({ from: someone.from, messageId: `<${randomUUID()}@mail.example>`, subject: '理赔投诉', text: '理赔拖延三个月。' });
    const complaint = await complaintByNumber(numberFrom(filed.response));
    const replyId = `${randomUUID()}@mail.example`;
    // Another connection is storing the same Message-ID and has not committed yet: our transaction
    // writes the attachment, then waits on the unique index, then fails when the other commits.
    const other = new Client({ connectionString: testDatabaseUrl() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO email_message (id, complaint_id, direction, kind, message_id) VALUES ($1, $2, 'inbound', 'reply', $3)`,
        [randomUUID(), complaint.id, replyId],
      );
      const before = await filesIn(fileDir);
      const answer = send({
        from: someone.from, messageId: `<${replyId}>`, subject: `Re: ${numberFrom(filed.response)}`, text: '补充材料见附件。',
        attachments: [{ filename: '补充.pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2000)]), contentType: 'application/pdf' }],
      });
      // Wait until the attachment's bytes are on disk (our transaction is then blocked), then let the other commit.
      for (let i = 0; i < 200 && (await filesIn(fileDir)).length === before.length; i++) await new Promise((r) => setTimeout(r, 25));
      expect((await filesIn(fileDir)).length).toBe(before.length + 1);
      await other.query('COMMIT');
      const result = await answer;
      expect(result.code).toBe(250);
      expect(result.response).toContain('duplicate');
      expect(await filesIn(fileDir)).toEqual(before);
      expect(await bot.app.db.storedFile.count({ where: { complaintId: complaint.id } })).toBe(0);
      expect((await complaintByNumber(numberFrom(filed.response))).events.map((e) => e.type)).not.toContain('email.reply_received');
    } finally {
      await other.query('ROLLBACK').catch(() => {});
      await other.end();
    }
  });
});

describe('logs', () => {
  it('carry outcomes and complaint numbers but no sender address, name or text', async () => {
    const text = logs.text;
    expect(text).toContain('"complaintNumber"');
    expect(text).toContain('"outcome":"deferred"');
    for (const value of [...personalData, '如实告知', '理赔被拒投诉', '诊断证明', '拒赔通知书']) {
      expect(text.includes(value), `the log contains ${value}`).toBe(false);
    }
  });
});
