// When a satisfaction survey goes out and by which path (R-SURVEY). Pure: the clock, the policy and
// what is known about the complaint are arguments.
//
// Times count from the feedback: the survey after survey.delayHours, one reminder at
// survey.reminderAfterHours, no response at survey.noResponseAfterDays. `timeScale` (SURVEY_TIME_SCALE,
// 1 in production) shrinks every window alike, so a demo or a test sees the whole cycle in seconds.
import type { ComplaintPolicy } from '../policy/policy';

export type SurveyMethodName = 'chat' | 'sms' | 'email' | 'callback';

export interface SurveyTimes {
  sendAt: Date;
  remindAt: Date;
  expiresAt: Date;
}

const HOUR = 3_600_000;

export function planSurveyTimes({ feedbackAt, policy, timeScale = 1 }: { feedbackAt: Date; policy: Pick<ComplaintPolicy, 'survey'>; timeScale?: number }): SurveyTimes {
  if (!(timeScale > 0)) throw new Error('timeScale must be positive');
  const at = (hours: number) => new Date(feedbackAt.getTime() + Math.round(hours * HOUR * timeScale));
  const { delayHours, reminderAfterHours, noResponseAfterDays } = policy.survey;
  return { sendAt: at(delayHours), remindAt: at(reminderAfterHours), expiresAt: at(Math.max(noResponseAfterDays * 24, reminderAfterHours)) };
}

export interface MethodFacts {
  /** The complaint has a stored conversation reference (a chat to write into). */
  hasConversation: boolean;
  /** How the feedback was given (chat, phone, sms, email, letter). */
  feedbackMethod: string;
  /** How the complaint came in (online_chat, wechat, hotline, …). */
  intakeChannel: string;
  hasEmail: boolean;
  hasPhone: boolean;
  /** An SMS gateway is configured. */
  smsAvailable: boolean;
}

/**
 * The customer's own channel first: the chat, when there is one and the case lived there (feedback
 * by chat, or filed in chat/WeChat); else a link by e-mail, else by SMS; else an agent calls back
 * and records the result.
 */
export function chooseSurveyMethod(f: MethodFacts): SurveyMethodName {
  const chatCase = f.feedbackMethod === 'chat' || f.intakeChannel === 'online_chat' || f.intakeChannel === 'wechat';
  if (f.hasConversation && chatCase) return 'chat';
  return fallbackMethod(f);
}

/** When the chat cannot be used (or a WeChat message is refused): a link, else a callback. */
export function fallbackMethod(f: Pick<MethodFacts, 'hasEmail' | 'hasPhone' | 'smsAvailable'>): SurveyMethodName {
  if (f.hasEmail) return 'email';
  if (f.hasPhone && f.smsAvailable) return 'sms';
  return 'callback';
}

/** Within review.windowDays of the answer (the feedback) the customer may ask for a review. */
export function reviewWindowOpen({ feedbackAt, now, policy }: { feedbackAt: Date; now: Date; policy: Pick<ComplaintPolicy, 'review'> }): boolean {
  return now.getTime() <= feedbackAt.getTime() + policy.review.windowDays * 24 * HOUR;
}
