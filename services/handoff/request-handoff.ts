// A customer asked for a person (转人工). The request is recorded with the conversation reference so
// an agent can take the conversation over (services/takeover/handoffs.ts: one open handoff per
// conversation, linked to the conversation's complaint, an event when one is).
import type { Database } from '../db/client';
import type { ConversationReferenceLike } from '../complaints/conversation-reference';
import { requestTakeover } from '../takeover/handoffs';

export async function requestHandoff({
  db, reference, channelUserId, reason, complaintId, locale, now,
}: {
  db: Database;
  reference: ConversationReferenceLike;
  channelUserId: string | null;
  reason: string;
  complaintId?: string | null;
  locale?: string;
  now: Date;
}): Promise<{ id: string; alreadyRequested: boolean }> {
  const { id, alreadyRequested } = await requestTakeover({ db, reference, channelUserId, reason, complaintId, locale, now });
  return { id, alreadyRequested };
}
