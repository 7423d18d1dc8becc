// WeChat's server API as this bot uses it: the access token (GET /cgi-bin/token), cached in Redis for
// every bot instance, fetched by one instance at a time (a Redis lock: each fetch invalidates the
// previous token at WeChat after a grace period), dropped a few minutes before WeChat's expiry, and
// fetched again when WeChat says it is invalid or expired; and customer-service text messages
// (POST /cgi-bin/message/custom/send), resent once with a fresh token on those errors.
// Never logged: the token, the secret, the openid, the text.
import { randomBytes } from 'node:crypto';
import type { Redis } from '../../../services/redis';
import type { Logger } from '../../../services/logger';

/** WeChat's "this token is no good" answers: 40001 invalid credential, 40014 invalid token, 42001 expired. */
export const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** Seconds before WeChat's expiry at which the cached token is dropped. */
const EXPIRY_MARGIN_S = 300;
const LOCK_MS = 15_000;
const WAIT_FOR_TOKEN_MS = 15_000;

export class WechatApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errcode?: number,
  ) {
    super(message);
    this.name = 'WechatApiError';
  }
}

export interface WechatApiOptions {
  apiBase: string;
  appId: string;
  appSecret: string;
  redis: Redis;
  log: Logger;
  timeoutMs?: number;
}

const RELEASE_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class WechatApi {
  private readonly tokenKey: string;
  private readonly lockKey: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: WechatApiOptions) {
    this.tokenKey = `wechat:access-token:${options.appId}`;
    this.lockKey = `wechat:access-token-lock:${options.appId}`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** A valid access token: the shared cached one, or a new one fetched by exactly one instance. */
  async accessToken(): Promise<string> {
    const { redis } = this.options;
    const deadline = Date.now() + WAIT_FOR_TOKEN_MS;
    for (;;) {
      const cached = await redis.get(this.tokenKey);
      if (cached) return cached;
      const lock = randomBytes(8).toString('hex');
      if ((await redis.set(this.lockKey, lock, 'PX', LOCK_MS, 'NX')) === 'OK') {
        try {
          const again = await redis.get(this.tokenKey);
          if (again) return again;
          const { token, expiresIn } = await this.fetchToken();
          const ttl = expiresIn > 2 * EXPIRY_MARGIN_S ? expiresIn - EXPIRY_MARGIN_S : Math.max(1, Math.floor(expiresIn / 2));
          await redis.set(this.tokenKey, token, 'EX', ttl);
          this.options.log.info({ appId: this.options.appId, ttlSeconds: ttl }, 'wechat: access token fetched');
          return token;
        } finally {
          await redis.eval(RELEASE_IF_OURS, 1, this.lockKey, lock).catch(() => {});
        }
      }
      if (Date.now() > deadline) throw new WechatApiError('token_unavailable', 'no access token: another instance holds the fetch lock');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Forgets `token` if it is still the cached one (a newer token fetched meanwhile stays). */
  async dropToken(token: string): Promise<void> {
    await this.options.redis.eval(RELEASE_IF_OURS, 1, this.tokenKey, token);
  }

  /** Sends one customer-service text message to the follower. */
  async sendText(openId: string, content: string): Promise<void> {
    const body = { touser: openId, msgtype: 'text', text: { content } };
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const answer = await this.call('POST', `/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, body);
      const errcode = typeof answer.errcode === 'number' ? answer.errcode : 0;
      if (errcode === 0) return;
      if (TOKEN_ERRCODES.has(errcode) && attempt === 1) {
        this.options.log.warn({ appId: this.options.appId, errcode }, 'wechat: access token refused; fetching a new one and sending again');
        await this.dropToken(token);
        continue;
      }
      throw new WechatApiError('send_refused', `custom/send refused with errcode ${errcode}`, errcode);
    }
  }

  private async fetchToken(): Promise<{ token: string; expiresIn: number }> {
    const { appId, appSecret } = this.options;
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret: appSecret });
    const answer = await this.call('GET', `/cgi-bin/token?${query.toString()}`);
    if (typeof answer.access_token !== 'string' || answer.access_token === '') {
      const errcode = typeof answer.errcode === 'number' ? answer.errcode : undefined;
      throw new WechatApiError('token_refused', `cgi-bin/token refused${errcode !== undefined ? ` with errcode ${errcode}` : ''}`, errcode);
    }
    const expiresIn = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 7200;
    return { token: answer.access_token, expiresIn };
  }

  private async call(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<Record<string, unknown>> {
    const path = pathAndQuery.split('?')[0];
    let response: Response;
    try {
      response = await fetch(`${this.options.apiBase}${pathAndQuery}`, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json; charset=utf-8' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new WechatApiError('unreachable', `${path}: ${(err as Error).name}`);
    }
    if (!response.ok) throw new WechatApiError('http_error', `${path}: HTTP ${response.status}`);
    try {
      const parsed: unknown = await response.json();
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch {
      throw new WechatApiError('bad_answer', `${path}: the answer is not a JSON object`);
    }
  }
}
