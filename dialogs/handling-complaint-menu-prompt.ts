// The menu's choice prompt, which also takes a complaint about handling typed at it (我要投诉处理人员,
// 处理太慢 …): the menu has no button of its own for it, and its words would otherwise be read as
// 我要投诉 or not recognised at all. The main dialog routes such an answer to the handling dialog.
import { ChoicePrompt, ListStyle } from 'botbuilder-dialogs';
import { isHandlingComplaint } from '../services/supervision/detect-handling-complaint';
import { choiceValidator } from './prompt-support';

export function handlingAwareMenuPrompt(id: string): ChoicePrompt {
  const prompt = new ChoicePrompt(id, async (p) => {
    if (!isHandlingComplaint(p.context.activity.text)) return choiceValidator(p);
    p.recognized.succeeded = true;
    p.recognized.value = { value: 'handling', index: -1, score: 1 };
    return true;
  });
  prompt.style = ListStyle.suggestedAction;
  return prompt;
}
