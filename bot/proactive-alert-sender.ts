// Alerts to staff as proactive messages into the conversation whose reference was stored in
// staff_contact (their Teams or WeCom chat with the bot), through the adapter of its channel.
import type { ConversationReference } from 'botbuilder';
import { chatReferenceSchema, type ChatAlertSender } from '../services/alerts/delivery/chat-transport';
import type { ChannelRouter } from './channel-router';

export class ProactiveAlertSender implements ChatAlertSender {
  constructor(private readonly channels: ChannelRouter) {}

  async send(reference: unknown, text: string): Promise<void> {
    const parsed = chatReferenceSchema.parse(reference);
    await this.channels.sendText(parsed as unknown as Partial<ConversationReference>, text);
  }
}
