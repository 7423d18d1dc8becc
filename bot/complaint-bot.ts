// The bot's turn: pick the conversation's language, continue the active dialog or start the menu,
// and save conversation state once at the end of the turn.
import { ActivityHandler, type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { MAIN_DIALOG } from '../dialogs/dialog-ids';
import { detectLocale, requestedLocale, setTurnLocale, type Locale } from '../dialogs/i18n/locale';
import { messagesFor } from '../dialogs/i18n/messages';
import type { MainDialog, MainDialogOptions } from '../dialogs/main-dialog';
import type { StaffChatCommands } from './staff-chat-commands';

export class ComplaintBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly localeProperty: StatePropertyAccessor<Locale>;

  constructor(
    private readonly conversationState: BotState,
    mainDialog: MainDialog,
    private readonly staffCommands?: StaffChatCommands,
  ) {
    super();
    this.dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState'));
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
    await super.run(context);
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
    await this.conversationLocale(context);
    const dc = await this.dialogs.createContext(context);
    const switchTo = requestedLocale(context.activity.text ?? undefined);
    if (switchTo) {
      await this.localeProperty.set(context, switchTo);
      setTurnLocale(context, switchTo);
      await context.sendActivity(messagesFor(switchTo).languageSwitched);
      if (dc.activeDialog) await dc.repromptDialog();
      else await dc.beginDialog(MAIN_DIALOG, {} satisfies MainDialogOptions);
      return;
    }
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) {
      await dc.beginDialog(MAIN_DIALOG, { detectIntent: true } satisfies MainDialogOptions);
    }
  }
}
