// The menu: file a complaint · check a complaint · how complaints are handled · talk to a person.
// A first message that already says what the customer wants skips the menu.
import { ListStyle, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import type { ComplaintDesk } from '../services/complaint-desk';
import { localeOf } from './i18n/locale';
import { messagesFor, type Messages } from './i18n/messages';
import { INTAKE_DIALOG, MAIN_DIALOG, MAIN_WATERFALL, MENU_PROMPT, STATUS_DIALOG } from './dialog-ids';
import { IntakeDialog } from './intake-dialog';
import { InterruptibleDialog, requestPerson } from './interruptible-dialog';
import { detectMenuIntent, type MenuIntent } from './menu-intent';
import { choicesOf, isGiveUp, keyAt } from './prompt-support';
import { StatusDialog } from './status-dialog';
import { HANDLING_DIALOG, HandlingComplaintDialog } from './handling-complaint-dialog';
import { handlingAwareMenuPrompt } from './handling-complaint-menu-prompt';

const optionsSchema = z.object({ detectIntent: z.boolean().default(false), greet: z.boolean().default(false) }).default({ detectIntent: false, greet: false });

export interface MainDialogOptions {
  /** Read the customer's current message for what they want before showing the menu. */
  detectIntent?: boolean;
  greet?: boolean;
}

export class MainDialog extends InterruptibleDialog {
  constructor(desk: ComplaintDesk, log?: { error(obj: object, msg: string): void }) {
    super(MAIN_DIALOG, desk);
    this.addDialog(handlingAwareMenuPrompt(MENU_PROMPT));
    this.addDialog(new IntakeDialog(desk, log));
    this.addDialog(new StatusDialog(desk));
    this.addDialog(new HandlingComplaintDialog(desk, log));
    this.addDialog(new WaterfallDialog(MAIN_WATERFALL, [this.menuStep.bind(this), this.routeStep.bind(this), this.finishStep.bind(this)]));
    this.initialDialogId = MAIN_WATERFALL;
  }

  protected helpFor(promptId: string | undefined, m: Messages): string | null {
    return promptId === MENU_PROMPT ? m.menuRetry : null;
  }

  private async menuStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const m = messagesFor(localeOf(step.context));
    const options = optionsSchema.parse(step.options ?? undefined);
    if (options.detectIntent) {
      const intent = detectMenuIntent(step.context.activity.text);
      if (intent) return step.next(intent);
    }
    if (options.greet || options.detectIntent) await step.context.sendActivity(m.welcome);
    return step.prompt(MENU_PROMPT, { prompt: m.menuPrompt, retryPrompt: m.menuRetry, choices: menuChoices(m).choices, style: ListStyle.suggestedAction });
  }

  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const m = messagesFor(localeOf(step.context));
    if (isGiveUp(step.result)) {
      await step.context.sendActivity(m.giveUp);
      return step.endDialog();
    }
    const chosen: MenuIntent | null = typeof step.result === 'string' ? (step.result as MenuIntent) : keyAt(menuChoices(m).keys, step.result);
    // A complaint about handling typed at the menu (handling-complaint-menu-prompt.ts).
    const intent = (step.result as { value?: unknown } | undefined)?.value === 'handling' ? 'handling' : chosen;
    switch (intent) {
      case 'file':
        return step.beginDialog(INTAKE_DIALOG);
      case 'status':
        return step.beginDialog(STATUS_DIALOG);
      case 'handling':
        return step.beginDialog(HANDLING_DIALOG);
      case 'info': {
        const p = this.desk.policy;
        await step.context.sendActivity(
          m.policyInfo({
            l1Days: p.l1.feedbackBusinessDays, l2Days: p.l2.feedbackBusinessDays, l3Days: p.l3.feedbackBusinessDays,
            statutoryDays: p.statutory.decisionDays, urgentMinutes: p.urgent.initialResponseMinutes,
            l1AmountYuan: p.l1.amountYuan, l3AmountYuan: p.l3.amountYuan,
          }),
        );
        return step.replaceDialog(MAIN_WATERFALL, {});
      }
      case 'person':
        await requestPerson(step.context, this.desk, 'chosen from the menu');
        return step.endDialog();
      default:
        return step.replaceDialog(MAIN_WATERFALL, {});
    }
  }

  private async finishStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result);
  }
}

function menuChoices(m: Messages) {
  return choicesOf([
    { key: 'file' as const, label: m.menuFile, synonyms: ['投诉', '我要投诉', '登记投诉', '提交投诉', 'complaint', 'complain', 'file a complaint', 'make a complaint'] },
    { key: 'status' as const, label: m.menuStatus, synonyms: ['查询', '查进度', '进度', '投诉进度', 'status', 'check', 'check status', 'progress'] },
    { key: 'info' as const, label: m.menuInfo, synonyms: ['说明', '流程', '处理流程', '投诉流程', '怎么投诉', 'how', 'process', 'how it works', 'info'] },
    { key: 'person' as const, label: m.menuPerson, synonyms: ['人工', '转人工', '客服', 'human', 'agent', 'person'] },
  ]);
}
