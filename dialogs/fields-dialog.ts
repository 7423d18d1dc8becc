// Asks a list of intake fields in order, one prompt per turn, and ends with the updated draft (or
// { gaveUp: true } after three bad answers to one question). The intake and the corrections made
// at the summary both run through it.
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { partialComplaintDraftSchema } from '../services/complaints/complaint-draft';
import { localeOf } from './i18n/locale';
import { messagesFor } from './i18n/messages';
import { INTAKE_FIELDS, type FieldKey } from './intake-fields';
import { isGiveUp, stepValues } from './prompt-support';

export const FIELDS_DIALOG = 'FIELDS_DIALOG';

const fieldKeySchema = z.enum(Object.keys(INTAKE_FIELDS) as [FieldKey, ...FieldKey[]]);
const optionsSchema = z.object({ draft: partialComplaintDraftSchema, remaining: z.array(fieldKeySchema) });

export class FieldsDialog extends WaterfallDialog {
  constructor() {
    super(FIELDS_DIALOG, [FieldsDialog.askStep, FieldsDialog.storeStep]);
  }

  private static async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { draft, remaining } = optionsSchema.parse(step.options);
    const index = remaining.findIndex((key) => INTAKE_FIELDS[key].when?.(draft) ?? true);
    if (index < 0) return step.endDialog({ draft });
    const field = INTAKE_FIELDS[remaining[index]!];
    stepValues(step).field = field.key;
    stepValues(step).draft = draft;
    stepValues(step).rest = remaining.slice(index + 1);
    return step.prompt(field.promptId, field.ask(messagesFor(localeOf(step.context)), draft));
  }

  private static async storeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (isGiveUp(step.result)) return step.endDialog({ gaveUp: true });
    const draft = partialComplaintDraftSchema.parse(stepValues(step).draft);
    INTAKE_FIELDS[fieldKeySchema.parse(stepValues(step).field)].apply(step.result, draft);
    return step.replaceDialog(FIELDS_DIALOG, { draft, remaining: stepValues(step).rest });
  }
}
