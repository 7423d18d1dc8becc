// E-mail over SMTP (nodemailer): a bilingual plain-text and HTML message per alert. SMTP answers in
// the 5xx range are permanent (a wrong address, a refused sender); 4xx answers and connection trouble
// are worth another try.
import nodemailer from 'nodemailer';
import { alertEmailHtml, alertEmailText, alertSubject } from './alert-message';
import { AlertPathError, type AlertTransport } from './transport';

export interface EmailTransportOptions {
  /** smtp://user:pass@host:587 or smtps://host:465 (nodemailer's URL options are allowed as query). */
  smtpUrl: string;
  /** The From header, e.g. "投诉预警 <alerts@example.com>". */
  from: string;
  /** Connection, greeting and idle timeouts; default 10 000 ms. */
  timeoutMs?: number;
}

export interface EmailTransport extends AlertTransport {
  close(): void;
}

export function createEmailTransport({ smtpUrl, from, timeoutMs = 10_000 }: EmailTransportOptions): EmailTransport {
  const mailer = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(contact, message) {
      if (!contact.address || !contact.address.includes('@')) throw new AlertPathError('InvalidContact', { detail: 'e-mail address', retryable: false });
      try {
        await mailer.sendMail({
          from,
          to: contact.address,
          subject: alertSubject(message),
          text: alertEmailText(message),
          html: alertEmailHtml(message),
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        });
        return { attempts: 1 };
      } catch (err) {
        throw smtpError(err);
      }
    },
    close: () => mailer.close(),
  };
}

function smtpError(err: unknown): AlertPathError {
  const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
  const status = typeof responseCode === 'number' ? responseCode : undefined;
  const detail = [typeof code === 'string' ? code : undefined, status].filter((v) => v !== undefined).join(' ') || undefined;
  const permanent = (status !== undefined && status >= 500) || (code === 'EENVELOPE' && status === undefined) || code === 'ENOAUTH';
  return new AlertPathError('SmtpError', { detail, retryable: !permanent, cause: err });
}
