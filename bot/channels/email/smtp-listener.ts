// The SMTP listener the company's mail gateway forwards complaints@ to (smtp-server speaks the
// protocol: EHLO, SIZE, PIPELINING, 8BITMIME, SMTPUTF8, dot-stuffing). The reply codes carry the
// guarantees: 250 only after everything of the message is committed; 451 (temporary) when anything
// went wrong, PostgreSQL being down included, so the gateway keeps the message and tries again;
// 552 over the size limit; 550 for a recipient that is not ours or a sender that cannot be answered.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Logger } from '../../../services/logger';
import { safeErrorFields } from '../../../services/safe-error';
import type { IntakeOutcome } from '../../../services/email-intake/receive-email';

export interface SmtpListenerOptions {
  host: string;
  port: number;
  /** Lower-case addresses or domains this listener files complaints for. */
  recipients: string[];
  maxBytes: number;
  /** IP addresses allowed to connect (the mail gateway); empty = any. */
  allowedClients?: string[];
  log: Logger;
  /** Files the message; throws on any failure (answered 451). */
  receive(raw: Buffer, envelope: { mailFrom: string | null }): Promise<IntakeOutcome & { messageRef: string; attachments: number }>;
  /** After a 250 for a new complaint: acknowledgement, timers, alerts. Must not throw. */
  afterAccepted(outcome: IntakeOutcome): void;
}

export interface SmtpListener {
  listen(): Promise<number>;
  readonly port: number | null;
  close(): Promise<void>;
}

export function isOurRecipient(address: string, recipients: string[]): boolean {
  const lower = address.trim().toLowerCase();
  const domain = lower.split('@').pop() ?? '';
  return recipients.some((r) => (r.includes('@') ? r === lower : r === domain));
}

export function createSmtpListener(options: SmtpListenerOptions): SmtpListener {
  const { log, maxBytes } = options;
  let port: number | null = null;
  const smtp = new SMTPServer({
    banner: 'complaint intake',
    // The library's own log lines quote addresses: off (we log outcomes without personal data).
    logger: false,
    // Only the gateway talks to this port (bind it to the internal network); no AUTH, no TLS here.
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: maxBytes,
    rejectOversized: true,
    socketTimeout: 60_000,
    closeTimeout: 10_000,
    onConnect(session, callback) {
      const allowed = options.allowedClients ?? [];
      const client = session.remoteAddress.replace(/^::ffff:/i, '');
      if (allowed.length === 0 || allowed.includes(client) || allowed.includes(session.remoteAddress)) return callback();
      log.warn({ channel: 'email', outcome: 'client_refused' }, 'e-mail connection refused: not from an allowed client');
      callback(Object.assign(new Error('5.7.1 Not accepting mail from this address'), { responseCode: 554 }));
    },
    onRcptTo(address, _session, callback) {
      if (isOurRecipient(address.address, options.recipients)) return callback();
      callback(Object.assign(new Error('5.1.1 Recipient not handled here'), { responseCode: 550 }));
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= maxBytes) chunks.push(chunk);
      });
      stream.once('error', (err) => callback(Object.assign(err, { responseCode: 451 })));
      stream.once('end', () => {
        if (stream.sizeExceeded) {
          log.info({ channel: 'email', outcome: 'too_large', bytes, limitBytes: maxBytes }, 'e-mail refused: over the size limit');
          // rejectOversized answers 552 whatever this says.
          return callback(Object.assign(new Error(`5.3.4 Message too big: the limit is ${maxBytes} bytes`), { responseCode: 552 }));
        }
        const mailFrom = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
        options.receive(Buffer.concat(chunks), { mailFrom }).then(
          (outcome) => {
            log.info({ channel: 'email', ...outcomeFields(outcome), bytes }, `e-mail ${outcome.kind}`);
            if (outcome.kind === 'refused') {
              return callback(Object.assign(new Error('5.1.7 The sender address cannot be answered'), { responseCode: 550 }));
            }
            options.afterAccepted(outcome);
            callback(null, 'number' in outcome ? `OK: ${outcome.kind} ${outcome.number}` : `OK: ${outcome.kind}`);
          },
          (err: unknown) => {
            log.error({ channel: 'email', outcome: 'deferred', bytes, ...safeErrorFields(err) }, 'e-mail not filed: answered 451, the gateway will retry');
            callback(Object.assign(new Error('4.3.0 Temporary failure: try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  smtp.on('error', (err) => log.warn({ channel: 'email', ...safeErrorFields(err) }, 'smtp listener error'));

  return {
    get port() {
      return port;
    },
    listen: () =>
      new Promise((resolve, reject) => {
        smtp.server.once('error', reject);
        smtp.listen(options.port, options.host, () => {
          port = (smtp.server.address() as AddressInfo).port;
          resolve(port);
        });
      }),
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

function outcomeFields(outcome: IntakeOutcome & { messageRef: string; attachments: number }): Record<string, unknown> {
  const fields: Record<string, unknown> = { outcome: outcome.kind, messageRef: outcome.messageRef, attachments: outcome.attachments };
  if ('number' in outcome) fields.complaintNumber = outcome.number;
  if ('reason' in outcome) fields.reason = outcome.reason;
  if ('matchedBy' in outcome) fields.matchedBy = outcome.matchedBy;
  return fields;
}
