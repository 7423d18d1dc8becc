// What the domain needs to know about the turn's channel and user, without botbuilder types.
import { TurnContext } from 'botbuilder';
import type { ChannelUser } from '../services/complaint-desk';
import type { ConversationReferenceLike } from '../services/complaints/conversation-reference';

export function channelUserOf(context: TurnContext): ChannelUser {
  return { channelId: context.activity.channelId, channelUserId: context.activity.from?.id ?? null };
}

export function conversationReferenceOf(context: TurnContext): ConversationReferenceLike {
  return TurnContext.getConversationReference(context.activity) as unknown as ConversationReferenceLike;
}
