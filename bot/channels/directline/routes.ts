// Direct Line 3.0 over HTTP, as the official Web Chat client and other Direct Line clients use it:
// start or resume a conversation, post and get activities, refresh the token, reconnect a stream.
// Tokens are conversation-scoped (tokens.ts); errors are Direct Line's {error: {code, message}}.
// On GET …/activities only 403 and 404 are ever answered as errors: Web Chat stops polling for good
// after any other error.
import type { Request, Response, Server } from 'restify';
import type { TLSSocket } from 'node:tls';
import type { DirectLineConfig } from '../../../services/config';
import type { Logger } from '../../../services/logger';
import type { Redis } from '../../../services/redis';
import { safeErrorFields } from '../../../services/safe-error';
import type { ActivityLog, Conversation } from './activity-log';
import { checkIncomingActivity, conversationStartActivity } from './incoming-activity';
import { takeFromBudget } from './rate-limit';
import { bearerToken, issueToken, STREAM_TOKEN_TTL_SECONDS, verifyToken, type TokenClaims } from './tokens';
import type { TurnRunner } from './turn-runner';
import type { ConversationRetention } from './retention';

export interface DirectLineRouteDeps {
  config: DirectLineConfig;
  activityLog: ActivityLog;
  turns: TurnRunner;
  retention: ConversationRetention;
  redis: Redis;
  log: Logger;
  clock: () => Date;
  /** serviceUrl recorded in activities and conversation references. */
  serviceUrl: string;
}

const BASE = '/v3/directline';
const ALLOWED_HEADERS = 'authorization, content-type, x-ms-bot-agent';

type Handler = (req: Request, res: Response) => Promise<void>;

