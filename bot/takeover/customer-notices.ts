// What the customer's channel hears when a person takes over, writes, and hands back: proactive
// messages through the channel router (the adapter of the stored reference's channel), with the Bot
// Framework `handoff.status` events. A send error is caught inside the turn and rethrown after it (the
// adapter's onTurnError would otherwise swallow it and apologise into the conversation).
import { EventFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { ConversationReferenceLike } from '../../services/complaints/conversation-reference';
import type { ChannelRouter } from '../channel-router';
import type { ComplaintBot } from '../complaint-bot';
import { takeoverMessagesFor } from './takeover-messages';
import { recordedIds, setOutgoingActor } from './transcript-recorder';

export class CustomerNotices {
  constructor(
    private readonly channels: ChannelRouter,
    private readonly bot: ComplaintBot,
  ) {}

  /** A person joined: tell the customer in their language; handoff.status accepted. */
  agentJoined(reference: ConversationReferenceLike): Promise<void> {
    return this.inConversation(reference, async (context) => {
      setOutgoingActor(context, { type: 'system', id: 'takeover' });
      const locale = await this.bot.localeOf(context);
      await context.sendActivity({ type: 'message', text: takeoverMessagesFor(locale).agentJoined, textFormat: 'plain' });
      await context.sendActivity(EventFactory.createHandoffStatus(context.activity.conversation, 'accepted'));
    });
  }

  /** The agent's reply, as the agent; resolves with its transcript id. */
  async agentReply(reference: ConversationReferenceLike, staffId: string, text: string): Promise<string | null> {
    let id: string | null = null;
    await this.inConversation(reference, async (context) => {
      setOutgoingActor(context, { type: 'staff', id: staffId });
      await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
      id = recordedIds(context).at(-1) ?? null;
    });
    return id;
  }

  /** Handed back: handoff.status completed, then the bot carries on where the conversation was. */
  handedBack(reference: ConversationReferenceLike): Promise<void> {
    return this.inConversation(reference, async (context) => {
      setOutgoingActor(context, { type: 'bot', id: 'bot' });
      await context.sendActivity(EventFactory.createHandoffStatus(context.activity.conversation, 'completed'));
      await this.bot.resumeAfterHandoff(context, (locale) => takeoverMessagesFor(locale).handedBack);
    });
  }

  /** A waiting request closed by staff before anyone joined. */
  requestClosed(reference: ConversationReferenceLike): Promise<void> {
    return this.inConversation(reference, async (context) => {
      const locale = await this.bot.localeOf(context);
      await context.sendActivity(EventFactory.createHandoffStatus(context.activity.conversation, 'failed', 'closed by staff'));
      await context.sendActivity({ type: 'message', text: takeoverMessagesFor(locale).requestClosed, textFormat: 'plain' });
    });
  }

  private async inConversation(reference: ConversationReferenceLike, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    await this.channels.continueConversation(reference as Partial<ConversationReference>, async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
