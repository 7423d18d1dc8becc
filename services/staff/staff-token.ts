// Short-lived bearer tokens for the staff API: HMAC-SHA256 over {sub, iat, exp}. The console's
// sign-in (sessions) comes later; this keeps /api/v1 closed to anyone without a token until then.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'st1';

export function issueStaffToken({ staffId, secret, ttlSeconds, now }: { staffId: string; secret: string; ttlSeconds: number; now: Date }): string {
  const iat = Math.floor(now.getTime() / 1000);
  const payload = Buffer.from(JSON.stringify({ sub: staffId, iat, exp: iat + ttlSeconds })).toString('base64url');
  return `${PREFIX}.${payload}.${sign(payload, secret)}`;
}

/** The staff id the token was issued to, or null when it is malformed, forged or expired. */
export function verifyStaffToken(token: string, secret: string, now: Date): string | null {
  const [prefix, payload, signature] = token.split('.');
  if (prefix !== PREFIX || !payload || !signature) return null;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
    return claims.exp * 1000 > now.getTime() ? claims.sub : null;
  } catch {
    return null;
  }
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest('base64url');
}
