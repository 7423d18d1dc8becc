// The survey link by e-mail (nodemailer, the SMTP relay alerts and reports use: SMTP_URL,
// ALERT_MAIL_FROM) and by SMS through a configurable HTTP gateway (SMS_GATEWAY_URL + SMS_GATEWAY_KEY).
// The SMS request is JSON `{to, text, timestamp, nonce}` signed with HMAC-SHA256 over
// `timestamp\nnonce\nbody` (header X-Signature), the scheme most Chinese SMS gateways use in some
// form; a gateway with another scheme gets a small adapter here.
import { createHmac, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { LinkMessage } from './survey-sender';
import { surveyMailSubject, surveyMailText, surveySmsText } from './survey-texts';

export function createSurveyMailSender(mail: { smtpUrl: string; from: string }): { send: (to: string, m: LinkMessage) => Promise<void>; close(): void } {
  const transport = nodemailer.createTransport({ url: mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, disableFileAccess: true, disableUrlAccess: true });
  return {
    send: async (to, m) => {
      await transport.sendMail({ from: mail.from, to, subject: surveyMailSubject(m), text: surveyMailText(m), headers: { 'Auto-Submitted': 'auto-generated' } });
    },
    close: () => transport.close(),
  };
}

export class SmsGatewayError extends Error {
  override readonly name = 'SmsGatewayError';
  constructor(readonly code: string) {
    super(`SMS gateway refused the message (${code})`);
  }
}

export function signSmsRequest(key: string, timestamp: string, nonce: string, body: string): string {
  return createHmac('sha256', key).update(`${timestamp}\n${nonce}\n${body}`).digest('hex');
}

export function createSmsSender(gateway: { url: string; key: string; timeoutMs?: number }): (to: string, m: LinkMessage) => Promise<void> {
  return async (to, m) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomUUID();
    const body = JSON.stringify({ to, text: surveySmsText(m), timestamp, nonce });
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': timestamp, 'x-nonce': nonce, 'x-signature': signSmsRequest(gateway.key, timestamp, nonce, body) },
      body,
      signal: AbortSignal.timeout(gateway.timeoutMs ?? 10_000),
    });
    if (!res.ok) throw new SmsGatewayError(`http_${res.status}`);
  };
}
