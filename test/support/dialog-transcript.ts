// Drives a dialog through DialogTestClient as a transcript: what the user says, what the bot
// must reply (every expected fragment must appear in the replies to that message).
import { expect } from 'vitest';
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { DialogTestClient } from 'botbuilder-testing';
import { setTurnLocale, type Locale } from '../../dialogs/i18n/locale';

export type TranscriptStep = [userSays: string, botReplies: string | string[]];

export type TranscriptClient = Pick<DialogTestClient, 'sendActivity' | 'getNextReply'>;

export async function sendAndCollect(client: TranscriptClient, text: string): Promise<Activity[]> {
  const replies: Activity[] = [];
  let reply: Activity | undefined = await client.sendActivity(text);
  while (reply) {
    replies.push(reply);
    reply = client.getNextReply() as Activity | undefined;
  }
  return replies;
}

/** The replies' text with their buttons, the way a customer sees them. */
export function visibleText(replies: Activity[]): string {
  return replies
    .map((r) => [r.text ?? '', ...(r.suggestedActions?.actions ?? []).map((a) => `[${a.title}]`)].join('\n'))
    .join('\n');
}

export async function runTranscript(client: TranscriptClient, steps: TranscriptStep[]): Promise<string> {
  let last = '';
  for (const [says, expected] of steps) {
    last = visibleText(await sendAndCollect(client, says));
    for (const fragment of [expected].flat()) {
      expect(last, `after the user said "${says}"`).toContain(fragment);
    }
  }
  return last;
}

/** Sets the turn's language the way ComplaintBot does, for dialogs tested on their own. */
export function localeMiddleware(locale: Locale): Middleware {
  return {
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      setTurnLocale(context, locale);
      await next();
    },
  };
}
