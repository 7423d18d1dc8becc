/**
 * Local stand-in for the Bot Framework channel connector, plus a small client that talks to
 * the bot's `/api/messages` the way a channel does. Used by `npm run chat` and end-to-end tests.
 *
 * With an empty MicrosoftAppId the CloudAdapter accepts anonymous activities and posts its
 * replies to `{serviceUrl}/v3/conversations/{conversationId}/activities/{replyToId}` (proactive
 * sends to `.../activities`) without an Authorization header, expecting `{ id }` back. The bot's
 * HTTP response to an incoming activity only arrives after the turn has finished, so everything
 * the connector received between sending an activity and that response belongs to the turn.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';

// ---------------------------------------------------------------------------------------------
// Connector (server side)
// ---------------------------------------------------------------------------------------------

export type ConnectorEventKind = 'send' | 'reply' | 'update' | 'delete';

export interface ConnectorEvent {
  kind: ConnectorEventKind;
  /** URL-decoded conversation id taken from the request path. */
  conversationId: string;
  /** Id the connector assigned (send/reply) or the id from the path (update/delete). */
  activityId: string;
  /** For `reply`: the activity id in the path (the activity being replied to). */
  replyToId?: string;
  /** The activity as recorded (with `id` set). For `delete`, a stub `{ id, type: 'delete' }`. */
  activity: Partial<Activity>;
}

export type ConnectorListener = (activity: Partial<Activity>, event: ConnectorEvent) => void;

