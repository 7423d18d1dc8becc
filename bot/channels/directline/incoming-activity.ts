// What a Direct Line client may post, checked before anything is stored: a malformed activity gets
// a 400 with reasons. The stored activity is rebuilt from the allowed fields; ids, sender, channel
// and time are the server's, so a client cannot speak as someone else or into another conversation.
import { z } from 'zod';
import type { Conversation, StoredActivity } from './activity-log';

/**
 * Our own channel id, not Web Chat's "webchat": the channel router sends proactive messages by
 * channel id, and "webchat" already names conversations that run through the Bot Framework (Azure's
 * Web Chat channel, the Emulator, `npm run chat`), whose messages must keep going there.
 */
export const DIRECTLINE_CHANNEL_ID = 'self-hosted-directline';
export const BOT_ACCOUNT = { id: 'complaint-bot', name: 'complaint-bot', role: 'bot' } as const;

export interface ActivityLimits {
  maxTextChars: number;
  maxActivityBytes: number;
}

const shortString = (max: number) => z.string().max(max);

function clientActivitySchema(limits: ActivityLimits) {
  return z
    .object({
      type: z.enum(['message', 'event', 'typing'], { message: 'type must be message, event or typing' }),
      text: z.string().max(limits.maxTextChars, `text is longer than ${limits.maxTextChars} characters`).optional().nullable(),
      textFormat: z.enum(['plain', 'markdown', 'xml']).optional().nullable(),
      locale: shortString(32).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale must look like zh-CN').optional().nullable(),
      localTimestamp: shortString(64).optional().nullable(),
      localTimezone: shortString(64).optional().nullable(),
      name: shortString(128).optional().nullable(),
      value: z.unknown().optional(),
      entities: z.array(z.object({ type: shortString(128) }).passthrough()).max(10).optional().nullable(),
      attachments: z.array(z.unknown()).max(0, 'attachments are not accepted in this chat').optional().nullable(),
      channelData: z
        .object({ clientActivityID: shortString(128).optional(), clientTimestamp: shortString(64).optional() })
        .passthrough()
        .optional()
        .nullable(),
    })
    .passthrough()
    .refine((a) => a.type !== 'message' || (a.text ?? '').trim() !== '' || a.value !== undefined, 'a message needs text or a value');
}

export type IncomingCheck = { ok: true; activity: Omit<StoredActivity, 'id'> | null } | { ok: false; status: 400 | 413; reasons: string[] };

/**
 * Checks a posted body and builds the activity to store (null for typing, which is not kept).
 */
export function checkIncomingActivity(
  body: unknown, conversation: Conversation, limits: ActivityLimits, serviceUrl: string, now: Date,
): IncomingCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body)) {
    return { ok: false, status: 400, reasons: ['body must be a JSON object (an activity), sent as application/json'] };
  }
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > limits.maxActivityBytes) return { ok: false, status: 413, reasons: [`activity is ${bytes} bytes; at most ${limits.maxActivityBytes} are accepted`] };
  const parsed = clientActivitySchema(limits).safeParse(body);
  if (!parsed.success) {
    return { ok: false, status: 400, reasons: parsed.error.issues.slice(0, 10).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)) };
  }
  const a = parsed.data;
  if (a.type === 'typing') return { ok: true, activity: null };
  const channelData = a.channelData?.clientActivityID || a.channelData?.clientTimestamp
    ? { clientActivityID: a.channelData.clientActivityID, clientTimestamp: a.channelData.clientTimestamp }
    : undefined;
  const activity: Omit<StoredActivity, 'id'> = {
    type: a.type,
    text: a.text ?? undefined,
    textFormat: a.textFormat ?? undefined,
    name: a.name ?? undefined,
    value: a.value,
    locale: a.locale ?? conversation.locale,
    localTimestamp: a.localTimestamp ?? undefined,
    localTimezone: a.localTimezone ?? undefined,
    entities: a.entities ?? undefined,
    channelData,
    ...serverFields(conversation, serviceUrl, now),
  };
  return { ok: true, activity: JSON.parse(JSON.stringify(activity)) as Omit<StoredActivity, 'id'> };
}

/** The conversationUpdate a new conversation starts with (the customer joined): the bot greets. */
export function conversationStartActivity(conversation: Conversation, serviceUrl: string, now: Date): Omit<StoredActivity, 'id'> {
  return {
    type: 'conversationUpdate',
    membersAdded: [{ id: conversation.userId, role: 'user' }],
    locale: conversation.locale,
    ...serverFields(conversation, serviceUrl, now),
  };
}

function serverFields(conversation: Conversation, serviceUrl: string, now: Date) {
  return {
    timestamp: now.toISOString(),
    channelId: DIRECTLINE_CHANNEL_ID,
    serviceUrl,
    conversation: { id: conversation.id },
    from: { id: conversation.userId, role: 'user' },
    recipient: { ...BOT_ACCOUNT },
  };
}
