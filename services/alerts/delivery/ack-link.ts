// The acknowledge link in alert e-mails and webhooks: `${publicBaseUrl}/api/v1/alerts/<id>/ack?token=…`.
// The token is an HMAC of the alert id and an expiry, so the link acknowledges that one alert only
// and only until it expires; the purpose prefix keeps it from ever verifying as a staff API token
// signed with the same secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'a1';

export interface AckLinkSettings {
  /** e.g. https://complaints.example.com (no trailing slash). */
  publicBaseUrl: string;
  secret: string;
  ttlSeconds: number;
}

export type AckTokenCheck = { ok: true } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function signAlertAckToken({ alertId, secret, expiresAt }: { alertId: string; secret: string; expiresAt: Date }): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${PREFIX}.${exp}.${sign(alertId, exp, secret)}`;
}

export function alertAckUrl({ alertId, settings, now }: { alertId: string; settings: AckLinkSettings; now: Date }): string {
  const token = signAlertAckToken({ alertId, secret: settings.secret, expiresAt: new Date(now.getTime() + settings.ttlSeconds * 1000) });
  return `${settings.publicBaseUrl}/api/v1/alerts/${encodeURIComponent(alertId)}/ack?token=${encodeURIComponent(token)}`;
}

/** Checks the signature first, so an expired answer is only given for a token we really issued. */
export function verifyAlertAckToken({ alertId, token, secret, now }: { alertId: string; token: string; secret: string; now: Date }): AckTokenCheck {
  const [prefix, expText, signature, extra] = token.split('.');
  if (prefix !== PREFIX || !expText || !signature || extra !== undefined || !/^\d{1,12}$/.test(expText)) return { ok: false, reason: 'malformed' };
  const exp = Number(expText);
  const expected = Buffer.from(sign(alertId, exp, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  return exp * 1000 > now.getTime() ? { ok: true } : { ok: false, reason: 'expired' };
}

function sign(alertId: string, exp: number, secret: string): string {
  return createHmac('sha256', secret).update(`alert-ack.v1:${alertId.toLowerCase()}:${exp}`).digest('base64url');
}
