// WebSocket streams (Direct Line's streamUrl). A socket is held by one instance; the activities may
// come from any: each instance subscribes in Redis to the conversations it holds sockets for, and
// on a wake-up reads the log in PostgreSQL after what that socket has already been sent. Frames are
// Direct Line's {activities, watermark}. What clients send on the socket (Web Chat's empty pings) is
// ignored.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { Redis } from '../../../services/redis';
import type { Logger } from '../../../services/logger';
import { safeErrorFields } from '../../../services/safe-error';
import { wakeChannel, type ActivityLog } from './activity-log';
import { verifyToken } from './tokens';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;
const HEARTBEAT_MS = 30_000;

interface Stream {
  socket: WebSocket;
  conversationId: string;
  watermark: number;
  alive: boolean;
  pumping?: Promise<void>;
  again: boolean;
}

export class StreamHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  private readonly streams = new Map<string, Set<Stream>>();
  private readonly subscriber: Redis;
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly deps: { activityLog: ActivityLog; redis: Redis; log: Logger; tokenSecret: string; clock: () => Date }) {
    // A subscriber connection of its own (a subscribed connection can do nothing else); it queues
    // (re)subscriptions while Redis is away and resubscribes by itself after a reconnect.
    this.subscriber = deps.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
    this.subscriber.on('error', (err) => deps.log.warn({ errName: err.name }, 'directline: redis subscriber problem'));
    this.subscriber.on('message', (channel: string) => this.wake(channel.slice(wakeChannel('').length)));
    let connectedBefore = false;
    this.subscriber.on('ready', () => {
      // After a reconnect, wake-ups published meanwhile are lost: every socket re-reads the log.
      if (connectedBefore) for (const id of this.streams.keys()) this.wake(id);
      connectedBefore = true;
    });
    this.heartbeat = setInterval(() => this.checkAlive(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Takes the HTTP server's upgrade requests for stream URLs. */
  attach(server: HttpServer): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = STREAM_PATH.exec(url.pathname);
      if (!match) {
        if (url.pathname.startsWith('/v3/directline/') || server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
        return;
      }
      void this.accept(req, socket, head, match[1]!, url).catch((err) => {
        this.deps.log.warn({ ...safeErrorFields(err) }, 'directline: stream upgrade failed');
        refuse(socket, 500, 'Internal Server Error');
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const set of this.streams.values()) for (const s of set) s.socket.close(1001, 'server shutting down');
    this.streams.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.subscriber.disconnect();
  }

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer, conversationId: string, url: URL): Promise<void> {
    const check = verifyToken(url.searchParams.get('t') ?? '', 'stream', this.deps.tokenSecret, this.deps.clock());
    if (!check.ok || check.claims.conv !== conversationId) return refuse(socket, 403, 'Forbidden');
    if (!(await this.deps.activityLog.findConversation(conversationId))) return refuse(socket, 404, 'Not Found');
    const watermark = Number.parseInt(url.searchParams.get('watermark') ?? '', 10);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      void this.open(ws, conversationId, Number.isSafeInteger(watermark) && watermark > 0 ? watermark : 0);
    });
  }

  private async open(socket: WebSocket, conversationId: string, watermark: number): Promise<void> {
    const stream: Stream = { socket, conversationId, watermark, alive: true, again: false };
    socket.on('pong', () => { stream.alive = true; });
    socket.on('message', () => { stream.alive = true; });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => void this.remove(stream));
    let set = this.streams.get(conversationId);
    const first = !set;
    if (!set) this.streams.set(conversationId, (set = new Set()));
    set.add(stream);
    if (first) {
      // Subscribe before the first read: whatever is appended later wakes this socket.
      try {
        await this.subscriber.subscribe(wakeChannel(conversationId));
      } catch (err) {
        this.deps.log.warn({ conversationId, ...safeErrorFields(err) }, 'directline: could not subscribe to wake-ups');
      }
    }
    this.pump(stream);
  }

  private async remove(stream: Stream): Promise<void> {
    const set = this.streams.get(stream.conversationId);
    if (!set?.delete(stream) || set.size > 0) return;
    this.streams.delete(stream.conversationId);
    if (!this.closed) await this.subscriber.unsubscribe(wakeChannel(stream.conversationId)).catch(() => {});
  }

  private wake(conversationId: string): void {
    for (const stream of this.streams.get(conversationId) ?? []) this.pump(stream);
  }

  /** Sends the socket everything after its watermark; one read at a time per socket. */
  private pump(stream: Stream): void {
    if (stream.pumping) {
      stream.again = true;
      return;
    }
    stream.pumping = (async () => {
      do {
        stream.again = false;
        for (;;) {
          if (stream.socket.readyState !== WebSocket.OPEN) return;
          const page = await this.deps.activityLog.readAfter(stream.conversationId, stream.watermark);
          if (page.activities.length === 0) break;
          stream.socket.send(JSON.stringify({ activities: page.activities, watermark: String(page.watermark) }));
          stream.watermark = page.watermark;
        }
      } while (stream.again);
    })()
      .catch((err) => this.deps.log.warn({ conversationId: stream.conversationId, ...safeErrorFields(err) }, 'directline: stream read failed'))
      .finally(() => { stream.pumping = undefined; });
  }

  private checkAlive(): void {
    for (const set of this.streams.values()) {
      for (const stream of set) {
        if (!stream.alive) {
          stream.socket.terminate();
          continue;
        }
        stream.alive = false;
        stream.socket.ping();
      }
    }
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
