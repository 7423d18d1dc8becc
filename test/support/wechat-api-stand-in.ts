// A local stand-in for WeChat's server API, over real HTTP, speaking its protocol as the bot uses it:
// GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=… → {access_token, expires_in} (or
// {errcode: 40013|40125}); POST /cgi-bin/message/custom/send?access_token=… with a JSON text message →
// {errcode: 0} (or 40001 for an unknown token, 42001 for an expired one, 45002 for text over 2048 bytes).
// Tests can expire every issued token and read what each follower received.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface ReceivedMessage {
  touser: string;
  content: string;
}

export class WechatApiStandIn {
  /** Every GET /cgi-bin/token answered with a token. */
  tokenRequests = 0;
  /** custom/send calls refused for a bad or expired token. */
  refusedSends = 0;
  readonly received: ReceivedMessage[] = [];
  private readonly tokens = new Map<string, { expired: boolean }>();
  private readonly waiters = new Set<() => void>();
  /** The next n sends fail with errcode -1 (WeChat's "system busy"). */
  failNextSends = 0;
  /** Followers who wrote nothing in the last 48 h: customer-service messages to them get errcode 45015. */
  readonly windowClosedFor = new Set<string>();

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
    private readonly appId: string,
    private readonly appSecret: string,
    private readonly expiresIn: number,
  ) {}

  static async start(opts: { appId: string; appSecret: string; expiresIn?: number }): Promise<WechatApiStandIn> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const standIn = new WechatApiStandIn(server, `http://127.0.0.1:${port}`, opts.appId, opts.appSecret, opts.expiresIn ?? 7200);
    server.on('request', (req, res) => standIn.handle(req, res));
    return standIn;
  }

  /** WeChat expires every token issued so far (as after 7200 s, or a token fetched elsewhere). */
  expireTokens(): void {
    for (const state of this.tokens.values()) state.expired = true;
  }

  /** The texts a follower received, in order. */
  messagesTo(openId: string): string[] {
    return this.received.filter((m) => m.touser === openId).map((m) => m.content);
  }

  /** Resolves once the follower has received at least `count` messages. */
  async waitForMessages(openId: string, count: number, timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messagesTo(openId).length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} messages (have ${this.messagesTo(openId).length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.add(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.messagesTo(openId);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && url.pathname === '/cgi-bin/token') return this.token(url, res);
      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') return this.send(url, Buffer.concat(chunks).toString('utf8'), res);
      json(res, 404, { errcode: 404, errmsg: 'no such api' });
    });
  }

  private token(url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    if (q.get('grant_type') !== 'client_credential') return json(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
    if (q.get('appid') !== this.appId) return json(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
    if (q.get('secret') !== this.appSecret) return json(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
    const token = `ACCESS_TOKEN_${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, { expired: false });
    this.tokenRequests++;
    json(res, 200, { access_token: token, expires_in: this.expiresIn });
  }

  private send(url: URL, raw: string, res: http.ServerResponse): void {
    const token = this.tokens.get(url.searchParams.get('access_token') ?? '');
    if (!token) {
      this.refusedSends++;
      return json(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    }
    if (token.expired) {
      this.refusedSends++;
      return json(res, 200, { errcode: 42001, errmsg: 'access_token expired' });
    }
    if (this.failNextSends > 0) {
      this.failNextSends--;
      return json(res, 200, { errcode: -1, errmsg: 'system error' });
    }
    let body: { touser?: unknown; msgtype?: unknown; text?: { content?: unknown } };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return json(res, 200, { errcode: 47001, errmsg: 'data format error' });
    }
    if (typeof body.touser !== 'string' || body.msgtype !== 'text' || typeof body.text?.content !== 'string') {
      return json(res, 200, { errcode: 47001, errmsg: 'data format error' });
    }
    if (Buffer.byteLength(body.text.content, 'utf8') > 2048) return json(res, 200, { errcode: 45002, errmsg: 'content size out of limit' });
    if (this.windowClosedFor.has(body.touser)) return json(res, 200, { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' });
    this.received.push({ touser: body.touser, content: body.text.content });
    for (const wake of [...this.waiters]) wake();
    this.waiters.clear();
    json(res, 200, { errcode: 0, errmsg: 'ok' });
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
