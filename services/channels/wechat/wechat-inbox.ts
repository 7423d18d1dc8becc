// The WeChat inbox: every message WeChat pushes is stored here before WeChat is answered, and
// processed from here. A follower's messages are processed one at a time and in order, by whichever
// bot instance holds the follower's lease (a conditional update on wechat_user, renewed while it
// works); a crashed instance's lease runs out and another instance carries on. The openid is read
// and written only here and by the WeChat adapter; callers log the wechat_user id.
import type { Database } from '../../db/client';

export interface InboundMessageInput {
  appId: string;
  openId: string;
  /** WeChat's MsgId, or "event:…" for events (they have none). */
  msgKey: string;
  msgType: string;
  event?: string | null;
  content?: string | null;
  sentAt: Date;
}

export interface PendingMessage {
  id: bigint;
  msgType: string;
  event: string | null;
  content: string | null;
  sentAt: Date;
  attempts: number;
}

/** Stores the message (once per msgKey) and returns its follower; `duplicate` for WeChat's retries. */
export async function recordInboundMessage({ db, message, now }: { db: Database; message: InboundMessageInput; now: Date }): Promise<{ wechatUserId: string; duplicate: boolean }> {
  const [user] = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO wechat_user (id, app_id, open_id, created_at, last_seen_at)
    VALUES (gen_random_uuid(), ${message.appId}, ${message.openId}, ${now}, ${now})
    ON CONFLICT (app_id, open_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at
    RETURNING id::text AS id`;
  const inserted = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO wechat_inbound_message (msg_key, wechat_user_id, msg_type, event, content, sent_at, received_at)
    VALUES (${message.msgKey}, ${user!.id}::uuid, ${message.msgType}, ${message.event ?? null}, ${message.content ?? null}, ${message.sentAt}, ${now})
    ON CONFLICT (msg_key) DO NOTHING
    RETURNING id`;
  return { wechatUserId: user!.id, duplicate: inserted.length === 0 };
}

/** Takes the follower's lease unless another holder's is still running; returns the openid when taken. */
export async function claimFollower({ db, wechatUserId, holder, leaseMs, now }: { db: Database; wechatUserId: string; holder: string; leaseMs: number; now: Date }): Promise<{ openId: string } | null> {
  const rows = await db.$queryRaw<{ open_id: string }[]>`
    UPDATE wechat_user SET locked_until = ${new Date(now.getTime() + leaseMs)}, locked_by = ${holder}
    WHERE id = ${wechatUserId}::uuid AND (locked_until IS NULL OR locked_until < ${now})
    RETURNING open_id`;
  return rows[0] ? { openId: rows[0].open_id } : null;
}

/** Extends a lease this holder still has; false when it was lost. */
export async function renewFollowerLease({ db, wechatUserId, holder, leaseMs, now }: { db: Database; wechatUserId: string; holder: string; leaseMs: number; now: Date }): Promise<boolean> {
  const { count } = await db.wechatUser.updateMany({
    where: { id: wechatUserId, lockedBy: holder },
    data: { lockedUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

/** Gives the lease back; `notBefore` keeps everyone off the follower until then (a retry's back-off). */
export async function releaseFollower({ db, wechatUserId, holder, notBefore }: { db: Database; wechatUserId: string; holder: string; notBefore?: Date }): Promise<void> {
  await db.wechatUser.updateMany({ where: { id: wechatUserId, lockedBy: holder }, data: { lockedUntil: notBefore ?? null, lockedBy: null } });
}

/** The follower's oldest message not yet processed. */
export async function nextPendingMessage({ db, wechatUserId }: { db: Database; wechatUserId: string }): Promise<PendingMessage | null> {
  return db.wechatInboundMessage.findFirst({
    where: { wechatUserId, status: 'pending' },
    orderBy: { id: 'asc' },
    select: { id: true, msgType: true, event: true, content: true, sentAt: true, attempts: true },
  });
}

export async function hasPendingMessages({ db, wechatUserId }: { db: Database; wechatUserId: string }): Promise<boolean> {
  return (await db.wechatInboundMessage.count({ where: { wechatUserId, status: 'pending' }, take: 1 })) > 0;
}

export async function countAttempt({ db, id }: { db: Database; id: bigint }): Promise<void> {
  await db.wechatInboundMessage.updateMany({ where: { id, status: 'pending' }, data: { attempts: { increment: 1 } } });
}

/** Done: the customer's text is dropped (the dialogs and the transcript have what they need); the key stays for WeChat's retries. */
export async function markMessageDone({ db, id, now }: { db: Database; id: bigint; now: Date }): Promise<void> {
  await db.wechatInboundMessage.updateMany({ where: { id, status: 'pending' }, data: { status: 'done', processedAt: now, lastError: null, content: null } });
}

/** Forgets processed messages older than `before` (WeChat retries within seconds; a week is plenty). */
export async function purgeProcessedMessages({ db, before }: { db: Database; before: Date }): Promise<number> {
  const { count } = await db.wechatInboundMessage.deleteMany({ where: { status: 'done', receivedAt: { lt: before } } });
  return count;
}

/** `error` is an error class and code, never a message that could quote the customer. */
export async function markMessageFailed({ db, id, error, final, now }: { db: Database; id: bigint; error: string; final: boolean; now: Date }): Promise<void> {
  await db.wechatInboundMessage.updateMany({
    where: { id, status: 'pending' },
    data: final ? { status: 'failed', lastError: error, processedAt: now } : { lastError: error },
  });
}

/** The account's followers with messages waiting and nobody working on them (a crashed instance, a back-off over). */
export async function followersWithWaitingMessages({ db, appId, now, limit }: { db: Database; appId: string; now: Date; limit: number }): Promise<string[]> {
  const rows = await db.wechatUser.findMany({
    where: { appId, messages: { some: { status: 'pending' } }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    select: { id: true },
    take: limit,
  });
  return rows.map((r) => r.id);
}

/** The openid behind a wechat_user id (for proactive messages); null when unknown. */
export async function openIdOfFollower({ db, wechatUserId }: { db: Database; wechatUserId: string }): Promise<string | null> {
  const row = await db.wechatUser.findUnique({ where: { id: wechatUserId }, select: { openId: true } });
  return row?.openId ?? null;
}

/** Links the follower to the complainant of their latest complaint filed through WeChat. */
export async function linkFollowerToComplainant({ db, wechatUserId }: { db: Database; wechatUserId: string }): Promise<void> {
  await db.$executeRaw`
    UPDATE wechat_user u SET complainant_id = c.complainant_id
    FROM (SELECT complainant_id FROM complaint WHERE channel_id = 'wechat' AND channel_user_id = ${wechatUserId}
          ORDER BY accepted_at DESC LIMIT 1) c
    WHERE u.id = ${wechatUserId}::uuid AND u.complainant_id IS DISTINCT FROM c.complainant_id`;
}
