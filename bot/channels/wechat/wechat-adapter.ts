// The WeChat channel as a botbuilder adapter: the same ComplaintBot and dialogs run on it. An inbound
// message becomes an activity of channel 'wechat' whose user and conversation id is the follower's
// wechat_user id (never the openid, which is personal data and stays in this adapter and
// services/channels/wechat); the bot's replies go out as customer-service text messages. Proactive
// messages (escalations, notices, surveys, agents' replies) come in through continueConversation.
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../services/db/client';
import type { Logger } from '../../../services/logger';
import { isUuid } from '../../../services/ids';
import { newReferenceId } from '../../../services/reference-id';
import { safeErrorFields } from '../../../services/safe-error';
import { openIdOfFollower } from '../../../services/channels/wechat/wechat-inbox';
import { localeForFailedTurn } from '../../../dialogs/i18n/locale';
import { messagesFor } from '../../../dialogs/i18n/messages';
import type { ProactiveChannel } from '../../channel-router';
import { WechatApiError, type WechatApi } from './wechat-api';
import { renderWechatTexts } from './wechat-render';

export const WECHAT_CHANNEL_ID = 'wechat';
const OPEN_ID = Symbol('wechatOpenId');
/** Set when WeChat refused a reply in this turn (dialogs wrap errors, so the error itself may not say). */
const SEND_FAILED = Symbol('wechatSendFailed');

export interface WechatAdapterOptions {
  api: Pick<WechatApi, 'sendText'>;
  db: Database;
  log: Logger;
  appId: string;
}

export class WechatAdapter extends BotAdapter implements ProactiveChannel {
  constructor(private readonly options: WechatAdapterOptions) {
    super();
    this.onTurnError = async (context, error) => {
      // WeChat did not take a reply: there is no way to apologise either. Rethrown so the inbox
      // keeps the message and runs the turn again later (its state was not saved).
      const sendFailure = context.turnState.get(SEND_FAILED) as WechatApiError | undefined;
      if (sendFailure) throw sendFailure;
      if (error instanceof WechatApiError) throw error;
      const ref = newReferenceId();
      options.log.error({ ref, ...safeErrorFields(error), conversationId: context.activity.conversation?.id, channelId: WECHAT_CHANNEL_ID, activityType: context.activity.type }, 'turn failed');
      try {
        await context.sendActivity(messagesFor(localeForFailedTurn(context)).turnError(ref));
      } catch (sendError) {
        options.log.warn({ ref, ...safeErrorFields(sendError) }, 'could not send the apology');
      }
    };
  }

  /** The activity of the bot's address for a follower; `wechatUserId` is their wechat_user id. */
  conversationOf(wechatUserId: string): Pick<Activity, 'channelId' | 'serviceUrl' | 'from' | 'recipient' | 'conversation'> {
    return {
      channelId: WECHAT_CHANNEL_ID,
      serviceUrl: `wechat:${this.options.appId}`,
      from: { id: wechatUserId, role: 'user', name: '' },
      recipient: { id: this.options.appId, role: 'bot', name: '' },
      conversation: { id: wechatUserId, conversationType: 'personal', isGroup: false, name: '' },
    };
  }

  /** Runs one inbound activity through the bot; `openId` spares a look-up when replying. */
  async processInbound(activity: Partial<Activity>, openId: string, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const context = new TurnContext(this, activity);
    context.turnState.set(OPEN_ID, openId);
    await this.runMiddleware(context, logic);
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await new Promise((r) => setTimeout(r, Math.min(typeof activity.value === 'number' ? activity.value : 1000, 5000)));
      } else if (activity.type === 'message') {
        const texts = renderWechatTexts(activity);
        if (texts.length > 0) {
          try {
            const openId = await this.openIdFor(context);
            for (const text of texts) await this.options.api.sendText(openId, text);
          } catch (err) {
            if (err instanceof WechatApiError) context.turnState.set(SEND_FAILED, err);
            throw err;
          }
        }
      }
      responses.push({ id: `wechat-${randomUUID()}` });
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new Error('WeChat cannot edit a sent message');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('WeChat cannot delete a sent message');
  }

  private async openIdFor(context: TurnContext): Promise<string> {
    const known = context.turnState.get(OPEN_ID) as string | undefined;
    if (known) return known;
    const wechatUserId = context.activity.conversation?.id ?? '';
    const openId = isUuid(wechatUserId) ? await openIdOfFollower({ db: this.options.db, wechatUserId }) : null;
    if (!openId) throw new WechatApiError('unknown_follower', 'the conversation names no known WeChat follower');
    context.turnState.set(OPEN_ID, openId);
    return openId;
  }
}
