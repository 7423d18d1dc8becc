// Intake (投诉受理): consent, the details of R-DETAILS, a summary where any item can be corrected,
// then the complaint is filed and the customer gets the number and feedback date at once.
import { ListStyle, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ComplaintDesk } from '../services/complaint-desk';
import { partialComplaintDraftSchema, type PartialComplaintDraft } from '../services/complaints/complaint-draft';
import { localeOf } from './i18n/locale';
import { formatDateTime, messagesFor, type Messages } from './i18n/messages';
import { CONSENT_PROMPT, EDIT_WHICH_PROMPT, INTAKE_DIALOG, INTAKE_WATERFALL, SUMMARY_PROMPT, SUMMARY_WATERFALL } from './dialog-ids';
import { EDITABLE_FIELDS, INTAKE_FIELDS, INTAKE_SEQUENCE, fieldByPromptId } from './intake-fields';
import { FieldsDialog, FIELDS_DIALOG } from './fields-dialog';
import { InterruptibleDialog } from './interruptible-dialog';
import { choicePrompt, choicesOf, isGiveUp, keyAt, textValidator, stepValues } from './prompt-support';
import { renderSummary } from './intake-summary';
import { channelUserOf, conversationReferenceOf } from './turn-info';
import { newReferenceId } from '../services/reference-id';
import { safeErrorFields } from '../services/safe-error';

export const PRIVACY_NOTICE_VERSION = '2026-11';

const summaryOptionsSchema = z.object({ draft: partialComplaintDraftSchema, submissionId: z.string().uuid() });
const fieldsResultSchema = z.union([z.object({ gaveUp: z.literal(true) }), z.object({ draft: partialComplaintDraftSchema })]);

export interface IntakeResult {
  number: string;
}

export class IntakeDialog extends InterruptibleDialog {
  constructor(desk: ComplaintDesk, private readonly log: { error(obj: object, msg: string): void } = console) {
    super(INTAKE_DIALOG, desk);
    this.addDialog(choicePrompt(CONSENT_PROMPT));
    this.addDialog(choicePrompt(SUMMARY_PROMPT));
    this.addDialog(choicePrompt(EDIT_WHICH_PROMPT));
    for (const field of Object.values(INTAKE_FIELDS)) {
      this.addDialog(field.kind === 'choice' ? choicePrompt(field.promptId) : new TextPrompt(field.promptId, textValidator(field.accepts ?? (() => false))));
    }
    this.addDialog(new FieldsDialog());
    this.addDialog(new WaterfallDialog(INTAKE_WATERFALL, [this.consentStep.bind(this), this.afterConsentStep.bind(this), this.afterFieldsStep.bind(this)]));
    this.addDialog(
      new WaterfallDialog(SUMMARY_WATERFALL, [this.summaryStep.bind(this), this.decideStep.bind(this), this.editWhichStep.bind(this), this.afterEditStep.bind(this)]),
    );
    this.initialDialogId = INTAKE_WATERFALL;
  }

  protected helpFor(promptId: string | undefined, m: Messages): string | null {
    if (promptId === CONSENT_PROMPT) return m.consentRetry;
    if (promptId === SUMMARY_PROMPT) return m.summaryRetry;
    if (promptId === EDIT_WHICH_PROMPT) return m.editWhichRetry;
    return fieldByPromptId(promptId)?.help(m) ?? null;
  }

