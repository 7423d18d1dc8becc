// The botbuilder adapter of the self-hosted Direct Line: the same ComplaintBot runs on it, and
// whatever the bot sends (replies, agents' messages, alerts, surveys) is appended to the
// conversation's activity log in PostgreSQL, from where every instance streams it to the client.
import {
  BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse,
} from 'botbuilder';
import type { Logger } from '../../../services/logger';
import { newReferenceId } from '../../../services/reference-id';
import { safeErrorFields } from '../../../services/safe-error';
import { localeForFailedTurn } from '../../../dialogs/i18n/locale';
import { messagesFor } from '../../../dialogs/i18n/messages';
import type { ActivityLog, StoredActivity } from './activity-log';
import { BOT_ACCOUNT, DIRECTLINE_CHANNEL_ID } from './incoming-activity';

/** Longest `delay` activity honoured (ms): a turn must not hold its conversation for long. */
const MAX_DELAY_MS = 5_000;

export class DirectLineAdapter extends BotAdapter {
  constructor(private readonly activityLog: ActivityLog, private readonly log: Logger, private readonly clock: () => Date = () => new Date()) {
    super();
    this.onTurnError = async (context, error) => {
      const ref = newReferenceId();
      log.error({ ref, ...safeErrorFields(error), conversationId: context.activity.conversation?.id, channelId: DIRECTLINE_CHANNEL_ID, activityType: context.activity.type }, 'turn failed');
      try {
        await context.sendActivity(messagesFor(localeForFailedTurn(context)).turnError(ref));
      } catch (sendError) {
        log.warn({ ref, ...safeErrorFields(sendError) }, 'could not send the apology');
      }
    };
  }

  /** Runs the bot's turn for one activity of the log. */
  async processActivity(activity: StoredActivity, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const incoming = { ...activity, timestamp: new Date(String(activity.timestamp)) } as unknown as Activity;
    await this.runMiddleware(new TurnContext(this, incoming), logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, Math.min(Number(activity.value) || 1000, MAX_DELAY_MS)));
        responses.push({ id: '' });
        continue;
      }
      if (activity.type === 'invokeResponse') {
        responses.push({ id: '' });
        continue;
      }
      const conversationId = activity.conversation?.id ?? context.activity.conversation?.id;
      if (!conversationId) throw new Error('Direct Line: an outgoing activity without a conversation');
      const outgoing = JSON.parse(JSON.stringify({
        ...activity,
        id: undefined,
        // The bot's texts are plain (line breaks, numbered lines, customers' own words quoted back);
        // Web Chat would read them as markdown, joining lines and formatting stray * and _.
        textFormat: activity.textFormat ?? (activity.type === 'message' ? 'plain' : undefined),
        timestamp: this.clock().toISOString(),
        channelId: DIRECTLINE_CHANNEL_ID,
        conversation: { id: conversationId },
        from: { ...BOT_ACCOUNT },
        recipient: activity.recipient?.id ? { id: activity.recipient.id, role: 'user' } : undefined,
      })) as Omit<StoredActivity, 'id'>;
      const { id } = await this.activityLog.append(conversationId, outgoing, false);
      responses.push({ id });
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new Error('Direct Line: clients cannot update an activity already sent');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('Direct Line: clients cannot delete an activity already sent');
  }

  /**
   * Proactive messages into a stored conversation (ChannelRouter). Sending fails with
   * ConversationNotFoundError when the conversation no longer exists.
   */
  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    activity.channelId = DIRECTLINE_CHANNEL_ID;
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
