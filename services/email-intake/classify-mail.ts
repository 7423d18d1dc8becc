// What is not a complaint and is not filed (answered 250 and dropped, so the sending system neither
// retries nor bounces it back, which could loop): automatic replies and other machine mail (RFC 3834
// Auto-Submitted, Precedence bulk/junk/list, X-Autoreply), mailing lists, delivery reports and bounces
// (multipart/report, the null sender <>, MAILER-DAEMON/postmaster), and messages with neither text
// (subject or body) nor attachments. A person's reply to an automatic mail is still filed.
import type { InboundMail } from './inbound-mail';

export type NoiseReason = 'auto_submitted' | 'bulk' | 'mailing_list' | 'auto_reply' | 'delivery_report' | 'bounce' | 'empty';

export function noiseReason(mail: InboundMail, envelopeFrom: string | null): NoiseReason | null {
  const { markers } = mail;
  if (markers.report) return 'delivery_report';
  if (envelopeFrom === null || envelopeFrom === '') return 'bounce';
  if (/^(mailer-daemon|postmaster)@/i.test(envelopeFrom) || /^(mailer-daemon|postmaster)@/i.test(mail.from?.address ?? '')) return 'bounce';
  if (markers.autoSubmitted !== null && markers.autoSubmitted !== 'no') return 'auto_submitted';
  if (markers.precedence !== null && /^(bulk|junk|list|auto_reply)$/.test(markers.precedence)) return 'bulk';
  if (markers.autoReplyHeader) return 'auto_reply';
  if (markers.listId) return 'mailing_list';
  if (stripReplyPrefixes(mail.subject) === '' && mail.text === '' && mail.attachments.length === 0) return 'empty';
  return null;
}

/** "Re: 回复：Fwd: 转发: subject" → "subject". */
export function stripReplyPrefixes(subject: string): string {
  return subject.replace(/^(\s*(re|fw|fwd|aw|sv|回复|答复|转发)\s*[:：]\s*)+/i, '').trim();
}
