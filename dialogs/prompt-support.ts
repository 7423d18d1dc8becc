// Shared prompt behaviour: a re-prompt that explains the expected format after bad input (the
// prompt's retryPrompt), and a graceful way out after three bad answers in a row.
import { ChoicePrompt, ListStyle, type Choice, type FoundChoice, type PromptValidator, type PromptValidatorContext } from 'botbuilder-dialogs';

export const MAX_ATTEMPTS = 3;
const GIVE_UP = '\u0000give-up';

export function isGiveUp(result: unknown): boolean {
  return result === GIVE_UP || (typeof result === 'object' && result !== null && (result as FoundChoice).value === GIVE_UP);
}

/** A text prompt validator: `accepts` decides; the third failure ends the prompt with a give-up. */
export function textValidator(accepts: (text: string) => boolean): PromptValidator<string> {
  return async (prompt: PromptValidatorContext<string>) => {
    const text = prompt.recognized.succeeded ? prompt.recognized.value ?? '' : '';
    if (text.trim() !== '' && accepts(text)) return true;
    return giveUpAfterMaxAttempts(prompt, GIVE_UP);
  };
}

/** A choice prompt validator: the recognizer decides; the third failure gives up. */
export const choiceValidator: PromptValidator<FoundChoice> = async (prompt) => {
  if (prompt.recognized.succeeded) return true;
  return giveUpAfterMaxAttempts(prompt, { value: GIVE_UP, index: -1, score: 0 });
};

function giveUpAfterMaxAttempts<T>(prompt: PromptValidatorContext<T>, sentinel: T): boolean {
  if (prompt.attemptCount < MAX_ATTEMPTS) return false;
  prompt.recognized.succeeded = true;
  prompt.recognized.value = sentinel;
  return true;
}

/** Choices with their synonyms, in the order shown; the prompt's result index maps back to `keys`. */
export function choicesOf<K extends string>(entries: { key: K; label: string; synonyms?: string[] }[]): { choices: Choice[]; keys: K[] } {
  return {
    choices: entries.map((e) => ({ value: e.label, synonyms: e.synonyms, action: { type: 'imBack', title: e.label, value: e.label } })),
    keys: entries.map((e) => e.key),
  };
}

export function keyAt<K extends string>(keys: K[], result: unknown): K | null {
  const index = (result as FoundChoice | undefined)?.index;
  return typeof index === 'number' && index >= 0 ? keys[index] ?? null : null;
}

/** A waterfall's per-dialog scratch values (typed `object` by botbuilder). */
export function stepValues(step: { values: object }): Record<string, unknown> {
  return step.values as Record<string, unknown>;
}

/** A choice prompt that shows its choices as buttons and gives up after three misses. */
export function choicePrompt(id: string): ChoicePrompt {
  const prompt = new ChoicePrompt(id, choiceValidator);
  prompt.style = ListStyle.suggestedAction;
  return prompt;
}