  private async consentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const m = messagesFor(localeOf(step.context));
    return step.prompt(CONSENT_PROMPT, { prompt: m.consentPrompt, retryPrompt: m.consentRetry, choices: consentChoices(m).choices, style: ListStyle.suggestedAction });
  }

  private async afterConsentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const m = messagesFor(localeOf(step.context));
    if (isGiveUp(step.result)) return this.giveUp(step, m);
    if (keyAt(consentChoices(m).keys, step.result) !== 'agree') {
      await step.context.sendActivity(m.consentDeclined);
      return step.endDialog();
    }
    stepValues(step).submissionId = randomUUID();
    return step.beginDialog(FIELDS_DIALOG, { draft: {}, remaining: INTAKE_SEQUENCE });
  }

  private async afterFieldsStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = fieldsResultSchema.parse(step.result);
    if ('gaveUp' in result) return this.giveUp(step, messagesFor(localeOf(step.context)));
    return step.replaceDialog(SUMMARY_WATERFALL, { draft: result.draft, submissionId: stepValues(step).submissionId });
  }

  private async summaryStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const m = messagesFor(locale);
    const { draft, submissionId } = summaryOptionsSchema.parse(step.options);
    stepValues(step).draft = draft;
    stepValues(step).submissionId = submissionId;
    await step.context.sendActivity(`${m.summaryTitle}\n${renderSummary(draft, locale)}`);
    return step.prompt(SUMMARY_PROMPT, { prompt: m.summaryPrompt, retryPrompt: m.summaryRetry, choices: summaryChoices(m).choices, style: ListStyle.suggestedAction });
  }

  private async decideStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const m = messagesFor(locale);
    if (isGiveUp(step.result)) return this.giveUp(step, m);
    const draft = partialComplaintDraftSchema.parse(stepValues(step).draft);
    switch (keyAt(summaryChoices(m).keys, step.result)) {
      case 'cancel':
        await step.context.sendActivity(m.cancelled);
        return step.endDialog();
      case 'edit': {
        const { choices } = editChoices(m);
        return step.prompt(EDIT_WHICH_PROMPT, { prompt: m.editWhichPrompt, retryPrompt: m.editWhichRetry, choices, style: ListStyle.suggestedAction });
      }
      default:
        return this.submit(step, draft, String(stepValues(step).submissionId), m);
    }
  }

  private async editWhichStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const m = messagesFor(localeOf(step.context));
    if (isGiveUp(step.result)) return this.giveUp(step, m);
    const key = keyAt(editChoices(m).keys, step.result);
    const sequence = EDITABLE_FIELDS.find((f) => f.key === key)?.sequence ?? [];
    return step.beginDialog(FIELDS_DIALOG, { draft: stepValues(step).draft, remaining: sequence });
  }

  private async afterEditStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = fieldsResultSchema.parse(step.result);
    if ('gaveUp' in result) return this.giveUp(step, messagesFor(localeOf(step.context)));
    return step.replaceDialog(SUMMARY_WATERFALL, { draft: result.draft, submissionId: stepValues(step).submissionId });
  }

  private async submit(step: WaterfallStepContext, draft: PartialComplaintDraft, submissionId: string, m: Messages): Promise<DialogTurnResult> {
    const context = step.context;
    const locale = localeOf(context);
    const user = channelUserOf(context);
    let filed;
    try {
      filed = await this.desk.fileComplaint({
        draft: draft as Parameters<ComplaintDesk['fileComplaint']>[0]['draft'],
        user, locale, reference: conversationReferenceOf(context),
        consent: { noticeVersion: PRIVACY_NOTICE_VERSION },
        submissionId,
      });
    } catch (err) {
      // Nothing is lost: the draft stays in the dialog and the customer can submit again.
      const ref = newReferenceId();
      // Not `err` itself: Prisma and driver error messages quote the data being written (description, numbers).
      this.log.error({ ref, ...safeErrorFields(err), conversationId: context.activity.conversation?.id }, 'filing the complaint failed');
      await context.sendActivity(m.submitFailed(ref));
      return step.replaceDialog(SUMMARY_WATERFALL, { draft, submissionId });
    }
    const method = m[`method_${draft.feedbackMethod ?? 'chat'}`];
    const tz = this.desk.policy.timeZone;
    // One message: the number, the feedback date and, for level 1/2 and urgent complaints, when a person will call.
    const lines = [m.accepted({ number: filed.number, due: formatDateTime(filed.feedbackDueAt, locale, tz), method })];
    if (filed.contactBy) {
      lines.push(m.urgentAck({ contactBy: formatDateTime(filed.contactBy, locale, tz), priority: filed.urgent ? 'urgent' : 'priority' }));
    }
    if (filed.safetyConcern) lines.push(m.safetyNote);
    await context.sendActivity(lines.join('\n'));
    await this.desk.acknowledge(filed.id, user);
    return step.endDialog({ number: filed.number } satisfies IntakeResult);
  }

  private async giveUp(step: WaterfallStepContext, m: Messages): Promise<DialogTurnResult> {
    await step.context.sendActivity(m.giveUp);
    return step.endDialog();
  }
}

function consentChoices(m: Messages) {
  return choicesOf([
    { key: 'agree' as const, label: m.consentAgree, synonyms: ['同意', '好', '好的', '可以', '是', '是的', '接受', 'yes', 'y', 'ok', 'agree', 'i agree', 'accept'] },
    { key: 'decline' as const, label: m.consentDecline, synonyms: ['不同意', '不', '否', '拒绝', 'no', 'n', 'disagree', 'decline'] },
  ]);
}

function summaryChoices(m: Messages) {
  return choicesOf([
    { key: 'confirm' as const, label: m.summaryConfirm, synonyms: ['确认', '提交', '确认提交', '没问题', '对', '正确', 'submit', 'confirm', 'yes', 'correct'] },
    { key: 'edit' as const, label: m.summaryEdit, synonyms: ['修改', '更正', '改', '不对', 'change', 'edit', 'correct something', 'fix'] },
    { key: 'cancel' as const, label: m.summaryCancel, synonyms: ['取消', '放弃', 'cancel', 'discard'] },
  ]);
}

function editChoices(m: Messages) {
  return choicesOf(EDITABLE_FIELDS.map((f) => ({ key: f.key, label: f.label(m) })));
}
