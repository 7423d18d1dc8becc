// The WeChat inbox: every message WeChat pushes is stored here before WeChat is answered, and
// processed from here. A follower's messages are processed one at a time and in order, by whichever
// bot instance holds the follower's lease (a conditional update on wechat_user, renewed while it
// works); a crashed instance's lease runs out and another instance carries on. The openid is read
// and written only here and by the WeChat adapter; callers log the wechat_user id. It is stored
// encrypted (wechat_user.open_id) and found by its keyed hash (open_id_hash).
import { createHmac } from 'node:crypto';
import type { Database } from '../../db/client';
import { clientKeyring as keyringOf } from '../../pii/encrypting-client';
import { decryptColumn, encryptColumn } from '../../pii/encrypted-columns';

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

/** Keyed hash of an openid (HMAC-SHA256 under PII_HASH_KEY): how a follower is found without storing the openid in the clear. */
export function wechatOpenIdHash(openId: string, hashKey: string): string {
  return createHmac('sha256', hashKey).update(`wechat-openid:${openId}`).digest('hex');
}

/**
 * Stores the message (once per msgKey) and returns its follower; `duplicate` for WeChat's retries.
 * A follower stored before the openid was encrypted (plaintext, no hash) is found by the openid
 * itself and rewritten — hashed and encrypted — keeping its id, so their conversation goes on.
 */
export async function recordInboundMessage({ db, message, now, hashKey }: { db: Database; message: InboundMessageInput; now: Date; hashKey: string }): Promise<{ wechatUserId: string; duplicate: boolean }> {
  const hash = wechatOpenIdHash(message.openId, hashKey);
  const sealed = encryptColumn(keyringOf(db), 'WechatUser', 'openId', message.openId);
  const [user] = await db.$queryRaw<{ id: string }[]>`
    WITH legacy AS (
      UPDATE wechat_user SET open_id = ${sealed}, open_id_hash = ${hash}, last_seen_at = ${now}
      WHERE app_id = ${message.appId} AND open_id = ${message.openId} AND open_id_hash IS NULL
      RETURNING id
    ), known AS (
      INSERT INTO wechat_user (id, app_id, open_id, open_id_hash, created_at, last_seen_at)
      SELECT gen_random_uuid(), ${message.appId}, ${sealed}, ${hash}, ${now}, ${now}
      WHERE NOT EXISTS (SELECT 1 FROM legacy)
      ON CONFLICT (app_id, open_id_hash) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at
      RETURNING id
    )
    SELECT id::text AS id FROM legacy UNION ALL SELECT id::text AS id FROM known`;
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
  return rows[0] ? { openId: decryptColumn(keyringOf(db), 'WechatUser', 'openId', rows[0].open_id) } : null;
}

/**
 * For `npm run pii:encrypt`: gives every follower stored before encryption its open_id_hash (from the
 * plaintext openid; the column's encryption follows with the other columns). Safe to re-run.
 */
export async function hashLegacyFollowers({ db, hashKey, batchSize = 500 }: { db: Database; hashKey: string; batchSize?: number }): Promise<{ hashed: number }> {
  let hashed = 0;
  for (;;) {
    const rows = await db.$queryRaw<{ id: string; open_id: string }[]>`
      SELECT id::text AS id, open_id FROM wechat_user WHERE open_id_hash IS NULL ORDER BY id LIMIT ${batchSize}`;
    if (rows.length === 0) return { hashed };
    for (const row of rows) {
      const openId = decryptColumn(keyringOf(db), 'WechatUser', 'openId', row.open_id);
      hashed += await db.$executeRaw`UPDATE wechat_user SET open_id_hash = ${wechatOpenIdHash(openId, hashKey)} WHERE id = ${row.id}::uuid AND open_id_hash IS NULL`;
    }
  }
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
