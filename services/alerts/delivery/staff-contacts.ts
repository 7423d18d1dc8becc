// How staff members manage the ways they are told of alerts: list, set e-mail and webhook, switch a
// path off, and link their chat with the bot (Teams, WeCom…) by typing a one-time code there — the
// console cannot know the chat's ConversationReference, the bot can. Codes live in Redis (any bot
// instance may see the reply), hashed, for ten minutes, and work once.
import { createHash, randomInt } from 'node:crypto';
import type { Database } from '../../db/client';
import type { Redis } from '../../redis';
import { AppError } from '../../errors';
import type { ContactKindName } from './transport';

export interface StaffContactView {
  kind: ContactKindName;
  enabled: boolean;
  /** E-mail address, or the webhook URL; null for a chat. */
  address: string | null;
  /** For a chat: the channel it lives on (msteams, wecom…). */
  channelId: string | null;
  updatedAt: string;
}

export async function listStaffContacts(db: Database, staffId: string): Promise<StaffContactView[]> {
  const rows = await db.staffContact.findMany({ where: { staffId }, orderBy: { kind: 'asc' }, select: { kind: true, enabled: true, address: true, reference: true, updatedAt: true } });
  return rows.map((r) => ({
    kind: r.kind,
    enabled: r.enabled,
    address: r.kind === 'chat' ? null : r.address,
    channelId: r.kind === 'chat' ? (((r.reference ?? {}) as { channelId?: string }).channelId ?? null) : null,
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** Switches a path off (kept, so it can be switched on again by saving it). NOT_FOUND when never set. */
export async function disableStaffContact(db: Database, staffId: string, kind: ContactKindName): Promise<void> {
  const { count } = await db.staffContact.updateMany({ where: { staffId, kind }, data: { enabled: false } });
  if (count === 0) throw new AppError('NOT_FOUND', { message: `no ${kind} contact to switch off` });
}

export const CHAT_LINK_TTL_SECONDS = 600;
const key = (code: string) => `staff-chat-link:${createHash('sha256').update(code).digest('hex')}`;

/** A six-digit code that links the chat it is typed into to `staffId`. */
export async function createChatLinkCode(redis: Redis, staffId: string, now: Date): Promise<{ code: string; expiresAt: Date }> {
  for (let tries = 0; tries < 5; tries++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const stored = await redis.set(key(code), staffId, 'EX', CHAT_LINK_TTL_SECONDS, 'NX');
    if (stored === 'OK') return { code, expiresAt: new Date(now.getTime() + CHAT_LINK_TTL_SECONDS * 1000) };
  }
  throw new AppError('CONFLICT', { message: 'could not issue a link code now; try again' });
}

/** The staff member a code was issued to; null when unknown, used or expired. */
export async function redeemChatLinkCode(redis: Redis, code: string): Promise<string | null> {
  return redis.getdel(key(code));
}

/** "link 123456" or "绑定 123456": the code typed in chat, or null. */
export function parseChatLinkCommand(text: string): string | null {
  return /^\s*(?:link|绑定)\s*[:：]?\s*(\d{6})\s*$/i.exec(text.normalize('NFKC'))?.[1] ?? null;
}
