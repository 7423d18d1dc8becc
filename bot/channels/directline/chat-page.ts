// The customer chat page at /chat: our own static files (web/chat) and the official Web Chat bundle
// from node_modules, so the page loads nothing from a CDN.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import restify, { type Next, type Request, type Response, type Server } from 'restify';

const CHAT_DIR = fileURLToPath(new URL('../../../web/chat', import.meta.url));
const WEBCHAT_DIST = join(dirname(createRequire(import.meta.url).resolve('botframework-webchat')), '..', 'dist');

/**
 * Web Chat styles itself with inline <style> elements; everything else comes from this origin. The
 * page may be framed by the sites allowed to use the endpoint (DIRECTLINE_ALLOWED_ORIGINS).
 */
function contentSecurityPolicy(allowedOrigins: string[]): string {
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
    "connect-src 'self'", "media-src 'self' blob:", `frame-ancestors ${allowedOrigins.includes('*') ? '*' : ["'self'", ...allowedOrigins].join(' ')}`,
    "base-uri 'none'", "form-action 'none'",
  ].join('; ');
}

export function registerChatPage(server: Server, allowedOrigins: string[]): void {
  const policy = contentSecurityPolicy(allowedOrigins);
  const page = restify.plugins.serveStaticFiles(CHAT_DIR, {
    maxAge: 0,
    setHeaders: (res: Response) => {
      res.setHeader('Content-Security-Policy', policy);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
    },
  });
  const webChatBundle = restify.plugins.serveStaticFiles(WEBCHAT_DIST, { maxAge: 3600_000 });

  server.get('/chat', page);
  server.get('/chat/vendor/webchat.js', (req: Request, res: Response, next: Next) => {
    req.params = { ...req.params, '*': 'webchat.js' };
    return webChatBundle(req, res, next);
  });
  server.get('/chat/*', page);
}
