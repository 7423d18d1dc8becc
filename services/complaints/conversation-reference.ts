// The Bot Framework ConversationReference, as plain JSON (services/ knows no botbuilder types).
// Display names are dropped before saving: they are personal data and proactive messages need only ids.
export interface ConversationReferenceLike {
  channelId?: string;
  serviceUrl?: string;
  conversation?: { id?: string } & Record<string, unknown>;
  user?: ({ id?: string; name?: string } & Record<string, unknown>) | undefined;
  bot?: ({ id?: string; name?: string } & Record<string, unknown>) | undefined;
  [key: string]: unknown;
}

export interface StoredReference {
  channelId: string;
  conversationId: string;
  serviceUrl: string;
  reference: Record<string, unknown>;
}

export function toStoredReference(ref: ConversationReferenceLike): StoredReference {
  const channelId = ref.channelId;
  const conversationId = ref.conversation?.id;
  const serviceUrl = ref.serviceUrl;
  if (!channelId || !conversationId || !serviceUrl) {
    throw new Error('conversation reference lacks channelId, conversation.id or serviceUrl');
  }
  const { user, conversation, ...rest } = ref;
  const reference: Record<string, unknown> = {
    ...rest,
    conversation: { ...conversation, name: undefined },
    user: user ? { id: user.id, role: user['role'] } : undefined,
  };
  return { channelId, conversationId, serviceUrl, reference: JSON.parse(JSON.stringify(reference)) };
}
