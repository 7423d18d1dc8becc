// How many times the customer has failed the prompt they are at, read from the dialog state (each
// botbuilder prompt counts its attempts in its own state; a valid answer ends the prompt). The path
// of dialog ids tells one prompt from another, so "twice at the same prompt" is exact.
import type { DialogInstance, DialogState } from 'botbuilder-dialogs';

export interface PromptAttempts {
  /** Dialog ids from the outermost to the prompt, e.g. MAIN_DIALOG/INTAKE_DIALOG/FIELDS_DIALOG/PHONE_PROMPT. */
  path: string;
  attempts: number;
}

type InstanceState = { dialogs?: DialogState; state?: { attemptCount?: unknown } } | undefined;

/** The innermost active dialog, if it is a prompt, with its failed attempts so far. */
export function promptAttempts(state: DialogState | undefined): PromptAttempts | null {
  const ids: string[] = [];
  let stack: DialogInstance[] | undefined = state?.dialogStack;
  for (;;) {
    const top = stack?.[stack.length - 1];
    if (!top) return null;
    ids.push(top.id);
    const instance = top.state as InstanceState;
    if (instance?.dialogs?.dialogStack) {
      stack = instance.dialogs.dialogStack;
      continue;
    }
    const count = instance?.state?.attemptCount;
    if (typeof count !== 'number') return null;
    return { path: ids.join('/'), attempts: count };
  }
}

/** The turn moved the same prompt from one failed attempt to two. */
export function isSecondFailureAtSamePrompt(before: PromptAttempts | null, after: PromptAttempts | null): boolean {
  return !!before && !!after && before.path === after.path && before.attempts === 1 && after.attempts === 2;
}
