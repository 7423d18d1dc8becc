// Switching language at a question: the prompt waiting for an answer keeps the texts it was asked with
// (botbuilder stores them in the dialog state and re-renders them on a reprompt), so "English" typed at
// a Chinese question would bring the same Chinese question back. This rewrites the waiting prompt's
// stored texts and buttons into the new language, looking each one up by the message it came from;
// the answer's meaning does not change (choices keep their order, which the steps read by index).
// A text built from data (a complaint number in it) has no fixed message and stays as it was asked.
import { Prompt, type DialogContext, type PromptOptions } from 'botbuilder-dialogs';
import type { Choice } from 'botbuilder-dialogs';
import type { Locale } from './locale';
import { messagesFor } from './messages';
import { handlingComplaintMessages } from '../handling-complaint-messages';

/** Each fixed text of `from` → the same message in `to`. */
function translations(from: Locale, to: Locale): Map<string, string> {
  const byText = new Map<string, string>();
  const seen = new Set<string>();
  const ambiguous = new Set<string>();
  const tables = [[messagesFor(from), messagesFor(to)], [handlingComplaintMessages(from), handlingComplaintMessages(to)]] as const;
  for (const [source, target] of tables) {
    for (const [key, value] of Object.entries(source)) {
      if (typeof value !== 'string') continue;
      if (seen.has(value)) ambiguous.add(value);
      seen.add(value);
      const translated = (target as Record<string, unknown>)[key];
      if (typeof translated === 'string') byText.set(value, translated);
    }
  }
  // A text two messages share cannot say which one it was: it is left as it is.
  for (const text of ambiguous) byText.delete(text);
  return byText;
}

/** Rewrites the prompt the conversation is waiting at (the innermost dialog), if any, from `from` into `to`. */
export function translateWaitingPrompt(dc: DialogContext, from: Locale, to: Locale): void {
  let inner = dc;
  for (let child = inner.child; child; child = child.child) inner = child;
  const top = inner.activeDialog;
  if (!top || !(inner.findDialog(top.id) instanceof Prompt)) return;
  const options = (top.state as { options?: PromptOptions } | undefined)?.options;
  if (!options || from === to) return;
  const known = translations(from, to);
  const translate = (text: string): string => known.get(text) ?? text;
  if (typeof options.prompt === 'string') options.prompt = translate(options.prompt);
  if (typeof options.retryPrompt === 'string') options.retryPrompt = translate(options.retryPrompt);
  if (Array.isArray(options.choices)) {
    options.choices = (options.choices as (string | Choice)[]).map((choice) => {
      if (typeof choice === 'string') return translate(choice);
      const value = translate(choice.value);
      const action = choice.action && {
        ...choice.action, title: translate(choice.action.title), value: typeof choice.action.value === 'string' ? translate(choice.action.value) : choice.action.value,
      };
      return { ...choice, value, ...(action ? { action } : {}) };
    });
  }
}
