// Checks an incoming activity's shape before the adapter sees it: a malformed or hostile body gets
// a 400 with reasons, never a 500, and never reaches a dialog.
import { z } from 'zod';

const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const account = z.object({ id: z.string().min(1).max(256), name: z.string().max(256).optional().nullable() }).passthrough();

const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(256).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: httpUrl,
    conversation: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    from: account,
    recipient: account.partial({ id: true }).optional(),
    text: z.string().max(10_000).optional().nullable(),
    locale: z.string().max(32).optional().nullable(),
    membersAdded: z.array(account).max(100).optional(),
    membersRemoved: z.array(account).max(100).optional(),
    attachments: z.array(z.object({ contentType: z.string().max(256) }).passthrough()).max(20).optional(),
  })
  .passthrough();

export type ActivityCheck = { ok: true } | { ok: false; reasons: string[] };

export function checkIncomingActivity(body: unknown): ActivityCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reasons: ['body must be a JSON object (an activity)'] };
  }
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return { ok: true };
  return { ok: false, reasons: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'activity'}: ${i.message}`) };
}
