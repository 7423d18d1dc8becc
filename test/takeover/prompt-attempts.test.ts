// "Failed twice at the same prompt", read from botbuilder's dialog state.
import { describe, expect, it } from 'vitest';
import type { DialogState } from 'botbuilder-dialogs';
import { isSecondFailureAtSamePrompt, promptAttempts } from '../../bot/takeover/prompt-attempts';

function stateAt(prompt: string, attemptCount?: number): DialogState {
  return {
    dialogStack: [{
      id: 'MAIN_DIALOG',
      state: { dialogs: { dialogStack: [
        { id: 'MAIN_WATERFALL', state: { stepIndex: 1 } },
        { id: 'INTAKE_DIALOG', state: { dialogs: { dialogStack: [
          { id: 'INTAKE_WATERFALL', state: { stepIndex: 1 } },
          { id: 'FIELDS_DIALOG', state: { stepIndex: 0 } },
          { id: prompt, state: { options: {}, state: attemptCount === undefined ? {} : { attemptCount } } },
        ] } } },
      ] } },
    }],
  };
}

describe('promptAttempts', () => {
  it('finds the innermost prompt and its failed attempts', () => {
    expect(promptAttempts(stateAt('PHONE_PROMPT', 1))).toEqual({ path: 'MAIN_DIALOG/INTAKE_DIALOG/PHONE_PROMPT', attempts: 1 });
    expect(promptAttempts(stateAt('PHONE_PROMPT'))).toBeNull(); // asked, not answered yet
    expect(promptAttempts({ dialogStack: [] })).toBeNull();
    expect(promptAttempts(undefined)).toBeNull();
  });

  it.each([
    ['first failure', stateAt('PHONE_PROMPT'), stateAt('PHONE_PROMPT', 1), false],
    ['second failure at the same prompt', stateAt('PHONE_PROMPT', 1), stateAt('PHONE_PROMPT', 2), true],
    ['third failure', stateAt('PHONE_PROMPT', 2), stateAt('PHONE_PROMPT', 3), false],
    ['one failure each at two prompts', stateAt('NAME_PROMPT', 1), stateAt('PHONE_PROMPT', 2), false],
    ['a turn that did not count (help)', stateAt('PHONE_PROMPT', 2), stateAt('PHONE_PROMPT', 2), false],
    ['answered', stateAt('PHONE_PROMPT', 1), stateAt('EMAIL_PROMPT'), false],
  ])('%s → %s', (_what, before, after, expected) => {
    expect(isSecondFailureAtSamePrompt(promptAttempts(before), promptAttempts(after))).toBe(expected);
  });
});
