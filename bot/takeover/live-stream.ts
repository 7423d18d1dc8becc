// GET /api/v1/handoffs/:id/events — the conversation's messages as Server-Sent Events for the agent's
// console: first everything after Last-Event-ID (or the whole conversation), then each new message as
// it is recorded on any bot instance. PostgreSQL is the truth; Redis only says "look again", so a
// stream on this instance shows a message that arrived at another, and a reconnecting console resumes
// exactly where it stopped (the event id is the transcript row id).
import type { Request, Response } from 'restify';
import type { Database } from '../../services/db/client';
import type { Logger } from '../../services/logger';
import { safeErrorFields } from '../../services/safe-error';
import type { ConversationBus } from '../../services/takeover/conversation-bus';
import { readConversationTranscript, type ConversationKey } from '../../services/transcripts/transcript-store';

const HEARTBEAT_MS = 15_000;

export class LiveStreams {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly bus: ConversationBus,
    private readonly log: Logger,
  ) {}

  /** Streams until the client goes away or the server closes. */
  async serve(req: Request, res: Response, key: ConversationKey, handoffId: string): Promise<void> {
    let lastSent = parseLastEventId(req.headers['last-event-id'] ?? (req.query as Record<string, unknown> | undefined)?.lastEventId);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');

    let closed = false;
    let chain = Promise.resolve();
    // One read at a time, each from the last row sent: no duplicates, no gaps, whatever the order of notifications.
    const catchUp = () => {
      chain = chain.then(async () => {
        if (closed) return;
        try {
          for (;;) {
            const rows = await readConversationTranscript(this.db, key, lastSent, 200);
            for (const row of rows) {
              if (closed) return;
              res.write(`id: ${row.id}\nevent: message\ndata: ${JSON.stringify(row)}\n\n`);
              lastSent = BigInt(row.id);
            }
            if (rows.length < 200) return;
          }
        } catch (err) {
          this.log.warn({ ...safeErrorFields(err), handoffId }, 'live stream could not read the transcript');
        }
      });
    };

    const unsubscribe = await this.bus.subscribe(key, () => catchUp());
    catchUp();
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);

    await new Promise<void>((resolve) => {
      const finish = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        this.open.delete(finish);
        void unsubscribe().finally(() => resolve());
        if (!res.writableEnded) res.end();
      };
      this.open.add(finish);
      req.on('close', finish);
      res.on('close', finish);
    });
  }

  /** Ends every open stream (the server is closing: open streams would keep it waiting). */
  closeAll(): void {
    for (const finish of [...this.open]) finish();
  }
}

function parseLastEventId(value: unknown): bigint {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' && /^\d{1,19}$/.test(text.trim()) ? BigInt(text.trim()) : 0n;
}
