// Alerts to staff as proactive Bot Framework messages, into the conversation whose reference was
// stored in staff_contact (their Teams or WeCom chat with the bot). The send error is caught inside
// the turn and rethrown after it: the adapter's onTurnError would otherwise swallow it and apologise
// into the staff member's chat, and the delivery would be recorded as sent.
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import { chatReferenceSchema, type ChatAlertSender } from '../services/alerts/delivery/chat-transport';

export class ProactiveAlertSender implements ChatAlertSender {
  constructor(
    private readonly adapter: CloudAdapter,
    /** MicrosoftAppId; empty for an anonymous (local) bot. */
    private readonly appId: string,
  ) {}

  async send(reference: unknown, text: string): Promise<void> {
    const parsed = chatReferenceSchema.parse(reference);
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, parsed as unknown as Partial<ConversationReference>, async (context) => {
      try {
        await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
