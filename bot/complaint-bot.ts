// The bot's turn: pick the conversation's language, continue the active dialog or start the menu,
// and save conversation state once at the end of the turn. Every message is recorded in the
// transcript; while a person holds the conversation (takeover) the bot stays silent.
import { ActivityHandler, type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { MAIN_DIALOG } from '../dialogs/dialog-ids';
import { detectLocale, requestedLocale, setTurnLocale, type Locale } from '../dialogs/i18n/locale';
import { messagesFor } from '../dialogs/i18n/messages';
import { translateWaitingPrompt } from '../dialogs/i18n/translate-prompt';
import type { MainDialog, MainDialogOptions } from '../dialogs/main-dialog';
import type { StaffChatCommands } from './staff-chat-commands';
import { asksForPerson, type ConversationTakeover } from './takeover/conversation-takeover';
import { promptAttempts, isSecondFailureAtSamePrompt } from './takeover/prompt-attempts';
import { personRequestedThisTurn } from '../dialogs/interruptible-dialog';
import type { SurveyTurn } from './survey-turn';
import { NO_TURN_LOCK, type TurnLock } from '../services/turn-lock/turn-lock';
import type { PiiKeyring } from '../services/pii/pii-keys';
import type { ConversationKey } from '../services/transcripts/transcript-store';
import { detachTurnSession, heldTurnLockOf, TurnSession, turnSessionOf } from './turn-session';
import { turnStartQuery } from '../services/bot-state/turn-batch';
import { shareDialogsRegistration, useSharedDialogStateConfiguration } from './dialog-runtime';

/** What a turn needs to gather its reads and writes on the turn lock's connection (bot/turn-session.ts). */
export interface TurnSessionOptions {
  keyring: PiiKeyring;
  /** The conversation state's storage key (ConversationState.getStorageKey). */
  stateKeyOf: (context: TurnContext) => string | undefined;
  /** Tells live streams that the conversation has new transcript rows (after they committed). */
  onTranscriptCommitted: (conversation: ConversationKey, lastId: string) => Promise<void>;
}

export class ComplaintBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly localeProperty: StatePropertyAccessor<Locale>;
  /** Survey answers, comments and review requests (bot/survey-turn.ts), checked before the dialogs. */
  private surveys?: SurveyTurn;
  private readonly dialogStateProperty: StatePropertyAccessor<DialogState>;

  constructor(
    private readonly conversationState: BotState,
    mainDialog: MainDialog,
    private readonly staffCommands?: StaffChatCommands,
    private readonly takeover?: ConversationTakeover,
    /** Serialises the turns of one conversation across instances (services/turn-lock). */
    private readonly turnLock: TurnLock = NO_TURN_LOCK,
    private readonly sessions?: TurnSessionOptions,
  ) {
    super();
    shareDialogsRegistration();
    this.dialogStateProperty = conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogStateProperty);
    this.dialogs.add(mainDialog);
    this.localeProperty = conversationState.createProperty<Locale>('locale');

    this.onMessage(async (context, next) => {
      if (!(await this.staffCommands?.handle(context))) await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).some((member) => member.id !== context.activity.recipient?.id);
      if (joined) await this.greet(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    // The whole turn — state read, dialog, state save — under the conversation's lock: a second
    // message of the same customer on another instance waits and then sees what this turn saved.
    await this.exclusive(context, () => this.runTurn(context));
  }

  /**
   * `work` under the conversation's lock, with the turn's reads and writes gathered on the lock's
   * connection (bot/turn-session.ts): one statement before, one after.
   */
  private async exclusive(context: TurnContext, work: () => Promise<void>): Promise<void> {
    useSharedDialogStateConfiguration(context);
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) return work();
    const options = this.sessions;
    const stateKey = options && !turnSessionOf(context) ? options.stateKeyOf(context) : undefined;
    const channelId = context.activity.channelId;
    // The turn's first read goes with the lock's own round trip.
    const readWithLock = stateKey && channelId ? turnStartQuery(stateKey, { channelId, conversationId }) : undefined;
    // Already held by whoever runs this turn (the self-hosted chat's runner without Redis): run inside it.
    const within = heldTurnLockOf(context);
    await this.turnLock.runExclusive(`${channelId}/${conversationId}`, async (held) => {
      const session = held && options && stateKey
        ? await TurnSession.open(context, held, { keyring: options.keyring, stateKey, onTranscriptCommitted: options.onTranscriptCommitted })
        : null;
      try {
        try {
          await work();
        } catch (err) {
          // The customer's message (and anything sent before the failure) stays on record; the
          // state is not saved. If the database is what failed, this fails too, and is let go.
          await session?.flush({ transcriptOnly: true, commit: true }).catch(() => undefined);
          throw err;
        }
        // The turn's last statement: its writes go with the COMMIT.
        await session?.flush({ commit: true });
      } finally {
        if (session) detachTurnSession(context);
      }
    }, { ...(readWithLock ? { readWithLock } : {}), within });
  }

  private async runTurn(context: TurnContext): Promise<void> {
    const takeover = this.takeover;
    if (!takeover) {
      await super.run(context);
      await this.conversationState.saveChanges(context, false);
      return;
    }
    await takeover.recordTurn(context);
    const open = await takeover.openHandoff(context);
    // A person holds the conversation: the message is in the transcript, which the agent watches live.
    if (open?.status === 'accepted') return;
    await super.run(context);
    if (!open && context.activity.type === 'message' && !takeover.handledThisTurn(context) && personRequestedThisTurn(context)) {
      // A dialog recorded a request this turn (the menu's "talk to a person"); other turns skip this query.
      const requested = await takeover.openHandoff(context);
      if (requested?.status === 'requested') await takeover.announceRequested(context, requested.id, await this.conversationLocale(context));
    }
    await this.conversationState.saveChanges(context, false);
  }

  attachSurveys(surveys: SurveyTurn): void {
    this.surveys = surveys;
  }

  /** The conversation's language (proactive turns: notices about a takeover). */
  async localeOf(context: TurnContext): Promise<Locale> {
    return this.conversationLocale(context);
  }

  /**
   * A person handed the conversation back (proactive turn): tell the customer, then carry on where the
   * conversation was — the active dialog asks its question again — or show the menu.
   */
  async resumeAfterHandoff(context: TurnContext, notice: (locale: Locale) => string): Promise<void> {
    await this.exclusive(context, () => this.resume(context, notice));
  }

  private async resume(context: TurnContext, notice: (locale: Locale) => string): Promise<void> {
    const locale = await this.conversationLocale(context);
    await context.sendActivity(notice(locale));
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) await dc.repromptDialog();
    else await dc.beginDialog(MAIN_DIALOG, {} satisfies MainDialogOptions);
    await this.conversationState.saveChanges(context, false);
  }

  private async conversationLocale(context: TurnContext): Promise<Locale> {
    let locale = await this.localeProperty.get(context);
    if (!locale) {
      locale = detectLocale(context.activity.locale ?? undefined, context.activity.text ?? undefined);
      await this.localeProperty.set(context, locale);
    }
    setTurnLocale(context, locale);
    return locale;
  }

  private async greet(context: TurnContext): Promise<void> {
    await this.conversationLocale(context);
    const dc = await this.dialogs.createContext(context);
    if (!dc.activeDialog) await dc.beginDialog(MAIN_DIALOG, { greet: true } satisfies MainDialogOptions);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const locale = await this.conversationLocale(context);
    const dc = await this.dialogs.createContext(context);
    const switchTo = requestedLocale(context.activity.text ?? undefined);
    if (switchTo) {
      await this.localeProperty.set(context, switchTo);
      setTurnLocale(context, switchTo);
      await context.sendActivity(messagesFor(switchTo).languageSwitched);
      // The question the customer was at, again — in the new language (the prompt's stored texts rewritten).
      if (dc.activeDialog) {
        translateWaitingPrompt(dc, locale, switchTo);
        await dc.repromptDialog();
      }
      else await dc.beginDialog(MAIN_DIALOG, {} satisfies MainDialogOptions);
      return;
    }
    if (this.takeover && asksForPerson(context.activity.text ?? undefined)) {
      // At any prompt (or none): queue for a person, then the question the customer was at again.
      await this.takeover.requestPerson(context, 'asked', locale);
      if (dc.activeDialog) await dc.repromptDialog();
      return;
    }
    // A survey answer (button or words) or a review request; anything else goes on to the dialogs.
    if (await this.surveys?.handle(context, locale, dc.activeDialog !== undefined)) return;
    const before = promptAttempts(await this.dialogStateProperty.get(context));
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) {
      await dc.beginDialog(MAIN_DIALOG, { detectIntent: true } satisfies MainDialogOptions);
    }
    // The bot failed to understand twice at the same prompt: a person is asked for.
    if (this.takeover && isSecondFailureAtSamePrompt(before, promptAttempts(await this.dialogStateProperty.get(context)))) {
      await this.takeover.requestPerson(context, 'not_understood', locale);
    }
  }
}
