// Base for dialogs that take commands at any prompt: 取消/cancel ends the dialog, 帮助/help explains
// the current prompt, 转人工/human records a request for a person — then the prompt carries on.
import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import type { ComplaintDesk } from '../services/complaint-desk';
import { localeOf } from './i18n/locale';
import { messagesFor, type Messages } from './i18n/messages';
import { channelUserOf, conversationReferenceOf } from './turn-info';

type Command = 'cancel' | 'help' | 'person';

const COMMANDS: Record<Command, string[]> = {
  cancel: ['取消', '退出', '不投诉了', '算了', 'cancel', 'quit', 'exit', 'stop'],
  help: ['帮助', '帮忙', '怎么填', '?', '？', 'help'],
  person: ['转人工', '人工', '人工客服', '人工服务', '找客服', '真人', 'human', 'agent', 'person', 'talk to a person', 'talk to a human', 'operator'],
};

export function commandIn(text: string | undefined): Command | null {
  const t = (text ?? '').normalize('NFKC').trim().toLowerCase().replace(/[。.!！]+$/, '');
  for (const [command, words] of Object.entries(COMMANDS) as [Command, string[]][]) {
    if (words.includes(t)) return command;
  }
  return null;
}

export abstract class InterruptibleDialog extends ComponentDialog {
  protected constructor(id: string, protected readonly desk: ComplaintDesk) {
    super(id);
  }

  /** The explanation of what the given prompt expects, for "help". */
  protected abstract helpFor(promptId: string | undefined, messages: Messages): string | null;

  override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const interrupted = await this.interrupt(innerDc);
    return interrupted ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | null> {
    const context = innerDc.context;
    if (context.activity.type !== 'message') return null;
    const command = commandIn(context.activity.text);
    if (!command) return null;
    const m = messagesFor(localeOf(context));
    switch (command) {
      case 'cancel':
        await context.sendActivity(m.cancelled);
        return innerDc.cancelAllDialogs(true);
      case 'help': {
        const specific = this.helpFor(innerDc.activeDialog?.id, m);
        await context.sendActivity([m.helpGeneral, specific].filter(Boolean).join('\n'));
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      }
      case 'person':
        await requestPerson(context, this.desk, 'customer asked at a prompt');
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
    }
  }
}

const PERSON_REQUESTED = Symbol('dialogs.personRequested');

/** Whether a dialog recorded a request for a person this turn (the bot then announces the queue). */
export function personRequestedThisTurn(context: TurnContext): boolean {
  return context.turnState.get(PERSON_REQUESTED) === true;
}

export async function requestPerson(context: TurnContext, desk: ComplaintDesk, reason: string): Promise<void> {
  const m = messagesFor(localeOf(context));
  context.turnState.set(PERSON_REQUESTED, true);
  const result = await desk.requestPerson({ user: channelUserOf(context), reference: conversationReferenceOf(context), reason });
  await context.sendActivity(result.alreadyRequested ? m.handoffAlready : m.handoffRecorded);
}
