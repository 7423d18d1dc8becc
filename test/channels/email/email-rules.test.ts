// The pure rules of e-mail intake, table-driven: what is not filed, which recipients are ours, how
// ids are read, how an e-mail becomes a draft, what the acknowledgement says, and the settings.
import { describe, expect, it } from 'vitest';
import { isOurRecipient } from '../../../bot/channels/email/smtp-listener';
import { domainOf } from '../../../bot/channels/email/email-channel';
import { noiseReason, stripReplyPrefixes } from '../../../services/email-intake/classify-mail';
import { complaintDraftFromMail, guessBusinessLine } from '../../../services/email-intake/email-complaint-draft';
import { acknowledgementMail } from '../../../services/email-intake/acknowledgement-mail';
import { messageIdsIn, parseInboundMail, type InboundMail } from '../../../services/email-intake/inbound-mail';
import { submissionIdOf } from '../../../services/email-intake/receive-email';
import { ConfigError } from '../../../services/config';
import { testConfig } from '../../support/app';

function mail(overrides: Omit<Partial<InboundMail>, 'markers'> & { markers?: Partial<InboundMail['markers']> } = {}): InboundMail {
  return {
    messageId: 'a@b', threadIds: [], subject: '理赔投诉', text: '理赔被拒', from: { name: '王芳', address: 'wf@mail.example' }, attachments: [],
    ...overrides,
    markers: { autoSubmitted: null, precedence: null, listId: false, autoReplyHeader: false, report: false, ...overrides.markers },
  };
}

describe('what is not filed', () => {
  it.each([
    ['a person\'s complaint', mail(), 'wf@mail.example', null],
    ['Auto-Submitted: no (a person)', mail({ markers: { autoSubmitted: 'no' } }), 'wf@mail.example', null],
    ['attachments only', mail({ subject: '', text: '', attachments: [{ fileName: 'a.pdf', contentType: 'application/pdf', data: Buffer.from('x') }] }), 'wf@mail.example', null],
    ['subject only', mail({ text: '' }), 'wf@mail.example', null],
    ['null sender (bounce)', mail(), '', 'bounce'],
    ['MAILER-DAEMON', mail({ from: { name: '', address: 'MAILER-DAEMON@mx.example' } }), 'x@mx.example', 'bounce'],
    ['delivery report', mail({ markers: { report: true } }), 'wf@mail.example', 'delivery_report'],
    ['auto-replied', mail({ markers: { autoSubmitted: 'auto-replied' } }), 'wf@mail.example', 'auto_submitted'],
    ['auto-generated', mail({ markers: { autoSubmitted: 'auto-generated' } }), 'wf@mail.example', 'auto_submitted'],
    ['Precedence: bulk', mail({ markers: { precedence: 'bulk' } }), 'wf@mail.example', 'bulk'],
    ['Precedence: junk', mail({ markers: { precedence: 'junk' } }), 'wf@mail.example', 'bulk'],
    ['X-Autoreply', mail({ markers: { autoReplyHeader: true } }), 'wf@mail.example', 'auto_reply'],
    ['mailing list', mail({ markers: { listId: true } }), 'wf@mail.example', 'mailing_list'],
    ['nothing at all', mail({ subject: 'Re: ', text: '' }), 'wf@mail.example', 'empty'],
  ] as const)('%s', (_what, m, envelopeFrom, expected) => {
    expect(noiseReason(m, envelopeFrom)).toBe(expected);
  });

  it('strips reply and forward prefixes in both languages', () => {
    expect(stripReplyPrefixes('Re: 回复：Fwd: 转发: 理赔投诉')).toBe('理赔投诉');
    expect(stripReplyPrefixes('RE:RE: claim')).toBe('claim');
  });
});

