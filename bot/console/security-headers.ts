// Headers for every console page and file: scripts only from our origin (no inline script, no
// eval), no framing, no referrer leaking complaint numbers, no MIME sniffing.
import type { Response } from 'restify';

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function setConsoleSecurityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/** What every response gets unless its route sets its own (pages do): an API answer is never a page. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Set before routing on every request, so 404s, 413s and errors carry them too. HSTS only when the
 * request reached us over HTTPS (directly or via a proxy that says so): over plain HTTP it is ignored.
 */
export function setBaselineSecurityHeaders(req: { headers: Record<string, string | string[] | undefined>; isSecure?: () => boolean }, res: Response): void {
  res.setHeader('Content-Security-Policy', API_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  const forwardedProto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase();
  if (req.isSecure?.() || forwardedProto === 'https') res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}
