// The survey inside the conversation (R-SURVEY). Before the dialogs see a message, ComplaintBot asks
// this handler whether it is about a survey — like the takeover check:
//  - a rating button (its value names the survey, which must belong to this conversation);
//  - while a survey of this conversation is sent or reminded: a reply the classifier understands
//    (满意, 不满意, 还行, "not happy", 1–5, 5分 …; services/survey/classify-survey-answer.ts);
//  - right after an answer: the one optional comment (跳过/skip declines);
//  - 申请复核 / "request a review" (with a number, or the customer's latest answered complaint).
// Anything else is not swallowed: it goes to the menu and dialogs as usual, and the survey stays
// pending (its reminder comes later). We chose that over a re-prompt: a customer who writes about
// something else mid-survey wants that handled, and the buttons stay visible above. A bare digit
// while a dialog waits for an answer belongs to the dialog (an amount, a menu number), not the survey.
import type { BotState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { AppError } from '../services/errors';
import { classifySurveyAnswer, isReviewRequest, isSkipComment } from '../services/survey/classify-survey-answer';
import type { PendingChatSurvey, SurveyService } from '../services/survey/survey-service';
import { surveyMessagesFor } from '../dialogs/survey-messages';
import { formatDateTime } from '../dialogs/i18n/messages';
import type { Locale } from '../dialogs/i18n/locale';

const buttonSchema = z.object({ surveyAnswer: z.object({ surveyId: z.string().uuid(), rating: z.number().int().min(1).max(5) }) });

interface AwaitingComment {
  surveyId: string;
  askedAt: number;
}

/** The comment question stays open this long; a later message is an ordinary message. */
const COMMENT_WINDOW_MS = 60 * 60_000;

export class SurveyTurn {
  private readonly commentProperty: StatePropertyAccessor<AwaitingComment | undefined>;

  constructor(
    conversationState: BotState,
    private readonly service: SurveyService,
    private readonly settings: { timeZone: string; reviewWindowDays: number; clock: () => Date },
  ) {
    this.commentProperty = conversationState.createProperty<AwaitingComment | undefined>('surveyComment');
  }

  /** true when the message was the survey's (answered here); false: let the dialogs have it. */
  async handle(context: TurnContext, locale: Locale, dialogActive: boolean): Promise<boolean> {
    const activity = context.activity;
    const channelId = activity.channelId;
    const conversationId = activity.conversation?.id;
    if (activity.type !== 'message' || !channelId || !conversationId) return false;
    const text = (activity.text ?? '').trim();

    const button = buttonSchema.safeParse(activity.value);
    if (button.success) {
      const survey = await this.service.findChatSurvey(button.data.surveyAnswer.surveyId, channelId, conversationId);
      if (survey) {
        const rating = button.data.surveyAnswer.rating;
        await this.record(context, locale, survey, { rating, satisfied: rating >= 3 });
        return true;
      }
    }

    const awaiting = await this.commentProperty.get(context);
    if (awaiting) {
      await this.commentProperty.delete(context);
      if (this.settings.clock().getTime() - awaiting.askedAt < COMMENT_WINDOW_MS && text && !isReviewRequest(text)) {
        const m = surveyMessagesFor(locale);
        if (isSkipComment(text)) await context.sendActivity(m.commentSkipped);
        else {
          await this.service.comment(awaiting.surveyId, text);
          await context.sendActivity(m.commentSaved);
        }
        return true;
      }
    }

    const answer = classifySurveyAnswer(text);
    if (answer && !(dialogActive && answer.bareScore)) {
      const pending = await this.service.findPendingChatSurvey(channelId, conversationId);
      if (pending) {
        await this.record(context, locale, pending, { rating: answer.rating, satisfied: answer.satisfied });
        return true;
      }
    }

    if (isReviewRequest(text) && activity.from?.id) {
      await this.review(context, locale, text, activity.from.id);
      return true;
    }
    return false;
  }

  private async record(context: TurnContext, locale: Locale, survey: PendingChatSurvey, answer: { rating: number | null; satisfied: boolean }): Promise<void> {
    const m = surveyMessagesFor(locale);
    let recorded;
    try {
      recorded = await this.service.answer(survey.id, answer, { type: 'customer', id: context.activity.from?.id ?? null, channel: context.activity.channelId });
    } catch (err) {
      if (err instanceof AppError && err.code === 'CONFLICT') {
        await context.sendActivity(m.surveyClosed);
        return;
      }
      throw err;
    }
    if (recorded.outcome === 'reopened') {
      const due = recorded.reopen?.feedbackDueAt ? formatDateTime(recorded.reopen.feedbackDueAt, locale, this.settings.timeZone) : null;
      await context.sendActivity(m.reopened(survey.number, due));
    } else if (answer.satisfied) {
      await context.sendActivity(m.thanksSatisfied(survey.number, this.settings.reviewWindowDays));
    } else {
      await context.sendActivity(m.reviewStillOpen(survey.number));
    }
    await context.sendActivity(m.askComment);
    await this.commentProperty.set(context, { surveyId: survey.id, askedAt: this.settings.clock().getTime() });
  }

  private async review(context: TurnContext, locale: Locale, text: string, channelUserId: string): Promise<void> {
    const m = surveyMessagesFor(locale);
    const outcome = await this.service.requestReview(text, channelUserId, { type: 'customer', id: channelUserId, channel: context.activity.channelId });
    switch (outcome.outcome) {
      case 'reopened':
        await context.sendActivity(m.reviewReopened(outcome.number, formatDateTime(outcome.feedbackDueAt, locale, this.settings.timeZone)));
        return;
      case 'window_passed':
        await context.sendActivity(m.reviewWindowPassed(outcome.number, outcome.windowDays));
        return;
      case 'still_open':
        await context.sendActivity(m.reviewStillOpen(outcome.number));
        return;
      default:
        await context.sendActivity(m.reviewNotFound);
    }
  }
}
