// Appending to the transcript and telling the other instances (ConversationBus) in one call. A failed
// notification is not an error: the row is committed and the next notification (or a reconnecting
// stream) reads it from PostgreSQL.
import type { Database } from '../db/client';
import { appendTranscriptMessage, type NewTranscriptMessage } from '../transcripts/transcript-store';
import type { ConversationBus } from './conversation-bus';

export class TranscriptFeed {
  constructor(
    private readonly db: Database,
    private readonly bus: ConversationBus,
    private readonly onPublishError: (err: unknown) => void = () => {},
  ) {}

  async append(message: NewTranscriptMessage): Promise<string> {
    const id = await appendTranscriptMessage(this.db, message);
    await this.bus.publish(message, id).catch(this.onPublishError);
    return id;
  }
}
