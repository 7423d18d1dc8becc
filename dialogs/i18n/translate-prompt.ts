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

/** Every fixed text of a locale, keyed by where it lives, for a lookup by the text itself. */
function fixedTexts(locale: Locale): Map<string, string> {
  const byText = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const [table, messages] of [['m', messagesFor(locale)], ['h', handlingComplaintMessages(locale)]] as const) {
    for (const [key, value] of Object.entries(messages)) {
      if (typeof value !== 'string') continue;
      if (byText.has(value)) ambiguous.add(value);
      byText.set(value, `${table}.${key}`);
    }
  }
  // A text two messages share cannot say which one it was: it is left as it is.
  for (const text of ambiguous) byText.delete(text);
  return byText;
}

function textAt(locale: Locale, where: string): string | undefined {
  const [table, key] = where.split('.') as ['m' | 'h', string];
  const value = (table === 'm' ? messagesFor(locale) : handlingComplaintMessages(locale))[key as never] as unknown;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Rewrites the prompt the conversation is waiting at (the innermost dialog) from `from` into `to`.
 * True when there was a prompt (whatever could be translated was); false when the conversation is not
 * at a prompt.
 */
export function translateWaitingPrompt(dc: DialogContext, from: Locale, to: Locale): boolean {
  let inner = dc;
  for (let child = inner.child; child; child = child.child) inner = child;
  const top = inner.activeDialog;
  if (!top || !(inner.findDialog(top.id) instanceof Prompt)) return false;
  const options = (top.state as { options?: PromptOptions } | undefined)?.options;
  if (!options || from === to) return true;
  const known = fixedTexts(from);
  const translate = (text: string): string => {
    const where = known.get(text);
    return (where && textAt(to, where)) ?? text;
  };
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
  return true;
}