export function registerDirectLineRoutes(server: Server, deps: DirectLineRouteDeps): void {
  // Redis down: requests go through without a budget (fail open), and the log says so (at most every 10 s).
  let budgetWarnedAt = 0;
  const budgetUnavailable = (err: unknown) => {
    if (Date.now() - budgetWarnedAt < 10_000) return;
    budgetWarnedAt = Date.now();
    deps.log.warn({ ...safeErrorFields(err) }, 'directline: rate limits not applied, Redis unreachable');
  };
  const { config, activityLog, turns, log, clock } = deps;

  const route = (handler: Handler) => async (req: Request, res: Response) => {
    allowOrigin(req, res, config.allowedOrigins);
    try {
      await handler(req, res);
    } catch (err) {
      log.error({ path: req.path(), ...safeErrorFields(err) }, 'directline: request failed');
      if (!res.headersSent) sendError(res, 500, 'ServiceError', 'the chat service failed; please try again');
    }
  };

  const respondWithConversation = (req: Request, res: Response, status: number, conversation: Conversation, watermark?: number) => {
    res.send(status, {
      conversationId: conversation.id,
      token: issueToken({ conversationId: conversation.id, userId: conversation.userId, scope: 'conversation', ttlSeconds: config.tokenTtlSeconds, secret: config.tokenSecret, now: clock() }),
      expires_in: config.tokenTtlSeconds,
      streamUrl: streamUrl(req, conversation, watermark),
    });
  };

  const streamUrl = (req: Request, conversation: Conversation, watermark?: number) => {
    const forwarded = config.trustedProxyHops > 0;
    const proto = (forwarded && firstHeader(req, 'x-forwarded-proto')) || ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
    const host = (forwarded && firstHeader(req, 'x-forwarded-host')) || req.headers.host || 'localhost';
    const token = issueToken({ conversationId: conversation.id, userId: conversation.userId, scope: 'stream', ttlSeconds: STREAM_TOKEN_TTL_SECONDS, secret: config.tokenSecret, now: clock() });
    const query = new URLSearchParams({ t: token, ...(watermark ? { watermark: String(watermark) } : {}) });
    return `${proto === 'https' ? 'wss' : 'ws'}://${host}${BASE}/conversations/${encodeURIComponent(conversation.id)}/stream?${query}`;
  };

  /** The token's claims and its conversation, or null after answering 403/404. */
  const authorize = async (req: Request, res: Response, conversationId?: string): Promise<{ claims: TokenClaims; conversation: Conversation } | null> => {
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      sendError(res, 403, 'TokenMissing', 'send the conversation token as Authorization: Bearer <token>');
      return null;
    }
    const check = verifyToken(token, 'conversation', config.tokenSecret, clock());
    if (!check.ok) {
      sendError(res, 403, check.reason === 'expired' ? 'TokenExpired' : 'TokenInvalid', check.reason === 'expired' ? 'the token has expired; start a new conversation' : 'the token is not valid');
      return null;
    }
    if (conversationId !== undefined && check.claims.conv !== conversationId) {
      sendError(res, 403, 'TokenInvalid', 'the token is for another conversation');
      return null;
    }
    const conversation = await activityLog.findConversation(check.claims.conv);
    if (!conversation) {
      sendError(res, 404, 'ConversationNotFound', 'the conversation has ended');
      return null;
    }
    return { claims: check.claims, conversation };
  };

  server.opts(`${BASE}/*`, async (req: Request, res: Response) => {
    allowOrigin(req, res, config.allowedOrigins);
    res.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.header('Access-Control-Max-Age', '600');
    res.send(204);
  });

  // Start a conversation (no credentials: a public chat, budgeted per IP) or, with its token, resume it.
  server.post(`${BASE}/conversations`, route(async (req, res) => {
    if (req.headers.authorization !== undefined) {
      const auth = await authorize(req, res);
      if (!auth) return;
      turns.kick(auth.conversation.id);
      respondWithConversation(req, res, 200, auth.conversation);
      return;
    }
    const ip = clientIp(req, config.trustedProxyHops);
    const budget = await takeFromBudget(deps.redis, `start:${ip}`, config.conversationsPerIpPerMinute, 60_000, budgetUnavailable);
    if (!budget.allowed) return tooMany(res, budget.retryAfterSeconds, 'too many new conversations from this address');
    const body = (req.body ?? {}) as { locale?: unknown };
    const conversation = await activityLog.createConversation(supportedLocale(typeof body.locale === 'string' ? body.locale : undefined));
    await activityLog.append(conversation.id, conversationStartActivity(conversation, deps.serviceUrl, clock()), true);
    turns.kick(conversation.id);
    deps.retention.maybePurge();
    respondWithConversation(req, res, 201, conversation);
  }));

  // Reconnect: a new stream URL from a watermark (Direct Line clients call it after a dropped socket).
  server.get(`${BASE}/conversations/:conversationId`, route(async (req, res) => {
    const auth = await authorize(req, res, String(req.params.conversationId));
    if (!auth) return;
    respondWithConversation(req, res, 200, auth.conversation, parseWatermark(req.query?.watermark));
  }));

  server.post(`${BASE}/conversations/:conversationId/activities`, route(async (req, res) => {
    const auth = await authorize(req, res, String(req.params.conversationId));
    if (!auth) return;
    const check = checkIncomingActivity(req.body, auth.conversation, config, deps.serviceUrl, clock());
    if (!check.ok) {
      log.info({ conversationId: auth.conversation.id, reasons: check.reasons }, 'directline: refused an activity');
      return sendError(res, check.status, 'BadArgument', check.reasons.join('; '), { reasons: check.reasons });
    }
    if (!check.activity) return void res.send(200, { id: '' }); // typing: not kept
    const budget = await takeFromBudget(deps.redis, `messages:${auth.conversation.id}`, config.messagesPerConversationPerMinute, 60_000, budgetUnavailable);
    if (!budget.allowed) return tooMany(res, budget.retryAfterSeconds, 'too many messages in this conversation; please wait a moment');
    const { id } = await activityLog.append(auth.conversation.id, check.activity, true);
    turns.kick(auth.conversation.id);
    res.send(200, { id });
  }));

  server.get(`${BASE}/conversations/:conversationId/activities`, async (req: Request, res: Response) => {
    allowOrigin(req, res, config.allowedOrigins);
    const watermark = parseWatermark(req.query?.watermark);
    try {
      const auth = await authorize(req, res, String(req.params.conversationId));
      if (!auth) return;
      const page = await activityLog.readAfter(auth.conversation.id, watermark);
      res.send(200, { activities: page.activities, watermark: String(page.watermark) });
    } catch (err) {
      // Web Chat stops polling for good after any error other than 403/404: answer "nothing new" and
      // let it ask again.
      log.error({ path: req.path(), ...safeErrorFields(err) }, 'directline: reading activities failed');
      if (!res.headersSent) res.send(200, { activities: [], watermark: String(watermark) });
    }
  });

  server.post(`${BASE}/conversations/:conversationId/upload`, route(async (req, res) => {
    req.resume();
    const auth = await authorize(req, res, String(req.params.conversationId));
    if (!auth) return;
    sendError(res, 400, 'BadArgument', 'file uploads are not accepted in this chat');
  }));

  server.post(`${BASE}/tokens/refresh`, route(async (req, res) => {
    const auth = await authorize(req, res);
    if (!auth) return;
    res.send(200, {
      conversationId: auth.conversation.id,
      token: issueToken({ conversationId: auth.conversation.id, userId: auth.conversation.userId, scope: 'conversation', ttlSeconds: config.tokenTtlSeconds, secret: config.tokenSecret, now: clock() }),
      expires_in: config.tokenTtlSeconds,
    });
  }));
}

function sendError(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  res.send(status, { error: { code, message, ...extra } });
}

function tooMany(res: Response, retryAfterSeconds: number, message: string): void {
  res.header('Retry-After', String(retryAfterSeconds));
  sendError(res, 429, 'TooManyRequests', message);
}

function allowOrigin(req: Request, res: Response, allowed: string[]): void {
  const origin = req.headers.origin;
  if (!origin) return;
  if (allowed.includes('*')) res.header('Access-Control-Allow-Origin', '*');
  else if (allowed.includes(origin)) {
    res.header('Access-Control-Allow-Origin', origin);
    res.header('Vary', 'Origin');
  } else return;
  res.header('Access-Control-Expose-Headers', 'Retry-After');
}

/** Watermarks are strings of the sequence number; '' or anything else means from the start. */
function parseWatermark(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : 0;
  return n;
}

function supportedLocale(locale: string | undefined): string {
  return locale?.toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN';
}

function firstHeader(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  return first || undefined;
}

/** The caller's address: the socket's, or with N trusted proxies the Nth address from the right of X-Forwarded-For. */
export function clientIp(req: Pick<Request, 'headers' | 'socket'>, trustedProxyHops: number): string {
  const socketIp = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return socketIp;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (chain.length === 0) return socketIp;
  return chain[Math.max(0, chain.length - trustedProxyHops)]!;
}
