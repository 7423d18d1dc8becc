// Proactive chat message to the staff member's own conversation (Teams, WeCom and the like). The
// Bot Framework side lives in bot/proactive-alert-sender.ts; services/ sees only this interface.
import { z } from 'zod';
import { alertChatText } from './alert-message';
import { AlertPathError, isRetryableStatus, type AlertTransport } from './transport';

export interface ChatAlertSender {
  /** Sends `text` into the conversation of `reference` (a stored ConversationReference JSON). */
  send(reference: unknown, text: string): Promise<void>;
}

/** The parts of a stored ConversationReference a proactive message needs; the rest is kept as is. */
export const chatReferenceSchema = z.looseObject({
  channelId: z.string().min(1),
  serviceUrl: z.string().regex(/^https?:\/\//i),
  conversation: z.looseObject({ id: z.string().min(1) }),
});

export type ChatReference = z.infer<typeof chatReferenceSchema>;

export function createChatTransport(sender: ChatAlertSender): AlertTransport {
  return {
    async send(contact, message) {
      const reference = chatReferenceSchema.safeParse(contact.reference);
      if (!reference.success) throw new AlertPathError('InvalidContact', { detail: 'conversation reference', retryable: false });
      try {
        await sender.send(reference.data, alertChatText(message));
        return { attempts: 1 };
      } catch (err) {
        const status = (err as { statusCode?: unknown }).statusCode;
        if (typeof status === 'number') {
          throw new AlertPathError('ChatSendError', { detail: `HTTP ${status}`, retryable: isRetryableStatus(status), cause: err });
        }
        const code = (err as { code?: unknown }).code;
        throw new AlertPathError('ChatSendError', { detail: typeof code === 'string' ? code : undefined, retryable: true, cause: err });
      }
    },
  };
}