describe('recipients and ids', () => {
  it.each([
    ['complaints@insurer.example', true],
    ['Complaints@Insurer.Example', true],
    ['other@insurer.example', false],
    ['anyone@claims.insurer.example', true],
    ['x@sub.claims.insurer.example', false],
  ])('%s is ours: %s', (address, ours) => {
    expect(isOurRecipient(address, ['complaints@insurer.example', 'claims.insurer.example'])).toBe(ours);
  });

  it('reads Message-IDs with and without brackets, and the domain of a From', () => {
    expect(messageIdsIn('<a1@x.example> <b2@y.example>')).toEqual(['a1@x.example', 'b2@y.example']);
    expect(messageIdsIn(['<a1@x.example>', '<b2@y.example>'])).toEqual(['a1@x.example', 'b2@y.example']);
    expect(messageIdsIn('a1@x.example')).toEqual(['a1@x.example']);
    expect(messageIdsIn(undefined)).toEqual([]);
    expect(domainOf('客户投诉 <complaints@Insurer.Example>')).toBe('insurer.example');
    expect(domainOf('complaints@insurer.example')).toBe('insurer.example');
  });

  it('gives each Message-ID its own stable submission id (a UUID)', () => {
    expect(submissionIdOf('a@b')).toBe(submissionIdOf('a@b'));
    expect(submissionIdOf('a@b')).not.toBe(submissionIdOf('a@c'));
    expect(submissionIdOf('a@b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads the text of an HTML-only e-mail', async () => {
    const raw = Buffer.from(
      'From: wf@mail.example\r\nTo: complaints@insurer.example\r\nSubject: =?UTF-8?B?55CG6LWU?=\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<html><body><p>理赔<b>被拒</b></p><script>x()</script></body></html>\r\n',
    );
    const parsed = await parseInboundMail(raw);
    expect(parsed.text).toContain('理赔被拒');
    expect(parsed.text).not.toContain('<');
    expect(parsed.messageId).toMatch(/^generated\.[0-9a-f]{64}@email-intake\.invalid$/);
  });

  it('reads a GBK-encoded Chinese e-mail, its threading headers and its markers', async () => {
    const body = Buffer.from('c0edc5e2b1bbbedcbef8a3acc7ebbea1bfecb4a6c0edcdb6cbdfa1a3', 'hex'); // 理赔被拒绝，请尽快处理投诉。 in GBK
    const raw = Buffer.concat([
      Buffer.from(
        'From: =?GBK?B?zfW3vA==?= <wf@mail.example>\r\nTo: complaints@insurer.example\r\nSubject: =?GBK?B?wO3F4s22y98=?=\r\n' +
          'Message-ID: <m1@mail.example>\r\nIn-Reply-To: <ack1@insurer.example>\r\nReferences: <m0@mail.example> <ack1@insurer.example>\r\n' +
          'Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: 8bit\r\n\r\n',
      ),
      body,
      Buffer.from('\r\n'),
    ]);
    const parsed = await parseInboundMail(raw);
    expect(parsed.from).toEqual({ name: '王芳', address: 'wf@mail.example' });
    expect(parsed.subject).toBe('理赔投诉');
    expect(parsed.text).toBe('理赔被拒绝，请尽快处理投诉。');
    expect(parsed.messageId).toBe('m1@mail.example');
    expect(parsed.threadIds).toEqual(['ack1@insurer.example', 'm0@mail.example']);
    expect(parsed.markers.autoSubmitted).toBe('auto-replied');
  });
});

describe('the draft', () => {
  it('subject and body as the description, the display name (or the address) as the name, feedback by e-mail, no phone', () => {
    const { draft, descriptionTruncated } = complaintDraftFromMail({ ...mail({ subject: 'Re: 理赔投诉', text: '住院理赔被拒。' }), from: { name: '王芳', address: 'wf@mail.example' } });
    expect(draft).toMatchObject({ description: '理赔投诉\n\n住院理赔被拒。', name: '王芳', email: 'wf@mail.example', phone: null, feedbackMethod: 'email', type: 'other', businessLine: 'insurance' });
    expect(descriptionTruncated).toBe(false);
    expect(complaintDraftFromMail({ ...mail(), from: { name: '', address: 'wang.fang@mail.example' } }).draft.name).toBe('wang.fang');
    const long = complaintDraftFromMail({ ...mail({ text: '很'.repeat(3000) }), from: { name: 'x', address: 'x@y.example' } });
    expect(long.descriptionTruncated).toBe(true);
    expect([...(long.draft.description as string)]).toHaveLength(2000);
  });

  it.each([
    ['股票委托交易没有成交', 'securities'],
    ['证券账户冻结', 'securities'],
    ['理赔被拒', 'insurance'],
    ['基金保险理赔', 'insurance'],
    ['服务态度差', 'insurance'],
  ] as const)('%s → %s', (text, line) => {
    expect(guessBusinessLine(text)).toBe(line);
  });
});

describe('the acknowledgement', () => {
  const facts = {
    number: 'TS20261130-000007', feedbackDueAt: new Date('2026-12-10T10:00:00Z'), contactBy: null, urgent: false,
    locale: 'zh-CN', timeZone: 'Asia/Shanghai', attachmentsRefused: 0,
  };

  it('gives the number and the feedback date in Beijing time, Chinese first with English below', () => {
    const { subject, text } = acknowledgementMail(facts);
    expect(subject).toContain('TS20261130-000007');
    expect(text).toContain('投诉编号：TS20261130-000007');
    expect(text).toContain('2026年12月10日');
    expect(text).toContain('18:00');
    expect(text).toContain('Thu, 10 December 2026 at 18:00 (Beijing time)');
    expect(text.indexOf('投诉编号')).toBeLessThan(text.indexOf('Complaint number'));
    expect(text).not.toContain('专人');
  });

  it('English first for an English complaint; the contact time for urgent ones; refused attachments mentioned', () => {
    const { text } = acknowledgementMail({ ...facts, locale: 'en-US', urgent: true, contactBy: new Date('2026-11-30T03:30:00Z'), attachmentsRefused: 1 });
    expect(text.indexOf('Complaint number')).toBeLessThan(text.indexOf('投诉编号'));
    expect(text).toContain('紧急投诉');
    expect(text).toContain('11:30');
    expect(text).toContain('1 attachment(s) could not be kept');
  });
});

describe('settings', () => {
  it('turns e-mail intake on with a port, and lists every missing companion setting', () => {
    expect(testConfig().emailIntake).toBeUndefined();
    const on = testConfig({
      EMAIL_INTAKE_PORT: '2525', EMAIL_INTAKE_RECIPIENTS: 'Complaints@Example.com, @tousu.example.com', EMAIL_ACK_FROM: '客户投诉 <complaints@example.com>',
      SMTP_URL: 'smtp://127.0.0.1:25', ALERT_MAIL_FROM: 'alerts@example.com',
    }).emailIntake;
    expect(on).toMatchObject({ port: 2525, host: '127.0.0.1', recipients: ['complaints@example.com', 'tousu.example.com'], maxBytes: 25 * 1024 * 1024, allowedClients: [] });
    let error: unknown;
    try {
      testConfig({ EMAIL_INTAKE_PORT: '2525' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/EMAIL_INTAKE_RECIPIENTS[\s\S]*EMAIL_ACK_FROM[\s\S]*SMTP_URL/);
    expect(() => testConfig({ EMAIL_INTAKE_PORT: '99999' })).toThrow(/EMAIL_INTAKE_PORT/);
    expect(() => testConfig({ EMAIL_INTAKE_ALLOWED_CLIENTS: 'gateway.example.com' })).toThrow(/EMAIL_INTAKE_ALLOWED_CLIENTS/);
    expect(() => testConfig({ EMAIL_INTAKE_RECIPIENTS: 'not an address' })).toThrow(/EMAIL_INTAKE_RECIPIENTS/);
  });
});
