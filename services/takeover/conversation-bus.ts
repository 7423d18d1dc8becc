// Tells every bot instance that a conversation has a new transcript row, so an agent's live stream
// (SSE) served by one instance shows a customer message that arrived at another. Only the row id
// travels over Redis — never the text; PostgreSQL stays the source of truth and a subscriber reads
// the rows it has not sent yet (which also makes a lost notification harmless: the next one catches up).
import { once } from 'node:events';
import type { Redis } from '../redis';
import { conversationKeyOf, type ConversationKey } from '../transcripts/transcript-store';

const CHANNEL_PREFIX = 'transcript-appended:';

export type ConversationListener = (rowId: string) => void;

export class ConversationBus {
  private subscriber: Redis | null = null;
  private readonly listeners = new Map<string, Set<ConversationListener>>();
  private closed = false;

  constructor(private readonly publisher: Redis) {}

  async publish(key: ConversationKey, rowId: string): Promise<void> {
    await this.publisher.publish(CHANNEL_PREFIX + conversationKeyOf(key), rowId);
  }

  /** Calls `listener` for each row appended to the conversation (on any instance); returns the unsubscribe. */
  async subscribe(key: ConversationKey, listener: ConversationListener): Promise<() => Promise<void>> {
    const channel = CHANNEL_PREFIX + conversationKeyOf(key);
    const subscriber = await this.connectedSubscriber();
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await subscriber.subscribe(channel);
    }
    set.add(listener);
    return async () => {
      const current = this.listeners.get(channel);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(channel);
        if (!this.closed) await subscriber.unsubscribe(channel).catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private async connectedSubscriber(): Promise<Redis> {
    if (!this.subscriber) {
      // A connection in subscriber mode can do nothing else: one per instance, shared by its streams.
      const subscriber = this.publisher.duplicate();
      subscriber.on('error', () => {}); // reconnects by itself; streams catch up from PostgreSQL
      subscriber.on('message', (channel: string, rowId: string) => {
        for (const listener of this.listeners.get(channel) ?? []) listener(rowId);
      });
      // After a reconnect, tell every stream to re-read PostgreSQL: notifications may have been missed.
      subscriber.on('ready', () => {
        for (const set of this.listeners.values()) for (const listener of set) listener('');
      });
      this.subscriber = subscriber;
    }
    const subscriber = this.subscriber;
    if (subscriber.status !== 'ready') {
      if (subscriber.status === 'wait') await subscriber.connect();
      else await once(subscriber, 'ready');
    }
    return subscriber;
  }
}
