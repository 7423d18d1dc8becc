// HTTP surface: the Bot Framework endpoint and health probes.
import restify, { type Request, type Response, type Server } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from '../services/logger';
import type { DependencyStatus } from '../services/health';
import { checkIncomingActivity } from './activity-validation';
import { setBaselineSecurityHeaders } from './console/security-headers';
import { clientIp } from './channels/directline/routes';
import { takeFromBudgets, type RateDecision } from './channels/directline/rate-limit';
import type { Redis } from '../services/redis';
import type { ComplaintBot } from './complaint-bot';

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ComplaintBot;
  log: Logger;
  maxBodyBytes: number;
  readiness: () => Promise<DependencyStatus>;
  /** Budgets of /api/messages per channel user and per client address (Redis, all instances). */
  messageLimits?: { redis: Redis; perUserPerMinute: number; perIpPerMinute: number; trustedProxyHops: number; authenticated: boolean };
  /** Further routes (the staff API), registered after the bot's own. */
  registerRoutes?: (server: Server) => void;
}

export function createServer({ adapter, bot, log, maxBodyBytes, readiness, registerRoutes, messageLimits }: ServerDeps): Server {
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
    if (messageLimits && !(await withinMessageBudgets(req, messageLimits, log, res))) return;
    await adapter.process(req, res, async (context) => {
      // With Bot Framework authentication, from.id is only vouched for once the token is checked: the
      // per-user budget is taken here, so nobody can spend a customer's budget with forged activities.
      if (messageLimits?.authenticated && !isLoopback(clientIp(req, messageLimits.trustedProxyHops)) && !(await withinBudget(messageLimits, userKey(req), messageLimits.perUserPerMinute, log))) {
        log.info({ limit: 'user', channelId: context.activity.channelId }, 'rate limit reached on /api/messages: turn dropped');
        return;
      }
      await bot.run(context);
    });
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

/** 429 with Retry-After when the address (and, without authentication, the sender) used up its minute. */
async function withinMessageBudgets(req: Request, limits: NonNullable<ServerDeps['messageLimits']>, log: Logger, res: Response): Promise<boolean> {
  const ip = clientIp(req, limits.trustedProxyHops);
  // This host's own traffic (probes, benchmarks; a local proxy must declare itself with
  // DIRECTLINE_TRUSTED_PROXY_HOPS so its clients are told apart) is not budgeted.
  if (isLoopback(ip)) return true;
  const budgets = [{ key: `api-ip:${ip}`, limit: limits.perIpPerMinute, what: 'address' }];
  if (!limits.authenticated) budgets.push({ key: userKey(req), limit: limits.perUserPerMinute, what: 'user' });
  // Both budgets in one round trip to Redis.
  const decisions = await takeBudgets(limits, budgets, log);
  const refusal = decisions.findIndex((d) => !d.allowed);
  if (refusal < 0) return true;
  const decision = decisions[refusal] as Extract<RateDecision, { allowed: false }>;
  log.info({ limit: budgets[refusal]!.what, channelId: (req.body as { channelId: string }).channelId }, 'rate limit reached on /api/messages');
  res.header('Retry-After', String(decision.retryAfterSeconds));
  res.send(429, { error: 'too_many_requests', message: 'too many messages; try again shortly' });
  return false;
}

async function withinBudget(limits: NonNullable<ServerDeps['messageLimits']>, key: string, limit: number, log: Logger): Promise<boolean> {
  const [decision] = await takeBudgets(limits, [{ key, limit }], log);
  return decision!.allowed;
}

let budgetWarnedAt = 0;

/** Fails open without Redis (a customer must still be able to complain), with a warning at most every 10 s. */
function takeBudgets(limits: NonNullable<ServerDeps['messageLimits']>, budgets: ReadonlyArray<{ key: string; limit: number }>, log: Logger): Promise<RateDecision[]> {
  return takeFromBudgets(limits.redis, budgets, 60_000, (err) => {
    if (Date.now() - budgetWarnedAt < 10_000) return;
    budgetWarnedAt = Date.now();
    log.warn({ errName: (err as Error)?.name }, 'message rate limit unavailable (Redis): not applied');
  });
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

function userKey(req: Request): string {
  const activity = req.body as { channelId: string; from: { id: string } };
  return `api-user:${activity.channelId}:${activity.from.id}`;
}
