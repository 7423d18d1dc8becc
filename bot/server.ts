// HTTP surface: the Bot Framework endpoint and health probes.
import restify, { type Request, type Response, type Server } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from '../services/logger';
import type { DependencyStatus } from '../services/health';
import { checkIncomingActivity } from './activity-validation';
import { setBaselineSecurityHeaders } from './console/security-headers';
import type { ComplaintBot } from './complaint-bot';

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ComplaintBot;
  log: Logger;
  maxBodyBytes: number;
  readiness: () => Promise<DependencyStatus>;
  /** Further routes (the staff API), registered after the bot's own. */
  registerRoutes?: (server: Server) => void;
}

export function createServer({ adapter, bot, log, maxBodyBytes, readiness, registerRoutes }: ServerDeps): Server {
  const server = restify.createServer({ name: 'complaint-bot', handleUncaughtExceptions: false });
  // restify's body reader pipes a gzip body through zlib without an error handler (a corrupt body
  // crashes the process) and applies maxBodySize to the compressed bytes only (a gzip bomb gets
  // through): channels send plain JSON, so any Content-Encoding is refused before the body is read.
  server.pre((req: Request, res: Response, next: (err?: false) => void) => {
    setBaselineSecurityHeaders(req, res);
    const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (encoding === 'identity') delete req.headers['content-encoding'];
    else if (encoding !== '') {
      req.resume();
      res.header('Accept-Encoding', 'identity');
      res.send(415, { error: 'unsupported_content_encoding', message: 'send the body without Content-Encoding' });
      return next(false);
    }
    // restify's body parser would write a multipart body to temporary files (formidable, 200 MB, never
    // deleted) before any route checks who is calling. No route takes multipart: evidence uploads are
    // a raw body, channels send JSON or XML.
    if (/^\s*multipart\//i.test(String(req.headers['content-type'] ?? ''))) {
      req.resume();
      res.send(415, { error: 'unsupported_media_type', message: 'multipart bodies are not accepted; send JSON (or a file as the raw body)' });
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false, mapFiles: false, keepExtensions: false }));

  server.post('/api/messages', async (req: Request, res: Response) => {
    const contentType = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(contentType)) {
      res.send(415, { error: 'unsupported_media_type', message: 'send the activity as application/json' });
      return;
    }
    const check = checkIncomingActivity(req.body);
    if (!check.ok) {
      log.info({ reasons: check.reasons }, 'refused a malformed activity');
      res.send(400, { error: 'invalid_activity', reasons: check.reasons });
      return;
    }
    await adapter.process(req, res, (context) => bot.run(context));
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    const status = await readiness();
    res.send(status.ok ? 200 : 503, { status: status.ok ? 'ready' : 'not_ready', ...status.checks });
  });

  registerRoutes?.(server);

  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
    log.info({ path: req.path(), status: err.statusCode, errName: err.name }, 'request refused');
    callback();
  });
  return server;
}
