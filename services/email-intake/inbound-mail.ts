// An inbound e-mail as intake needs it, read by mailparser (MIME, charsets such as GB2312/GBK/Big5,
// encoded-word subjects, attachments): ids for threading and de-duplication, the sender, the text,
// the headers that mark automatic mail, and the attachments with their bytes.
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';

export interface InboundAttachment {
  fileName: string;
  contentType: string;
  data: Buffer;
}

export interface InboundMail {
  /** Message-ID without angle brackets; made from the bytes when the message has none. */
  messageId: string;
  /** In-Reply-To and References ids (without angle brackets), nearest first. */
  threadIds: string[];
  subject: string;
  /** The plain text (mailparser derives it from the HTML part when there is no text part). */
  text: string;
  from: { name: string; address: string } | null;
  /** Headers that mark automatic or bulk mail (lower-cased values), see classify-mail.ts. */
  markers: {
    autoSubmitted: string | null;
    precedence: string | null;
    listId: boolean;
    autoReplyHeader: boolean;
    /** multipart/report: delivery status notifications (bounces) and read receipts. */
    report: boolean;
  };
  attachments: InboundAttachment[];
}

export async function parseInboundMail(raw: Buffer): Promise<InboundMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: 2_000_000 });
  const messageId = messageIdsIn(parsed.messageId)[0] ?? `generated.${createHash('sha256').update(raw).digest('hex')}@email-intake.invalid`;
  const references = messageIdsIn(parsed.references);
  const threadIds = [...new Set([...messageIdsIn(parsed.inReplyTo), ...references.reverse()])];
  return {
    messageId,
    threadIds,
    subject: (parsed.subject ?? '').trim(),
    text: (parsed.text ?? '').replace(/\r\n/g, '\n').trim(),
    from: firstAddress(parsed.from),
    markers: markersOf(parsed),
    attachments: parsed.attachments
      .filter((a) => Buffer.isBuffer(a.content))
      .map((a) => ({ fileName: a.filename ?? 'attachment', contentType: a.contentType || 'application/octet-stream', data: a.content })),
  };
}

/** The ids in a Message-ID / In-Reply-To / References value, without angle brackets. */
export function messageIdsIn(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const bracketed = [...text.matchAll(/<([^<>\s]{1,900})>/g)].map((m) => m[1]!);
  const ids = bracketed.length > 0 ? bracketed : text.split(/\s+/).filter((t) => /^[^<>\s]{1,900}$/.test(t));
  return ids.map((id) => id.trim()).filter((id) => id.includes('@') || id.length >= 8);
}

function firstAddress(from: AddressObject | undefined): InboundMail['from'] {
  const first = from?.value.find((a) => a.address);
  return first?.address ? { name: (first.name ?? '').trim(), address: first.address.trim() } : null;
}

function markersOf(parsed: ParsedMail): InboundMail['markers'] {
  const header = (name: string) => headerText(parsed.headers.get(name));
  const contentType = parsed.headers.get('content-type') as { value?: string } | undefined;
  return {
    autoSubmitted: header('auto-submitted'),
    precedence: header('precedence'),
    listId: parsed.headers.has('list-id') || parsed.headers.has('list-unsubscribe'),
    autoReplyHeader: ['x-autoreply', 'x-autorespond', 'x-autoresponder'].some((name) => parsed.headers.has(name)),
    report: /^multipart\/report$/i.test(contentType?.value ?? ''),
  };
}

function headerText(value: HeaderValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.trim().toLowerCase();
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value.trim().toLowerCase();
  return String(value).trim().toLowerCase();
}
