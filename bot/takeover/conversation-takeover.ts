// The takeover as the bot's turn sees it: is a person holding this conversation (then the bot stays
// silent), a customer asking for a person, and the notices that go with it — the waiting position and
// expected time in the customer's language, and the Bot Framework `handoff.initiate` event for
// channels that hand conversations to an agent hub of their own.
import { EventFactory, TurnContext } from 'botbuilder';
import type { Database } from '../../services/db/client';
import type { BusinessCalendar } from '../../services/calendar/business-calendar';
import { findOpenHandoff, queuePosition, requestTakeover, type OpenHandoff } from '../../services/takeover/handoffs';
import type { ConversationReferenceLike } from '../../services/complaints/conversation-reference';
import { commandIn } from '../../dialogs/interruptible-dialog';
import { detectMenuIntent } from '../../dialogs/menu-intent';
import type { Locale } from '../../dialogs/i18n/locale';
import { formatDateTime } from '../../dialogs/i18n/messages';
import { takeoverMessagesFor } from './takeover-messages';
import type { TranscriptRecorder } from './transcript-recorder';
import { turnSessionOf } from '../turn-session';

export type PersonRequestKind = 'asked' | 'not_understood' | 'announced';

const HANDLED_KEY = Symbol('takeover.requestHandled');

export const REASON_ASKED = 'customer asked for a person';
export const REASON_NOT_UNDERSTOOD = 'bot did not understand twice';

/** 转人工 / 人工客服 / human / talk to a person …: the words the dialogs already recognise. */
export function asksForPerson(text: string | undefined): boolean {
  return commandIn(text) === 'person' || detectMenuIntent(text) === 'person';
}

export interface ConversationTakeoverDeps {
  db: Database;
  recorder: TranscriptRecorder;
  calendar: BusinessCalendar;
  timeZone: string;
  /** Expected wait per customer in the queue (service minutes). */
  minutesPerWaitingCustomer: number;
  clock: () => Date;
}

export class ConversationTakeover {
  constructor(private readonly deps: ConversationTakeoverDeps) {}

  recordTurn(context: TurnContext): Promise<void> {
    return this.deps.recorder.recordTurn(context);
  }

  openHandoff(context: TurnContext): Promise<OpenHandoff | null> {
    const channelId = context.activity.channelId;
    const conversationId = context.activity.conversation?.id;
    if (!channelId || !conversationId) return Promise.resolve(null);
    // The turn's session read it with the state (the first check of the turn only).
    const prefetched = turnSessionOf(context)?.takeOpenHandoff();
    if (prefetched) return Promise.resolve(prefetched.value);
    return findOpenHandoff(this.deps.db, { channelId, conversationId });
  }

  /** Records the request (or finds the open one) and tells the customer where they are in the queue. */
  async requestPerson(context: TurnContext, kind: Exclude<PersonRequestKind, 'announced'>, locale: Locale): Promise<void> {
    context.turnState.set(HANDLED_KEY, true);
    const now = this.deps.clock();
    const requested = await requestTakeover({
      db: this.deps.db,
      reference: TurnContext.getConversationReference(context.activity) as unknown as ConversationReferenceLike,
      channelUserId: context.activity.from?.id ?? null,
      reason: kind === 'asked' ? REASON_ASKED : REASON_NOT_UNDERSTOOD,
      locale,
      now,
    });
    if (requested.status !== 'requested') return;
    if (requested.alreadyRequested) {
      if (kind === 'not_understood') return; // already waiting: the prompt's own re-prompt is enough
      await context.sendActivity(takeoverMessagesFor(locale).alreadyWaiting(await this.queueFigures(requested.id, locale, now)));
      return;
    }
    await this.announce(context, requested.id, kind, locale, now);
  }

  /** Whether this turn already dealt with a request for a person. */
  handledThisTurn(context: TurnContext): boolean {
    return context.turnState.get(HANDLED_KEY) === true;
  }

  /**
   * A request recorded by the dialogs during the turn (the menu's "talk to a person"): the dialog has
   * confirmed it; add the position, expected time and the handoff event.
   */
  async announceRequested(context: TurnContext, handoffId: string, locale: Locale): Promise<void> {
    await this.deps.db.handoffRequest.updateMany({ where: { id: handoffId, locale: { not: locale } }, data: { locale } });
    await this.announce(context, handoffId, 'announced', locale, this.deps.clock());
  }

  private async announce(context: TurnContext, handoffId: string, kind: PersonRequestKind, locale: Locale, now: Date): Promise<void> {
    const m = takeoverMessagesFor(locale);
    const figures = await this.queueFigures(handoffId, locale, now);
    await context.sendActivity(kind === 'not_understood' ? m.notUnderstood(figures) : m.waiting(figures));
    await context.sendActivity(EventFactory.createHandoffInitiation(context, { handoffId, reason: kind === 'not_understood' ? REASON_NOT_UNDERSTOOD : REASON_ASKED }));
    await this.deps.recorder.note(context, 'handoff.requested');
  }

  private async queueFigures(handoffId: string, locale: Locale, now: Date): Promise<{ position: number; expectedBy: string }> {
    const position = Math.max(1, await queuePosition(this.deps.db, handoffId));
    const expected = this.deps.calendar.addServiceMinutes(now, position * this.deps.minutesPerWaitingCustomer);
    return { position, expectedBy: formatDateTime(expected, locale, this.deps.timeZone) };
  }
}
