// Status check (查询投诉进度). Details only for the user who filed it on the same channel, or after
// the last four digits of the phone on file; never names of staff, only their role.
import { z } from 'zod';
import { TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { ComplaintDesk } from '../services/complaint-desk';
import type { ComplaintStatusView } from '../services/complaints/find-complaint-status';
import { normalizeComplaintNumber } from '../services/complaints/complaint-number';
import type { Locale } from './i18n/locale';
import { localeOf } from './i18n/locale';
import { formatDateTime, messagesFor, type Messages } from './i18n/messages';
import { surveyMessagesFor } from './survey-messages';
import { STATUS_DIALOG, STATUS_NUMBER_PROMPT, STATUS_VERIFY_PROMPT, STATUS_WATERFALL } from './dialog-ids';
import { InterruptibleDialog } from './interruptible-dialog';
import { MAX_ATTEMPTS, isGiveUp, textValidator } from './prompt-support';
import { channelUserOf } from './turn-info';

const VERIFY_WATERFALL = 'STATUS_VERIFY_WATERFALL';
const verifyOptionsSchema = z.object({ complaintId: z.string(), failures: z.number().int().min(0) });

export class StatusDialog extends InterruptibleDialog {
  constructor(desk: ComplaintDesk) {
    super(STATUS_DIALOG, desk);
    this.addDialog(new TextPrompt(STATUS_NUMBER_PROMPT, textValidator((t) => normalizeComplaintNumber(t) !== null)));
    this.addDialog(new TextPrompt(STATUS_VERIFY_PROMPT, textValidator((t) => /^\d{4}$/.test(t.normalize('NFKC').trim()))));
    this.addDialog(new WaterfallDialog(STATUS_WATERFALL, [this.numberStep.bind(this), this.lookupStep.bind(this)]));
    this.addDialog(new WaterfallDialog(VERIFY_WATERFALL, [this.askDigitsStep.bind(this), this.verifyStep.bind(this)]));
    this.initialDialogId = STATUS_WATERFALL;
  }

  protected helpFor(promptId: string | undefined, m: Messages): string | null {
    if (promptId === STATUS_NUMBER_PROMPT) return m.statusNumberRetry;
    if (promptId === STATUS_VERIFY_PROMPT) return m.statusVerifyRetry;
    return null;
  }

  private async numberStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const m = messagesFor(localeOf(step.context));
    // A number typed together with the request ("查询 TS20261128-000042") needs no question.
    const given = normalizeComplaintNumber(extractNumber(step.context.activity.text));
    if (given) return step.next(given);
    return step.prompt(STATUS_NUMBER_PROMPT, { prompt: m.statusNumberPrompt, retryPrompt: m.statusNumberRetry });
  }

  private async lookupStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const m = messagesFor(locale);
    if (isGiveUp(step.result)) {
      await step.context.sendActivity(m.giveUp);
      return step.endDialog();
    }
    const number = normalizeComplaintNumber(String(step.result))!;
    const lookup = await this.desk.findStatus(number, channelUserOf(step.context));
    if (lookup.outcome === 'not_found') {
      await step.context.sendActivity(m.statusNotFound(number));
      return step.endDialog();
    }
    if (lookup.outcome === 'found') {
      await step.context.sendActivity(this.render(lookup.view, locale));
      return step.endDialog();
    }
    return step.replaceDialog(VERIFY_WATERFALL, { complaintId: lookup.complaintId, failures: 0 });
  }

  private async askDigitsStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const m = messagesFor(localeOf(step.context));
    return step.prompt(STATUS_VERIFY_PROMPT, { prompt: m.statusVerifyPrompt, retryPrompt: m.statusVerifyRetry });
  }

  private async verifyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const m = messagesFor(locale);
    if (isGiveUp(step.result)) {
      await step.context.sendActivity(m.statusVerifyGiveUp);
      return step.endDialog();
    }
    const { complaintId, failures } = verifyOptionsSchema.parse(step.options);
    const view = await this.desk.verifyStatus(complaintId, String(step.result).normalize('NFKC').trim(), channelUserOf(step.context));
    if (view) {
      await step.context.sendActivity(this.render(view, locale));
      return step.endDialog();
    }
    if (failures + 1 >= MAX_ATTEMPTS) {
      await step.context.sendActivity(m.statusVerifyGiveUp);
      return step.endDialog();
    }
    await step.context.sendActivity(m.statusVerifyFailed);
    return step.replaceDialog(VERIFY_WATERFALL, { complaintId, failures: failures + 1 });
  }

  private render(view: ComplaintStatusView, locale: Locale): string {
    const m = messagesFor(locale);
    const tz = this.desk.policy.timeZone;
    const next = view.nextDeadline
      ? m.statusNext({ kind: m[`deadline_${view.nextDeadline.kind}` as keyof Messages] as string, due: formatDateTime(view.nextDeadline.dueAt, locale, tz) })
      : m.statusNoDeadline;
    const text = m.statusView({ number: view.number, status: m[`status_${view.status}`], holder: m[`holder_${view.holderRole}`], next });
    // R-SURVEY: how many times it was handled again after the customer was not satisfied.
    return view.reopenCount > 0 ? `${text}\n${surveyMessagesFor(locale).statusRounds(view.reopenCount)}` : text;
  }
}

function extractNumber(text: string | undefined): string {
  const match = /ts\s*\d{8}\s*[-－—]?\s*\d{6}/i.exec((text ?? '').normalize('NFKC'));
  return match ? match[0] : '';
}
