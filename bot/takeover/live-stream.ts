// GET /api/v1/handoffs/:id/events — the conversation's messages as Server-Sent Events for the agent's
// console: first everything after Last-Event-ID (or the whole conversation), then each new message as
// it is recorded on any bot instance. PostgreSQL is the truth; Redis only says "look again", so a
// stream on this instance shows a message that arrived at another, and a reconnecting console resumes
// exactly where it stopped (the event id is the transcript row id).
import { PassThrough, type Readable } from 'node:stream';
import type { Database } from '../../services/db/client';
import type { Logger } from '../../services/logger';
import { safeErrorFields } from '../../services/safe-error';
import type { ConversationBus } from '../../services/takeover/conversation-bus';
import { readConversationTranscript, type ConversationKey } from '../../services/transcripts/transcript-store';

const HEARTBEAT_MS = 15_000;
const PAGE = 200;

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

export class LiveStreams {
  private readonly open = new Set<PassThrough>();

  constructor(
    private readonly db: Database,
    private readonly bus: ConversationBus,
    private readonly log: Logger,
  ) {}

  /** The event stream of one conversation; it ends when the client goes away (the pipe is destroyed) or the server closes. */
  async stream(key: ConversationKey, handoffId: string, lastEventId: unknown): Promise<Readable> {
    let lastSent = parseLastEventId(lastEventId);
    const out = new PassThrough();
    this.open.add(out);
    out.write('retry: 2000\n\n');

    let closed = false;
    let chain = Promise.resolve();
    // One read at a time, each from the last row sent: no duplicates, no gaps, whatever the order of notifications.
    const catchUp = () => {
      chain = chain.then(async () => {
        try {
          for (;;) {
            if (closed) return;
            const rows = await readConversationTranscript(this.db, key, lastSent, PAGE);
            for (const row of rows) {
              if (closed) return;
              out.write(`id: ${row.id}\nevent: message\ndata: ${JSON.stringify(row)}\n\n`);
              lastSent = BigInt(row.id);
            }
            if (rows.length < PAGE) return;
          }
        } catch (err) {
          this.log.warn({ ...safeErrorFields(err), handoffId }, 'live stream could not read the transcript');
        }
      });
    };

    const unsubscribe = await this.bus.subscribe(key, () => catchUp());
    catchUp();
    const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS);
    out.once('close', () => {
      closed = true;
      clearInterval(heartbeat);
      this.open.delete(out);
      void unsubscribe();
    });
    return out;
  }

  /** Ends every open stream (the server is closing: open streams would keep it waiting). */
  closeAll(): void {
    for (const out of [...this.open]) out.destroy();
  }
}

function parseLastEventId(value: unknown): bigint {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' && /^\d{1,19}$/.test(text.trim()) ? BigInt(text.trim()) : 0n;
}
