// Bot activities as WeChat customer-service text messages. WeChat text has no buttons, so each
// choice (suggested actions, card buttons) becomes a numbered line whose label is a
// weixin://bizmsgmenu link: tapping it sends the label back as the customer's message, and typing
// the number works too (the dialogs' choice prompts recognise "1", "2", …). That keeps the prompt
// and its choices in one message and works on every account type, unlike the separate `msgmenu`
// message type (refused on test accounts, 10 items at most). openUrl buttons become <a href> links.
// WeChat allows 2048 bytes of text per message: longer texts are split at line ends.
import type { Activity, Attachment, CardAction } from 'botbuilder';

/** Bytes per message, below WeChat's 2048 so a split never lands on the limit. */
export const MAX_MESSAGE_BYTES = 2000;

const HERO_LIKE = new Set(['application/vnd.microsoft.card.hero', 'application/vnd.microsoft.card.thumbnail']);
const LINK_UNSAFE = /[<>"&\n\r]/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function isHttpUrl(v: string): boolean {
  return /^https?:\/\/[^\s"<>]+$/i.test(v);
}

/** The line for one button, or nothing for a button without a usable label. */
function buttonLine(action: Partial<CardAction>, index: number): string | undefined {
  const label = str(action.title) ?? str(action.displayText) ?? str(action.text) ?? (typeof action.value === 'string' ? str(action.value) : undefined);
  if (!label) return undefined;
  if (action.type === 'openUrl' && typeof action.value === 'string' && isHttpUrl(action.value)) {
    return `${index}. <a href="${action.value}">${label.replace(/[<>]/g, '')}</a>`;
  }
  const sent = (typeof action.value === 'string' ? str(action.value) : undefined) ?? label;
  if (LINK_UNSAFE.test(label) || LINK_UNSAFE.test(sent)) return `${index}. ${label}`;
  return `${index}. <a href="weixin://bizmsgmenu?msgmenucontent=${sent}&msgmenuid=${index}">${label}</a>`;
}

/** One activity as the text of one or more WeChat messages (empty for activities with nothing to show). */
export function renderWechatTexts(activity: Partial<Activity>): string[] {
  const lines: string[] = [];
  const buttons: Partial<CardAction>[] = [];
  const text = str(activity.text);
  if (text) lines.push(text);
  for (const attachment of (activity.attachments ?? []) as Partial<Attachment>[]) {
    if (!attachment || typeof attachment !== 'object') continue;
    const content = (attachment.content ?? {}) as Record<string, unknown>;
    if (attachment.contentType && HERO_LIKE.has(attachment.contentType)) {
      for (const key of ['title', 'subtitle', 'text'] as const) {
        const v = str(content[key]);
        if (v) lines.push(v);
      }
      if (Array.isArray(content.buttons)) buttons.push(...(content.buttons as Partial<CardAction>[]));
    } else if (typeof attachment.contentUrl === 'string' && isHttpUrl(attachment.contentUrl)) {
      lines.push(`<a href="${attachment.contentUrl}">${(str(attachment.name) ?? attachment.contentUrl).replace(/[<>]/g, '')}</a>`);
    }
  }
  buttons.push(...((activity.suggestedActions?.actions ?? []) as Partial<CardAction>[]));
  let n = 0;
  for (const action of buttons) {
    const line = action && typeof action === 'object' ? buttonLine(action, n + 1) : undefined;
    if (line) {
      lines.push(line);
      n++;
    }
  }
  return lines.length === 0 ? [] : splitForWechat(lines.join('\n'));
}

/** Splits text into pieces of at most `maxBytes` UTF-8 bytes, at line ends where possible. */
export function splitForWechat(text: string, maxBytes = MAX_MESSAGE_BYTES): string[] {
  const pieces: string[] = [];
  let current = '';
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  const flush = () => {
    if (current !== '') pieces.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (bytes(candidate) <= maxBytes) {
      current = candidate;
      continue;
    }
    flush();
    if (bytes(line) <= maxBytes) {
      current = line;
      continue;
    }
    // One line longer than a message: cut between characters (never inside one).
    for (const char of line) {
      if (bytes(current) + bytes(char) > maxBytes) flush();
      current += char;
    }
  }
  flush();
  return pieces;
}
