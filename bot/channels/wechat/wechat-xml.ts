// Reading the XML WeChat pushes to /api/wechat. It comes from outside: no DTDs or entities, a
// well-formed document with one <xml> root, and every field checked for shape (a parser returns
// objects or arrays for nested or doubled tags). MsgId is a 64-bit integer, so it stays a string.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';

export class WechatXmlError extends Error {
  constructor(readonly reasons: string[]) {
    super(`malformed WeChat XML: ${reasons.join('; ')}`);
    this.name = 'WechatXmlError';
  }
}

const parser = new XMLParser({
  parseTagValue: false, // "6054768590064713728" must not become a float
  ignoreAttributes: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parses a WeChat XML document into its flat `<xml>` fields (strings only). */
export function parseWechatXml(raw: string): Record<string, unknown> {
  if (/<!(DOCTYPE|ENTITY)/i.test(raw)) throw new WechatXmlError(['DTDs and entity declarations are refused']);
  // XML 1.0 has no place for these (and PostgreSQL text none for NUL): refused, so WeChat does not retry
  // a message that could never be stored.
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(raw)) throw new WechatXmlError(['control characters are not allowed in XML']);
  const valid = XMLValidator.validate(raw);
  if (valid !== true) throw new WechatXmlError([`not well-formed XML (${valid.err.code} at line ${valid.err.line})`]);
  const parsed: unknown = parser.parse(raw);
  const root = (parsed as { xml?: unknown } | null)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new WechatXmlError(['the document must have one <xml> root with fields']);
  return root as Record<string, unknown>;
}

const text = z.string();
const digits = z.string().regex(/^\d{1,20}$/, 'must be digits');

/** The envelope of a safe-mode POST: the ciphertext (and, in compatible mode, the plaintext fields too). */
export const encryptedEnvelopeSchema = z.object({ Encrypt: z.string().min(1).max(1_000_000) }).passthrough();

/** A message or event from a follower, as far as this bot reads it. */
export const inboundSchema = z
  .object({
    ToUserName: text.min(1).max(64),
    FromUserName: text.min(1).max(128),
    CreateTime: digits,
    MsgType: z.string().regex(/^[a-z_]{1,32}$/, 'must be a WeChat message type'),
    MsgId: digits.optional(),
    Content: text.max(20_000).optional(),
    Event: z.string().max(64).optional(),
    EventKey: text.max(1024).optional(),
    bizmsgmenuid: z.string().max(64).optional(),
  })
  .passthrough();

export type WechatInbound = z.infer<typeof inboundSchema>;

/** The fields of a follower's message, or a WechatXmlError listing what is wrong. */
export function readInbound(fields: Record<string, unknown>): WechatInbound {
  const parsed = inboundSchema.safeParse(fields);
  if (!parsed.success) throw new WechatXmlError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return parsed.data;
}
