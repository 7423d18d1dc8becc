// How a survey reaches the customer. services/ knows no botbuilder, SMTP or SMS details: bot/ hands
// in the chat sender (the channel router), the runtime builds the e-mail and SMS senders from config.
import { createHash, createHmac } from 'node:crypto';

export type SurveyStep = 'send' | 'remind';

export interface SurveyMessage {
  surveyId: string;
  number: string;
  /** zh-CN (default) or en-US. */
  locale: string;
  step: SurveyStep;
}

export interface LinkMessage extends SurveyMessage {
  /** PUBLIC_BASE_URL/survey/<token> */
  link: string;
}

export interface SurveySenders {
  /** Proactive message into the stored conversation with rating buttons. */
  chat?: (reference: unknown, message: SurveyMessage) => Promise<void>;
  email?: (to: string, message: LinkMessage) => Promise<void>;
  sms?: (to: string, message: LinkMessage) => Promise<void>;
}

/**
 * The channel refuses proactive messages to this customer now — WeChat's customer-service window
 * (errcode 45015: no message from the follower in the last 48 h). The survey falls back to a link
 * or a callback instead of failing.
 */
export class ChatWindowClosedError extends Error {
  override readonly name = 'ChatWindowClosedError';
  constructor(readonly code: string) {
    super(`the channel refused a proactive message (${code})`);
  }
}

/**
 * The one-time link token: derived from the survey id with a server secret, so the reminder carries
 * the same link as the first message without the token ever being stored (the row keeps its hash).
 */
export function surveyLinkToken(secret: string, surveyId: string): string {
  return createHmac('sha256', secret).update(`survey-link:${surveyId}`).digest('base64url');
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function surveyLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/survey/${token}`;
}