export interface LocalConnectorOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (ephemeral). */
  port?: number;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class LocalConnector {
  private readonly server: http.Server;
  private readonly host: string;
  private readonly port: number;
  private readonly byConversation = new Map<string, Partial<Activity>[]>();
  private readonly all: Partial<Activity>[] = [];
  private readonly listeners = new Set<ConnectorListener>();
  private seq = 0;
  private closed = false;

  private constructor(server: http.Server, host: string, port: number) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  static async start(opts: LocalConnectorOptions = {}): Promise<LocalConnector> {
    const host = opts.host ?? '127.0.0.1';
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const connector = new LocalConnector(server, host, port);
    server.on('request', (req, res) => connector.handle(req, res));
    return connector;
  }

  /** Base URL to put in `activity.serviceUrl` (no trailing slash). */
  get serviceUrl(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    const shown = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
    return `http://${shown}:${this.port}`;
  }

  /** Every activity the bot sent (or updated) in this conversation, in arrival order. */
  activities(conversationId: string): Partial<Activity>[] {
    return [...(this.byConversation.get(conversationId) ?? [])];
  }

  /** Every activity the bot sent, across conversations, in arrival order. */
  allActivities(): Partial<Activity>[] {
    return [...this.all];
  }

  /** Subscribe to bot activities (send, reply, update, delete). Returns an unsubscribe function. */
  onActivity(listener: ConnectorListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Resolves once `conversationId` holds at least `count` recorded activities (e.g. to await
   * proactive messages). Rejects after `timeoutMs`.
   */
  waitForActivities(conversationId: string, count: number, timeoutMs = 5000): Promise<Partial<Activity>[]> {
    const have = () => this.byConversation.get(conversationId)?.length ?? 0;
    if (have() >= count) return Promise.resolve(this.activities(conversationId));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} activities in ${conversationId} (have ${have()})`));
      }, timeoutMs);
      const off = this.onActivity(() => {
        if (have() >= count) {
          clearTimeout(timer);
          off();
          resolve(this.activities(conversationId));
        }
      });
    });
  }

  /** Forget everything recorded (listeners stay). */
  clear(): void {
    this.byConversation.clear();
    this.all.length = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // -------------------------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const route = parseRoute(req.method ?? 'GET', req.url ?? '/');
    if (route.kind === 'notFound') {
      // Drain the body so the client sees the answer rather than a reset.
      req.resume();
      return sendJson(res, 404, { error: { code: 'NotFound', message: `no route for ${req.method} ${req.url}` } });
    }
    if (route.kind === 'badRequest') {
      req.resume();
      return sendJson(res, 400, { error: { code: 'BadArgument', message: route.message } });
    }
    if (route.kind === 'delete') {
      req.resume();
      this.removeRecorded(route.conversationId, route.activityId);
      this.emit({ id: route.activityId, type: 'delete' } as Partial<Activity>, {
        kind: 'delete',
        conversationId: route.conversationId,
        activityId: route.activityId,
      });
      res.statusCode = 204;
      res.end();
      return;
    }

    readBody(req)
      .then((raw) => {
        let activity: Partial<Activity>;
        try {
          const parsed: unknown = JSON.parse(raw.toString('utf8'));
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
          activity = parsed as Partial<Activity>;
        } catch {
          return sendJson(res, 400, { error: { code: 'BadArgument', message: 'body must be a JSON activity object' } });
        }
        const { conversationId } = route;
        if (route.kind === 'update') {
          const recorded: Partial<Activity> = { ...activity, id: route.activityId };
          this.replaceRecorded(conversationId, recorded);
          this.emit(recorded, { kind: 'update', conversationId, activityId: route.activityId });
          return sendJson(res, 200, { id: route.activityId });
        }
        const id = `${conversationId}|${String(++this.seq).padStart(7, '0')}`;
        const recorded: Partial<Activity> = {
          ...activity,
          id,
          timestamp: activity.timestamp ?? (new Date().toISOString() as unknown as Date),
        };
        if (route.kind === 'reply' && !recorded.replyToId) recorded.replyToId = route.replyToId;
        this.record(conversationId, recorded);
        const event: ConnectorEvent = { kind: route.kind, conversationId, activityId: id, activity: recorded };
        if (route.kind === 'reply') event.replyToId = route.replyToId;
        this.emit(recorded, event);
        return sendJson(res, 200, { id });
      })
      .catch((err: Error & { statusCode?: number }) => {
        if (!res.headersSent) sendJson(res, err.statusCode ?? 400, { error: { code: 'BadArgument', message: err.message } });
      });
  }

  private record(conversationId: string, activity: Partial<Activity>): void {
    let list = this.byConversation.get(conversationId);
    if (!list) this.byConversation.set(conversationId, (list = []));
    list.push(activity);
    this.all.push(activity);
  }

  private replaceRecorded(conversationId: string, activity: Partial<Activity>): void {
    const list = this.byConversation.get(conversationId);
    const i = list?.findIndex((a) => a.id === activity.id) ?? -1;
    if (list && i >= 0) {
      const old = list[i];
      list[i] = activity;
      const j = this.all.indexOf(old as Partial<Activity>);
      if (j >= 0) this.all[j] = activity;
    } else {
      this.record(conversationId, activity);
    }
  }

  private removeRecorded(conversationId: string, activityId: string): void {
    const list = this.byConversation.get(conversationId);
    const i = list?.findIndex((a) => a.id === activityId) ?? -1;
    if (list && i >= 0) {
      const [old] = list.splice(i, 1);
      const j = this.all.indexOf(old as Partial<Activity>);
      if (j >= 0) this.all.splice(j, 1);
    }
  }

  private emit(activity: Partial<Activity>, event: Omit<ConnectorEvent, 'activity'> & { activity?: Partial<Activity> }): void {
    const full: ConnectorEvent = { ...event, activity };
    for (const listener of [...this.listeners]) {
      try {
        listener(activity, full);
      } catch {
        // A faulty listener must not break the connector's answer to the bot.
      }
    }
  }
}

type Route =
  | { kind: 'send'; conversationId: string }
  | { kind: 'reply'; conversationId: string; replyToId: string }
  | { kind: 'update'; conversationId: string; activityId: string }
  | { kind: 'delete'; conversationId: string; activityId: string }
  | { kind: 'notFound' }
  | { kind: 'badRequest'; message: string };

function parseRoute(method: string, rawUrl: string): Route {
  const path = (rawUrl.split('?')[0] ?? '').replace(/\/{2,}/g, '/').replace(/\/$/, '');
  const segments = path.split('/').slice(1);
  // v3 / conversations / {conversationId} / activities [/ {activityId}]
  if (segments.length < 4 || segments.length > 5) return { kind: 'notFound' };
  if (segments[0] !== 'v3' || segments[1] !== 'conversations' || segments[3] !== 'activities') return { kind: 'notFound' };
  let conversationId: string;
  let activityId: string | undefined;
  try {
    conversationId = decodeURIComponent(segments[2] ?? '');
    activityId = segments[4] === undefined ? undefined : decodeURIComponent(segments[4]);
  } catch {
    return { kind: 'badRequest', message: 'malformed percent-encoding in path' };
  }
  if (!conversationId) return { kind: 'notFound' };
  if (activityId === undefined) {
    return method === 'POST' ? { kind: 'send', conversationId } : { kind: 'notFound' };
  }
  if (!activityId) return { kind: 'notFound' };
  switch (method) {
    case 'POST':
      return { kind: 'reply', conversationId, replyToId: activityId };
    case 'PUT':
      return { kind: 'update', conversationId, activityId };
    case 'DELETE':
      return { kind: 'delete', conversationId, activityId };
    default:
      return { kind: 'notFound' };
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        const err = Object.assign(new Error('body too large'), { statusCode: 413 });
        req.destroy();
        reject(err);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

// ---------------------------------------------------------------------------------------------
// Client side: a channel talking to the bot's /api/messages
// ---------------------------------------------------------------------------------------------

/** The bot's endpoint could not be reached at all (connection refused, DNS failure, timeout). */
export class BotUnreachableError extends Error {
  readonly botUrl: string;
  readonly code: string | undefined;
  constructor(botUrl: string, cause: unknown) {
    const code = (cause as { code?: string } | undefined)?.code;
    super(`cannot reach the bot at ${botUrl}${code ? ` (${code})` : ''}`, { cause });
    this.name = 'BotUnreachableError';
    this.botUrl = botUrl;
    this.code = code;
  }
}

/** The bot answered with a non-2xx status. */
export class BotHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown, what: string) {
    const shown = typeof body === 'string' ? body : JSON.stringify(body);
    super(`bot answered HTTP ${status} to ${what}${shown ? `: ${shown.slice(0, 300)}` : ''}`);
    this.name = 'BotHttpError';
    this.status = status;
    this.body = body;
  }
}

export interface ChatSessionOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botUrl: string;
  connector: LocalConnector;
  conversationId?: string;
  userId?: string;
  userName?: string;
  /** Default zh-CN. */
  locale?: string;
  /** Default 'webchat'. */
  channelId?: string;
  /** Bot account; default { id: 'bot', name: 'bot', role: 'bot' }. */
  bot?: { id: string; name?: string };
  /** Per-request timeout; default 30 000 ms. */
  timeoutMs?: number;
  /** Keep collecting for this long after the bot's HTTP response (bots that answer 202 early). Default 0. */
  settleMs?: number;
}

export interface PostResult {
  status: number;
  /** Parsed JSON when the body is JSON, otherwise the text ('' when empty). */
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export class ChatSession {
  readonly botUrl: string;
  readonly connector: LocalConnector;
  readonly conversationId: string;
  readonly userId: string;
  readonly userName: string;
  readonly locale: string;
  readonly channelId: string;
  readonly bot: { id: string; name: string };
  private readonly timeoutMs: number;
  private readonly settleMs: number;

  constructor(opts: ChatSessionOptions) {
    this.botUrl = opts.botUrl;
    this.connector = opts.connector;
    this.userId = opts.userId ?? `user-${randomBytes(4).toString('hex')}`;
    this.userName = opts.userName ?? this.userId;
    this.conversationId = opts.conversationId ?? `conv-${randomUUID()}`;
    this.locale = opts.locale ?? 'zh-CN';
    this.channelId = opts.channelId ?? 'webchat';
    this.bot = { id: opts.bot?.id ?? 'bot', name: opts.bot?.name ?? opts.bot?.id ?? 'bot' };
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.settleMs = opts.settleMs ?? 0;
  }

  /** Every bot activity recorded so far in this conversation. */
  get transcript(): Partial<Activity>[] {
    return this.connector.activities(this.conversationId);
  }

  /** The fields every activity from this user carries. */
  baseActivity(type: string): Partial<Activity> {
    const now = new Date();
    return {
      type,
      id: `${this.channelId}-${randomUUID()}`,
      timestamp: now.toISOString() as unknown as Date,
      localTimestamp: now.toISOString() as unknown as Date,
      channelId: this.channelId,
      serviceUrl: this.connector.serviceUrl,
      from: { id: this.userId, name: this.userName, role: 'user' },
      recipient: { id: this.bot.id, name: this.bot.name, role: 'bot' },
      conversation: { id: this.conversationId } as Activity['conversation'],
      locale: this.locale,
    };
  }

  /** Sends the `conversationUpdate` (membersAdded: [user]) real channels send when a chat opens. */
  async start(extra: Partial<Activity> = {}): Promise<Partial<Activity>[]> {
    const activity: Partial<Activity> = {
      ...this.baseActivity('conversationUpdate'),
      membersAdded: [{ id: this.userId, name: this.userName, role: 'user' }],
      ...extra,
    };
    return this.turn(activity, 'conversationUpdate');
  }

  /** Sends a message and resolves with the bot activities of that turn, in arrival order. */
  async say(text: string, extra: Partial<Activity> = {}): Promise<Partial<Activity>[]> {
    const activity: Partial<Activity> = {
      ...this.baseActivity('message'),
      textFormat: 'plain',
      text,
      ...extra,
    };
    return this.turn(activity, 'message');
  }

  /**
   * Sends an arbitrary activity (filled with this session's defaults where missing) and resolves
   * with the bot activities of that turn.
   */
  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const full = { ...this.baseActivity(activity.type ?? 'message'), ...activity };
    return this.turn(full, full.type ?? 'activity');
  }

  /** POSTs anything (objects as JSON, strings/Buffers verbatim) to the bot; never throws on status. */
  async post(rawBody: unknown, opts: { headers?: Record<string, string> } = {}): Promise<PostResult> {
    const isRaw = typeof rawBody === 'string' || Buffer.isBuffer(rawBody);
    const payload = isRaw ? (rawBody as string | Buffer) : JSON.stringify(rawBody ?? null);
    return httpRequest(this.botUrl, 'POST', payload, { 'content-type': 'application/json', ...opts.headers }, this.timeoutMs);
  }

  private async turn(activity: Partial<Activity>, what: string): Promise<Partial<Activity>[]> {
    const sentId = activity.id;
    const collected: Partial<Activity>[] = [];
    let collecting = true;
    const off = this.connector.onActivity((a, event) => {
      if (event.kind !== 'send' && event.kind !== 'reply') return;
      const mine = event.conversationId === this.conversationId;
      const isReply = sentId !== undefined && a.replyToId === sentId;
      if ((collecting && mine) || isReply) collected.push(a);
    });
    let result: PostResult;
    try {
      result = await this.post(activity);
      if (this.settleMs > 0) await new Promise((r) => setTimeout(r, this.settleMs));
    } finally {
      collecting = false;
      off();
    }
    if (result.status < 200 || result.status > 299) throw new BotHttpError(result.status, result.body, what);
    // deliveryMode 'expectReplies': the replies come back in the HTTP response body.
    const inline = (result.body as { activities?: unknown } | null)?.activities;
    if (Array.isArray(inline)) collected.push(...(inline as Partial<Activity>[]));
    return collected;
  }
}

function httpRequest(
  url: string,
  method: string,
  body: string | Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (err) {
      reject(new BotUnreachableError(url, err));
      return;
    }
    const req = http.request(
      target,
      {
        method,
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new BotUnreachableError(url, err)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if (text) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
        });
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });
    req.on('error', (err) => reject(new BotUnreachableError(url, err)));
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

export interface ActivityChoice {
  /** What the button shows. */
  label: string;
  /** What to send as the message text when the button is chosen. */
  value: string;
  /** The card action type (imBack, postBack, messageBack, openUrl, …). */
  type?: string;
  /** A non-string `value` of the action, to send as `activity.value` (postBack/messageBack). */
  payload?: unknown;
}

interface CardActionLike {
  type?: unknown;
  title?: unknown;
  value?: unknown;
  text?: unknown;
  displayText?: unknown;
}

const HERO_LIKE = new Set([
  'application/vnd.microsoft.card.hero',
  'application/vnd.microsoft.card.thumbnail',
]);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function toChoice(action: unknown): ActivityChoice | undefined {
  if (!action || typeof action !== 'object') return undefined;
  const a = action as CardActionLike;
  const type = str(a.type);
  const stringValue = typeof a.value === 'string' ? a.value : undefined;
  const value = stringValue ?? str(a.text) ?? str(a.displayText) ?? str(a.title);
  const label = str(a.title) ?? str(a.displayText) ?? str(a.text) ?? stringValue;
  if (label === undefined || value === undefined) return undefined;
  const choice: ActivityChoice = { label, value };
  if (type) choice.type = type;
  if (a.value !== undefined && typeof a.value !== 'string') choice.payload = a.value;
  return choice;
}

/**
 * Renders a bot activity as plain text: its text, hero/thumbnail cards (title, subtitle, text),
 * a placeholder for other attachments, and every button (suggested actions and card buttons) as
 * numbered lines "1. label", numbered across the whole activity.
 */
export function activityText(activity: Partial<Activity> | null | undefined): { text: string; choices: ActivityChoice[] } {
  const lines: string[] = [];
  const choices: ActivityChoice[] = [];
  if (!activity) return { text: '', choices };

  const addButtons = (actions: unknown) => {
    if (!Array.isArray(actions)) return;
    for (const action of actions) {
      const choice = toChoice(action);
      if (!choice) continue;
      choices.push(choice);
      lines.push(`${choices.length}. ${choice.label}`);
    }
  };

  const text = str(activity.text);
  if (text) lines.push(text);

  for (const attachment of activity.attachments ?? []) {
    if (!attachment || typeof attachment !== 'object') continue;
    const contentType = attachment.contentType;
    const content = (attachment.content ?? {}) as Record<string, unknown>;
    if (HERO_LIKE.has(contentType)) {
      for (const key of ['title', 'subtitle', 'text'] as const) {
        const v = str(content[key]);
        if (v) lines.push(v);
      }
      addButtons(content.buttons);
    } else {
      const name = str(attachment.name);
      lines.push(`[${contentType ?? 'attachment'}${name ? `: ${name}` : ''}${attachment.contentUrl ? ` ${attachment.contentUrl}` : ''}]`);
    }
  }

  addButtons(activity.suggestedActions?.actions);

  return { text: lines.join('\n'), choices };
}
