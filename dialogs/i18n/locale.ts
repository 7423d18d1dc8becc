// Chinese is the default; English when the channel says so (locale en-*) or the customer writes English.
import type { TurnContext } from 'botbuilder';

export type Locale = 'zh-CN' | 'en-US';
export const DEFAULT_LOCALE: Locale = 'zh-CN';
const TURN_LOCALE_KEY = Symbol('complaintBot.locale');

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const LATIN_WORD = /[A-Za-z]{2,}/;

/** The locale for a new conversation: the activity's locale, else the language of the first message. */
export function detectLocale(activityLocale: string | undefined, text: string | undefined): Locale {
  if (text && CJK.test(text)) return 'zh-CN';
  if (activityLocale?.toLowerCase().startsWith('en')) return 'en-US';
  if (text && LATIN_WORD.test(text) && !CJK.test(text)) return 'en-US';
  return DEFAULT_LOCALE;
}

/** An explicit request to switch language ("English", "中文"), or null. */
export function requestedLocale(text: string | undefined): Locale | null {
  const t = (text ?? '').trim().toLowerCase();
  if (['english', 'in english', 'en', '英文', '英语'].includes(t)) return 'en-US';
  if (['中文', '简体中文', 'chinese', 'zh', '汉语'].includes(t)) return 'zh-CN';
  return null;
}

export function setTurnLocale(context: TurnContext, locale: Locale): void {
  context.turnState.set(TURN_LOCALE_KEY, locale);
}

export function localeOf(context: TurnContext): Locale {
  return (context.turnState.get(TURN_LOCALE_KEY) as Locale | undefined) ?? DEFAULT_LOCALE;
}

/**
 * For a turn that failed before it knew the conversation's language (PostgreSQL down: the state could
 * not be read): the turn's locale if set, else the one detected from the message itself.
 */
export function localeForFailedTurn(context: TurnContext): Locale {
  return (context.turnState.get(TURN_LOCALE_KEY) as Locale | undefined) ?? detectLocale(context.activity.locale ?? undefined, context.activity.text ?? undefined);
}
