// Proactive messages (escalation alerts, extension notices, agents' replies, surveys) go into the
// conversation a stored ConversationReference names, through the adapter of that reference's channel:
// the Bot Framework CloudAdapter by default, or a channel adapter of our own (WeChat, the self-hosted
// Direct Line) registered under its channelId. Nothing outside bot/ knows which adapter a channel uses.
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';

/** What a channel adapter of our own offers for proactive messages. */
export interface ProactiveChannel {
  continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export class ChannelRouter {
  private readonly channels = new Map<string, ProactiveChannel>();

  constructor(
    private readonly cloudAdapter: CloudAdapter,
    /** MicrosoftAppId; empty for an anonymous (local) bot. */
    private readonly appId: string,
  ) {}

  /** Routes references whose channelId is `channelId` to `channel` instead of the Bot Framework. */
  register(channelId: string, channel: ProactiveChannel): void {
    this.channels.set(channelId, channel);
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const own = reference.channelId ? this.channels.get(reference.channelId) : undefined;
    if (own) {
      await own.continueConversation(reference, logic);
      return;
    }
    await this.cloudAdapter.continueConversationAsync(this.appId, reference, logic);
  }

  /**
   * Sends one plain-text message into the conversation. The send error is caught inside the turn and
   * rethrown after it: the adapter's onTurnError would otherwise swallow it (and apologise into the
   * conversation), and the caller would record the message as delivered.
   */
  async sendText(reference: Partial<ConversationReference>, text: string): Promise<void> {
    let failure: { error: unknown } | undefined;
    await this.continueConversation(reference, async (context) => {
      try {
        await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
