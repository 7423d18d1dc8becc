// When a complaint is filed in a chat, the conversation so far belongs to it: its transcript messages
// (linked by the filing itself: createComplaint's linkConversationTranscript) and any request for a
// person made during the intake (linked here; the handoff's steps become events).
import type { ComplaintDesk } from '../complaint-desk';
import type { Database } from '../db/client';
import { toStoredReference } from '../complaints/conversation-reference';
import { linkConversationHandoffs } from './handoffs';

export function linkFilingsToConversation(desk: ComplaintDesk, db: Database): ComplaintDesk {
  return {
    ...desk,
    policy: desk.policy,
    fileComplaint: async (input) => {
      const filed = await desk.fileComplaint(input);
      const { channelId, conversationId } = toStoredReference(input.reference);
      await linkConversationHandoffs(db, { channelId, conversationId, complaintId: filed.id });
      return filed;
    },
  };
}
