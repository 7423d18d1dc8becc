// What a customer reads about a person taking over, in Chinese (default) and English. (The texts of
// the dialogs live in dialogs/i18n; these belong to the takeover, which runs outside the dialogs.)
import type { Locale } from '../../dialogs/i18n/locale';

export interface TakeoverMessages {
  waiting(p: { position: number; expectedBy: string }): string;
  alreadyWaiting(p: { position: number; expectedBy: string }): string;
  notUnderstood(p: { position: number; expectedBy: string }): string;
  agentJoined: string;
  handedBack: string;
  requestClosed: string;
}

const zh: TakeoverMessages = {
  waiting: ({ position, expectedBy }) =>
    `已为您转接人工客服，您目前排在第 ${position} 位，预计 ${expectedBy} 前有客服人员接入。客服接入前，您也可以继续在这里操作。`,
  alreadyWaiting: ({ position, expectedBy }) => `您的人工服务请求已在排队中（第 ${position} 位），预计 ${expectedBy} 前有客服人员接入，请稍候。`,
  notUnderstood: ({ position, expectedBy }) =>
    `抱歉，我没能理解您的回答。已为您转接人工客服（排在第 ${position} 位，预计 ${expectedBy} 前接入）；您也可以继续回答上面的问题。`,
  agentJoined: '人工客服已接入，接下来由客服人员为您服务，请直接在这里留言。',
  handedBack: '人工服务已结束，接下来由智能助手继续为您服务。',
  requestClosed: '您的人工服务请求已结束。如仍需人工服务，请随时回复“人工客服”。',
};

const en: TakeoverMessages = {
  waiting: ({ position, expectedBy }) =>
    `I have asked for a person to join. You are number ${position} in the queue; an agent should join by ${expectedBy}. Until then you can carry on here.`,
  alreadyWaiting: ({ position, expectedBy }) => `Your request for a person is already in the queue (number ${position}); an agent should join by ${expectedBy}. Please bear with us.`,
  notUnderstood: ({ position, expectedBy }) =>
    `Sorry, I could not understand that. I have asked for a person to help (number ${position} in the queue, expected by ${expectedBy}); you can also answer the question above.`,
  agentJoined: 'A person has joined the chat and will help you from here. Please write your messages here.',
  handedBack: 'The agent has left the chat; the assistant will carry on with you.',
  requestClosed: 'Your request for a person has been closed. Say "human" at any time if you still need one.',
};

export function takeoverMessagesFor(locale: Locale): TakeoverMessages {
  return locale === 'en-US' ? en : zh;
}
