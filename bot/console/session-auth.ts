// How a request to /api/v1 proves who is calling: a staff bearer token (machine clients, scripts,
// tests) or the console's session cookie. Cookie-authenticated calls that change something must also
// carry the session's CSRF token in X-CSRF-Token (double submit: the token is in a readable cookie
// and in the session row), on top of SameSite=Strict cookies.
import { timingSafeEqual } from 'node:crypto';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { Request } from 'restify';
import type { Database } from '../../services/db/client';
import { verifyStaffToken } from '../../services/staff/staff-token';
import { findActiveSession, type ActiveSession } from '../../services/staff/staff-sessions';

export const SESSION_COOKIE = 'console_session';
export const CSRF_COOKIE = 'console_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type StaffAuthentication =
  | { via: 'bearer'; staffId: string; token: string }
  | { via: 'session'; staffId: string; session: ActiveSession; token: string };

const authByRequest = new WeakMap<Request, StaffAuthentication>();

/** How the request was authenticated (set by staffRoute before the handler runs). */
export function authenticationOf(req: Request): StaffAuthentication | undefined {
  return authByRequest.get(req);
}

export function cookiesOf(req: Request): Record<string, string | undefined> {
  const header = req.headers.cookie;
  return header ? parseCookies(String(header)) : {};
}

export async function authenticateStaffRequest(
  ctx: { db: Database; staffTokenSecret: string; clock: () => Date },
  req: Request,
): Promise<StaffAuthentication | null> {
  const header = String(req.headers.authorization ?? '');
  let auth: StaffAuthentication | null = null;
  if (header) {
    // A request that sends Authorization is judged by it alone (no fall-back to the cookie).
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const staffId = token ? verifyStaffToken(token, ctx.staffTokenSecret, ctx.clock()) : null;
    auth = staffId && token ? { via: 'bearer', staffId, token } : null;
  } else {
    const token = cookiesOf(req)[SESSION_COOKIE];
    const session = token ? await findActiveSession({ db: ctx.db, token, now: ctx.clock() }) : null;
    auth = session && token ? { via: 'session', staffId: session.staffId, session, token } : null;
  }
  if (auth) authByRequest.set(req, auth);
  return auth;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when the request may proceed: bearer calls and safe methods always; cookie calls need the CSRF header. */
export function passesCsrfCheck(req: Request, auth: StaffAuthentication): boolean {
  if (auth.via === 'bearer' || SAFE_METHODS.has(String(req.method).toUpperCase())) return true;
  const given = Buffer.from(String(req.headers[CSRF_HEADER] ?? ''));
  const expected = Buffer.from(auth.session.csrfToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface CookieSecurity {
  cookieSecure: 'auto' | 'always' | 'never';
  publicBaseUrl: string;
}

/** Secure cookies over HTTPS (directly, or the public URL is https behind a TLS-terminating proxy). */
export function shouldUseSecureCookies(req: Request, settings: CookieSecurity): boolean {
  if (settings.cookieSecure !== 'auto') return settings.cookieSecure === 'always';
  return req.isSecure() || settings.publicBaseUrl.startsWith('https://');
}

export function sessionCookies(session: { token: string; csrfToken: string; expiresAt: Date }, secure: boolean, now: Date): string[] {
  const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000));
  const base = { path: '/', sameSite: 'strict' as const, secure, maxAge };
  return [
    serializeCookie(SESSION_COOKIE, session.token, { ...base, httpOnly: true }),
    // Readable by the console's script (it copies it into X-CSRF-Token); useless to another site.
    serializeCookie(CSRF_COOKIE, session.csrfToken, base),
  ];
}

export function clearedSessionCookies(secure: boolean): string[] {
  const base = { path: '/', sameSite: 'strict' as const, secure, maxAge: 0, expires: new Date(0) };
  return [serializeCookie(SESSION_COOKIE, '', { ...base, httpOnly: true }), serializeCookie(CSRF_COOKIE, '', base)];
}
