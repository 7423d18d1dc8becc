// A small Direct Line 3.0 client for the protocol tests: HTTP calls as Web Chat makes them, and the
// WebSocket stream with every frame kept.
import { randomBytes, randomInt } from 'node:crypto';
import WebSocket from 'ws';

export interface ConversationAnswer {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl: string;
}

export interface DlActivity {
  id: string;
  type: string;
  text?: string;
  timestamp: string;
  from: { id: string; role?: string };
  channelId: string;
  conversation: { id: string };
  channelData?: { clientActivityID?: string };
  suggestedActions?: { actions: { title: string; value: string }[] };
  [key: string]: unknown;
}

/** A made-up client address (the test apps trust one proxy hop, so X-Forwarded-For names the client). */
export function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export async function call(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; ip?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'x-forwarded-for': opts.ip ?? randomIp(), ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, body: json as Record<string, any> };
}

export async function startConversation(baseUrl: string, opts: { locale?: string; ip?: string } = {}): Promise<ConversationAnswer> {
  const res = await call(baseUrl, 'POST', '/v3/directline/conversations', { body: opts.locale ? { locale: opts.locale } : {}, ip: opts.ip });
  if (res.status !== 201) throw new Error(`starting a conversation answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as ConversationAnswer;
}

export async function postMessage(baseUrl: string, c: { conversationId: string; token: string }, text: string, extra: Record<string, unknown> = {}) {
  return call(baseUrl, 'POST', `/v3/directline/conversations/${c.conversationId}/activities`, {
    token: c.token,
    body: {
      type: 'message', text, textFormat: 'plain', locale: 'zh-CN', channelId: 'webchat',
      from: { id: 'r_whoever', role: 'user' },
      channelData: { clientActivityID: `${Date.now()}${randomBytes(4).toString('hex')}` },
      ...extra,
    },
  });
}

export async function getActivities(baseUrl: string, c: { conversationId: string; token: string }, watermark = '') {
  return call(baseUrl, 'GET', `/v3/directline/conversations/${c.conversationId}/activities?watermark=${encodeURIComponent(watermark)}`, { token: c.token });
}

/** Polls GET …/activities until `done` holds for everything received (or fails after `timeoutMs`). */
export async function pollUntil(
  baseUrl: string, c: { conversationId: string; token: string }, done: (all: DlActivity[]) => boolean, timeoutMs = 15_000,
): Promise<{ activities: DlActivity[]; watermark: string }> {
  const all: DlActivity[] = [];
  let watermark = '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await getActivities(baseUrl, c, watermark);
    if (res.status !== 200) throw new Error(`GET activities answered ${res.status}`);
    all.push(...(res.body.activities as DlActivity[]));
    watermark = res.body.watermark as string;
    if (done(all)) return { activities: all, watermark };
    if (Date.now() > deadline) throw new Error(`timed out; got: ${all.map((a) => `${a.from.role}:${a.type}:${a.text ?? ''}`).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A WebSocket stream that keeps every frame's activities. */
export class StreamClient {
  readonly activities: DlActivity[] = [];
  readonly watermarks: string[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      if (!text) return;
      const frame = JSON.parse(text) as { activities: DlActivity[]; watermark: string };
      this.activities.push(...frame.activities);
      this.watermarks.push(frame.watermark);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(streamUrl: string): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(streamUrl);
      const client = new StreamClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`stream refused with HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  async waitFor(done: (all: DlActivity[]) => boolean, timeoutMs = 15_000): Promise<DlActivity[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.activities)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream timed out; got: ${this.activities.map((a) => `${a.from.role}:${a.type}:${a.text ?? ''}`).join(' | ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.activities;
  }

  close(): void {
    this.socket.close();
  }
}

export const botTexts = (activities: DlActivity[]) => activities.filter((a) => a.from.role === 'bot' && a.type === 'message').map((a) => a.text ?? '');
export const decodeJwtPayload = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
