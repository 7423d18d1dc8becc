// Conversation-scoped Direct Line tokens: JWTs signed with HMAC-SHA256. A JWT because Web Chat
// decodes the token and uses its `user` claim as the customer's id, which keeps that id the same
// after a page reload and unforgeable (Direct Line reserves the dl_ prefix for such embedded ids).
// A `stream` token only opens the WebSocket of its conversation and lives a few minutes, because it
// travels in the stream URL.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenScope = 'conversation' | 'stream';

export interface TokenClaims {
  conv: string;
  user: string;
  scope: TokenScope;
  iat: number;
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_scope' };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
export const STREAM_TOKEN_TTL_SECONDS = 300;

export function issueToken(args: { conversationId: string; userId: string; scope: TokenScope; ttlSeconds: number; secret: string; now: Date }): string {
  const iat = Math.floor(args.now.getTime() / 1000);
  const claims: TokenClaims = { conv: args.conversationId, user: args.userId, scope: args.scope, iat, exp: iat + args.ttlSeconds };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`, args.secret)}`;
}

export function verifyToken(token: string, scope: TokenScope, secret: string, now: Date): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  let claims: Partial<TokenClaims>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TokenClaims>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims.conv !== 'string' || typeof claims.user !== 'string' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.scope !== scope) return { ok: false, reason: 'wrong_scope' };
  if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims as TokenClaims };
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)$/i.exec(value?.trim() ?? '');
  return match ? match[1]! : null;
}

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}
