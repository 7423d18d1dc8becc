// The survey as a proactive message into the customer's own conversation, through the channel
// router (Bot Framework, Direct Line or WeChat): the question with five rating buttons whose values
// name the survey (messageBack), so a click is recorded for exactly this survey; channels without
// buttons show them as text and the customer types the digit. WeChat's "no message from the
// follower in 48 h" (errcode 45015) becomes ChatWindowClosedError, so the survey falls back to a link
// or a callback instead of failing.
import { ActionTypes, type ConversationReference } from 'botbuilder';
import { ChatWindowClosedError, type SurveyMessage } from '../services/survey/survey-sender';
import { surveyMessagesFor } from '../dialogs/survey-messages';
import type { ChannelRouter } from './channel-router';

/** The value a rating button posts back. */
export interface SurveyButtonValue {
  surveyAnswer: { surveyId: string; rating: number };
}

export function surveyActivity(message: SurveyMessage) {
  const m = surveyMessagesFor(message.locale);
  return {
    type: 'message' as const,
    text: m.question(message.number, message.step === 'remind'),
    textFormat: 'plain' as const,
    suggestedActions: {
      to: [],
      actions: m.ratingLabels.map((label, i) => ({
        type: ActionTypes.MessageBack, title: label, text: String(i + 1), displayText: label,
        value: { surveyAnswer: { surveyId: message.surveyId, rating: i + 1 } } satisfies SurveyButtonValue,
      })),
    },
  };
}

export function surveyChatSender(channels: ChannelRouter): (reference: unknown, message: SurveyMessage) => Promise<void> {
  return async (reference, message) => {
    if (!reference || typeof reference !== 'object') throw new Error('no conversation reference');
    let failure: { error: unknown } | undefined;
    await channels.continueConversation(reference as Partial<ConversationReference>, async (context) => {
      try {
        await context.sendActivity(surveyActivity(message));
      } catch (error) {
        failure = { error };
      }
    });
    if (!failure) return;
    const errcode = (failure.error as { errcode?: unknown }).errcode;
    if (errcode === 45015 || errcode === 45047) throw new ChatWindowClosedError(`wechat_${errcode}`);
    throw failure.error;
  };
}
