// A complaint about how a complaint is handled (R-SUPERVISION: 我要投诉处理人员 / 处理太慢 /
// "complain about the handling"): which complaint (the number typed, the customer's only one, or a
// choice among theirs; someone else's needs the last four phone digits, as the status check does),
// what is wrong, then a new complaint for the supervision department, linked to the first.
import { TextPrompt, WaterfallDialog, ListStyle, type DialogTurnResult, type FoundChoice, type WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import type { ComplaintDesk } from '../services/complaint-desk';
import { normalizeComplaintNumber } from '../services/complaints/complaint-number';
import { newReferenceId } from '../services/reference-id';
import { localeOf } from './i18n/locale';
import { formatDateTime, messagesFor, type Messages } from './i18n/messages';
import { handlingComplaintMessages } from './handling-complaint-messages';
import { InterruptibleDialog } from './interruptible-dialog';
import { choicePrompt, isGiveUp, stepValues, textValidator } from './prompt-support';
import { channelUserOf, conversationReferenceOf } from './turn-info';

export const HANDLING_DIALOG = 'HANDLING_COMPLAINT_DIALOG';
const HANDLING_WATERFALL = 'HANDLING_COMPLAINT_WATERFALL';
const WHICH_PROMPT = 'HANDLING_WHICH_PROMPT';
const NUMBER_PROMPT = 'HANDLING_NUMBER_PROMPT';
const VERIFY_PROMPT = 'HANDLING_VERIFY_PROMPT';
const REASON_PROMPT = 'HANDLING_REASON_PROMPT';

const targetSchema = z.object({ complaintId: z.string(), number: z.string(), verified: z.boolean() });
const offeredSchema = z.array(z.string());

export class HandlingComplaintDialog extends InterruptibleDialog {
  constructor(desk: ComplaintDesk, private readonly log?: { error(obj: object, msg: string): void }) {
    super(HANDLING_DIALOG, desk);
    this.addDialog(choicePrompt(WHICH_PROMPT));
    this.addDialog(new TextPrompt(NUMBER_PROMPT, textValidator((t) => normalizeComplaintNumber(extractNumber(t) || t) !== null)));
    this.addDialog(new TextPrompt(VERIFY_PROMPT, textValidator((t) => /^\d{4}$/.test(t.normalize('NFKC').trim()))));
    this.addDialog(new TextPrompt(REASON_PROMPT, textValidator((t) => t.trim().length >= 2 && t.trim().length <= 2000)));
    this.addDialog(new WaterfallDialog(HANDLING_WATERFALL, [this.whichStep.bind(this), this.targetStep.bind(this), this.reasonStep.bind(this), this.fileStep.bind(this)]));
    this.initialDialogId = HANDLING_WATERFALL;
  }

  protected helpFor(promptId: string | undefined, m: Messages): string | null {
    const h = handlingComplaintMessages(m === messagesFor('en-US') ? 'en-US' : 'zh-CN');
    const help: Record<string, string> = { [WHICH_PROMPT]: h.whichRetry, [NUMBER_PROMPT]: h.numberRetry, [VERIFY_PROMPT]: h.verifyRetry, [REASON_PROMPT]: h.reasonRetry };
    return promptId ? help[promptId] ?? null : null;
  }

  private async whichStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const h = handlingComplaintMessages(localeOf(step.context));
    // A number typed with the request ("TS20261128-000042 处理太慢") needs no question.
    const given = normalizeComplaintNumber(extractNumber(step.context.activity.text));
    if (given) return step.next(given);
    const own = await this.desk.supervision.ownComplaints(channelUserOf(step.context));
    if (own.length === 1) return step.next(own[0]!.number);
    if (own.length === 0) return step.prompt(NUMBER_PROMPT, { prompt: h.numberPrompt, retryPrompt: h.numberRetry });
    stepValues(step).offered = own.map((c) => c.number);
    const choices = own.map((c) => ({ value: c.number, action: { type: 'imBack', title: c.number, value: c.number } }));
    return step.prompt(WHICH_PROMPT, { prompt: h.whichPrompt, retryPrompt: h.whichRetry, choices, style: ListStyle.suggestedAction });
  }

  private async targetStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const m = messagesFor(locale);
    const h = handlingComplaintMessages(locale);
    if (isGiveUp(step.result)) {
      await step.context.sendActivity(m.giveUp);
      return step.endDialog();
    }
    const offered = stepValues(step).offered === undefined ? null : offeredSchema.parse(stepValues(step).offered);
    const raw = offered ? offered[(step.result as FoundChoice).index]! : String(step.result);
    const number = normalizeComplaintNumber(extractNumber(raw) || raw)!;
    const target = await this.desk.supervision.findTarget(number, channelUserOf(step.context));
    if (target.outcome === 'not_found') {
      await step.context.sendActivity(h.notFound(number));
      return step.endDialog();
    }
    stepValues(step).target = { complaintId: target.complaintId, number: target.number, verified: target.outcome === 'own' };
    if (target.outcome === 'own') return step.next();
    return step.prompt(VERIFY_PROMPT, { prompt: h.verifyPrompt(target.number), retryPrompt: h.verifyRetry });
  }

  private async reasonStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const h = handlingComplaintMessages(locale);
    const target = targetSchema.parse(stepValues(step).target);
    if (!target.verified) {
      const digits = isGiveUp(step.result) ? '' : String(step.result).normalize('NFKC').trim();
      if (!digits || !(await this.desk.supervision.verifyTarget(target.complaintId, digits, channelUserOf(step.context)))) {
        await step.context.sendActivity(h.verifyFailed);
        return step.endDialog();
      }
    }
    return step.prompt(REASON_PROMPT, { prompt: h.reasonPrompt(target.number), retryPrompt: h.reasonRetry });
  }

  private async fileStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const m = messagesFor(locale);
    const h = handlingComplaintMessages(locale);
    if (isGiveUp(step.result)) {
      await step.context.sendActivity(m.giveUp);
      return step.endDialog();
    }
    const target = targetSchema.parse(stepValues(step).target);
    try {
      const filed = await this.desk.supervision.file({
        aboutComplaintId: target.complaintId, description: String(step.result), user: channelUserOf(step.context), locale,
        reference: conversationReferenceOf(step.context),
      });
      await step.context.sendActivity(h.filed({ number: filed.number, about: filed.aboutNumber, due: formatDateTime(filed.feedbackDueAt, locale, this.desk.policy.timeZone) }));
      return step.endDialog({ filedNumber: filed.number });
    } catch (err) {
      const ref = newReferenceId();
      this.log?.error({ ref, errName: (err as Error)?.name, aboutNumber: target.number }, 'handling complaint: filing failed');
      await step.context.sendActivity(h.failed(ref));
      return step.endDialog();
    }
  }
}

function extractNumber(text: string | undefined): string {
  const match = /ts\s*\d{8}\s*[-－—]?\s*\d{6}/i.exec((text ?? '').normalize('NFKC'));
  return match ? match[0] : '';
}
