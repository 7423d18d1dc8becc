// Who holds a conversation: handoff_request rows, requested (waiting for a person) → accepted (an
// agent holds it; the bot is silent) → ended (handed back to the bot). Every instance reads the same
// rows; state changes are conditional updates, so two agents accepting at once get one winner and one
// CONFLICT. With a complaint linked, every step is an event on it.
import { type Database, type Prisma } from '../db/client';
import { pooledSql } from '../db/sql';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import { toStoredReference, type ConversationReferenceLike } from '../complaints/conversation-reference';
import { conversationKeyOf, type ConversationKey } from '../transcripts/transcript-store';

export type HandoffState = 'requested' | 'accepted' | 'ended' | 'cancelled';

export interface OpenHandoff {
  id: string;
  status: 'requested' | 'accepted';
  acceptedBy: string | null;
}

export interface HandoffDetails {
  id: string;
  status: HandoffState;
  channelId: string;
  conversationId: string;
  complaintId: string | null;
  locale: string;
  reason: string;
  reference: ConversationReferenceLike;
  acceptedBy: string | null;
}

const detailsSelect = {
  id: true, status: true, channelId: true, conversationId: true, complaintId: true, locale: true, reason: true, reference: true, acceptedBy: true,
} as const;

function details(row: Prisma.HandoffRequestGetPayload<{ select: typeof detailsSelect }>): HandoffDetails {
  return { ...row, reference: row.reference as ConversationReferenceLike };
}

/** The per-turn check: the conversation's open handoff, by its unique key (one index look-up). */
export async function findOpenHandoff(db: Database, key: ConversationKey): Promise<OpenHandoff | null> {
  // Raw SQL: this runs on turns without a session (bot/turn-session.ts reads it with the state), and a
  // query through the Prisma model API costs the process about twice the CPU of the same query raw
  // (npm run bench, docs/benchmarks.md); no encrypted columns here.
  const rows = await db.$queryRaw<{ id: string; status: string; accepted_by: string | null }[]>`
    SELECT id::text AS id, status::text AS status, accepted_by::text AS accepted_by
    FROM handoff_request WHERE open_conversation_key = ${conversationKeyOf(key)}`;
  return openHandoffOf(rows[0]);
}

/** A handoff_request row as the turn sees it: open while requested or accepted, else none. */
export function openHandoffOf(row: { id: string | null; status: string | null; accepted_by: string | null } | undefined): OpenHandoff | null {
  if (!row?.id || (row.status !== 'requested' && row.status !== 'accepted')) return null;
  return { id: row.id, status: row.status, acceptedBy: row.accepted_by };
}

/** The complaint most recently filed in the conversation, if any. */
async function complaintOfConversation(tx: Prisma.TransactionClient, key: ConversationKey): Promise<string | null> {
  const ref = await tx.conversationReference.findFirst({
    where: { channelId: key.channelId, conversationId: key.conversationId },
    orderBy: { updatedAt: 'desc' },
    select: { complaintId: true },
  });
  return ref?.complaintId ?? null;
}

export interface RequestedHandoff {
  id: string;
  alreadyRequested: boolean;
  status: 'requested' | 'accepted';
}

/**
 * A customer asks for a person (or the bot gives up understanding them). One open handoff per
 * conversation: asking again returns the open one.
 */
export async function requestTakeover({
  db, reference, channelUserId, reason, locale, complaintId, now,
}: {
  db: Database;
  reference: ConversationReferenceLike;
  channelUserId: string | null;
  reason: string;
  locale?: string;
  complaintId?: string | null;
  now: Date;
}): Promise<RequestedHandoff> {
  const stored = toStoredReference(reference);
  const key = { channelId: stored.channelId, conversationId: stored.conversationId };
  const open = await findOpenHandoff(db, key);
  if (open) return { id: open.id, alreadyRequested: true, status: open.status };
  try {
    return await db.$transaction(async (tx) => {
      const linked = complaintId ?? (await complaintOfConversation(tx, key));
      const created = await tx.handoffRequest.create({
        data: {
          channelId: stored.channelId, conversationId: stored.conversationId, channelUserId, complaintId: linked, reason,
          locale: locale ?? 'zh-CN', reference: stored.reference as Prisma.InputJsonValue, openConversationKey: conversationKeyOf(key), createdAt: now,
        },
        select: { id: true },
      });
      if (linked) {
        await recordComplaintEvent(tx, {
          complaintId: linked, type: 'handoff.requested', occurredAt: now,
          actor: { type: 'customer', id: channelUserId, channel: stored.channelId }, payload: { reason, handoffRequestId: created.id },
        });
      }
      return { id: created.id, alreadyRequested: false, status: 'requested' as const };
    });
  } catch (err) {
    // Two turns of one conversation asking at once: the unique key lets one in; the other joins it.
    if ((err as { code?: unknown }).code !== 'P2002') throw err;
    const winner = await findOpenHandoff(db, key);
    if (!winner) throw err;
    return { id: winner.id, alreadyRequested: true, status: winner.status };
  }
}

/** How many customers wait ahead of this request, itself included (1 = next). */
export async function queuePosition(db: Database, handoffId: string): Promise<number> {
  const own = await db.handoffRequest.findUnique({ where: { id: handoffId }, select: { createdAt: true, status: true } });
  if (!own || own.status !== 'requested') return 0;
  return db.handoffRequest.count({ where: { status: 'requested', createdAt: { lte: own.createdAt } } });
}

export async function getHandoff(db: Database, id: string): Promise<HandoffDetails> {
  const row = await db.handoffRequest.findUnique({ where: { id }, select: detailsSelect });
  if (!row) throw new AppError('NOT_FOUND', { message: 'no such handoff' });
  return details(row);
}

/** An agent takes a waiting conversation. Exactly one of several agents accepting at once wins. */
export async function acceptHandoff({ db, id, staffId, now }: { db: Database; id: string; staffId: string; now: Date }): Promise<HandoffDetails> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.handoffRequest.updateMany({
      where: { id, status: 'requested' },
      data: { status: 'accepted', acceptedBy: staffId, acceptedAt: now },
    });
    const row = await tx.handoffRequest.findUnique({ where: { id }, select: detailsSelect });
    if (!row) throw new AppError('NOT_FOUND', { message: 'no such handoff' });
    if (claimed.count === 0) {
      throw new AppError('CONFLICT', { message: row.status === 'accepted' ? 'another agent has already taken this conversation' : `this handoff is ${row.status}` });
    }
    if (row.complaintId) {
      await recordComplaintEvent(tx, {
        complaintId: row.complaintId, type: 'handoff.accepted', occurredAt: now,
        actor: { type: 'staff', id: staffId }, payload: { handoffRequestId: id },
      });
    }
    return details(row);
  });
}

/**
 * An agent takes over a complaint's conversation from an alert: the open request is accepted, or a new
 * handoff starts held by the agent. A complaint filed without a chat conversation (hotline, letter) has
 * none to take over.
 */
export async function startTakeoverForComplaint({ db, number, staffId, now }: { db: Database; number: string; staffId: string; now: Date }): Promise<HandoffDetails & { created: boolean }> {
  const complaint = await db.complaint.findUnique({ where: { number }, select: { id: true, locale: true, conversationRef: { select: { channelId: true, conversationId: true, reference: true } } } });
  if (!complaint) throw new AppError('NOT_FOUND', { message: 'no such complaint' });
  const ref = complaint.conversationRef;
  if (!ref) throw new AppError('CONFLICT', { message: 'this complaint has no chat conversation to take over' });
  const key = { channelId: ref.channelId, conversationId: ref.conversationId };
  const open = await findOpenHandoff(db, key);
  if (open?.status === 'requested') return { ...(await acceptHandoff({ db, id: open.id, staffId, now })), created: false };
  if (open) {
    if (open.acceptedBy === staffId) return { ...(await getHandoff(db, open.id)), created: false };
    throw new AppError('CONFLICT', { message: 'another agent already holds this conversation' });
  }
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.handoffRequest.create({
        data: {
          channelId: key.channelId, conversationId: key.conversationId, channelUserId: null, complaintId: complaint.id,
          reason: 'staff takeover', locale: complaint.locale, reference: ref.reference as Prisma.InputJsonValue,
          openConversationKey: conversationKeyOf(key), status: 'accepted', acceptedBy: staffId, acceptedAt: now, createdAt: now,
        },
        select: detailsSelect,
      });
      await recordComplaintEvent(tx, {
        complaintId: complaint.id, type: 'handoff.accepted', occurredAt: now,
        actor: { type: 'staff', id: staffId }, payload: { handoffRequestId: row.id, initiatedBy: 'staff' },
      });
      return { ...details(row), created: true };
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'P2002') throw new AppError('CONFLICT', { message: 'the conversation was taken over meanwhile' });
    throw err;
  }
}

/** The handoff, if `staffId` holds it (the agent who accepted it); a CONFLICT otherwise. */
export async function heldBy(db: Database, id: string, staffId: string): Promise<HandoffDetails> {
  const handoff = await getHandoff(db, id);
  if (handoff.status !== 'accepted') throw new AppError('CONFLICT', { message: `this handoff is ${handoff.status}, not held by an agent` });
  if (handoff.acceptedBy !== staffId) throw new AppError('CONFLICT', { message: 'another agent holds this conversation' });
  return handoff;
}

/** The event that an agent replied (the text is in the transcript, not in the event). */
export async function recordAgentReplied({ db, handoff, staffId, transcriptMessageId, now }: { db: Database; handoff: HandoffDetails; staffId: string; transcriptMessageId: string | null; now: Date }): Promise<void> {
  if (!handoff.complaintId) return;
  await db.$transaction((tx) =>
    recordComplaintEvent(tx, {
      complaintId: handoff.complaintId!, type: 'handoff.message', occurredAt: now,
      actor: { type: 'staff', id: staffId }, payload: { handoffRequestId: handoff.id, transcriptMessageId },
    }),
  );
}

/**
 * The agent hands the conversation back to the bot. The holder may; a supervisor or admin may release
 * any (an agent who left). A waiting request can be closed the same way (cancelled).
 */
export async function releaseHandoff({ db, id, staffId, mayReleaseOthers, now }: { db: Database; id: string; staffId: string; mayReleaseOthers: boolean; now: Date }): Promise<HandoffDetails & { previous: 'requested' | 'accepted' }> {
  return db.$transaction(async (tx) => {
    const row = await tx.handoffRequest.findUnique({ where: { id }, select: detailsSelect });
    if (!row) throw new AppError('NOT_FOUND', { message: 'no such handoff' });
    if (row.status !== 'accepted' && row.status !== 'requested') throw new AppError('CONFLICT', { message: `this handoff is already ${row.status}` });
    if (row.status === 'accepted' && row.acceptedBy !== staffId && !mayReleaseOthers) {
      throw new AppError('CONFLICT', { message: 'another agent holds this conversation' });
    }
    const previous = row.status;
    const to = previous === 'accepted' ? 'ended' : 'cancelled';
    const changed = await tx.handoffRequest.updateMany({
      where: { id, status: previous },
      data: { status: to, endedBy: staffId, endedAt: now, openConversationKey: null },
    });
    if (changed.count === 0) throw new AppError('CONFLICT', { message: 'the handoff changed meanwhile' });
    if (row.complaintId) {
      await recordComplaintEvent(tx, {
        complaintId: row.complaintId, type: 'handoff.released', occurredAt: now,
        actor: { type: 'staff', id: staffId }, payload: { handoffRequestId: id, from: previous, to },
      });
    }
    return { ...details({ ...row, status: to }), previous };
  });
}

export interface HandoffListItem {
  id: string;
  status: 'requested' | 'accepted';
  channelId: string;
  complaintNumber: string | null;
  reason: string;
  locale: string;
  requestedAt: string;
  acceptedAt: string | null;
  acceptedBy: { id: string; displayName: string } | null;
}

/** Waiting and held conversations, oldest first (no message text: that is in the live stream). */
export async function listOpenHandoffs(db: Database): Promise<HandoffListItem[]> {
  const rows = await db.handoffRequest.findMany({
    where: { status: { in: ['requested', 'accepted'] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 500,
    select: { id: true, status: true, channelId: true, complaintId: true, reason: true, locale: true, createdAt: true, acceptedAt: true, acceptedBy: true },
  });
  const complaintIds = [...new Set(rows.map((r) => r.complaintId).filter((id): id is string => !!id))];
  const staffIds = [...new Set(rows.map((r) => r.acceptedBy).filter((id): id is string => !!id))];
  const [complaints, staff] = await Promise.all([
    db.complaint.findMany({ where: { id: { in: complaintIds } }, select: { id: true, number: true } }),
    db.staff.findMany({ where: { id: { in: staffIds } }, select: { id: true, displayName: true } }),
  ]);
  const numberOf = new Map(complaints.map((c) => [c.id, c.number]));
  const staffOf = new Map(staff.map((s) => [s.id, s]));
  return rows.map((r) => ({
    id: r.id, status: r.status as 'requested' | 'accepted', channelId: r.channelId,
    complaintNumber: r.complaintId ? numberOf.get(r.complaintId) ?? null : null,
    reason: r.reason, locale: r.locale, requestedAt: r.createdAt.toISOString(), acceptedAt: r.acceptedAt?.toISOString() ?? null,
    acceptedBy: r.acceptedBy ? staffOf.get(r.acceptedBy) ?? { id: r.acceptedBy, displayName: '' } : null,
  }));
}

/**
 * A complaint was filed in a conversation: its handoffs without a complaint (asked for during the
 * intake) are linked, and their steps so far recorded as events at the times they happened.
 */
export async function linkConversationHandoffs(db: Database, key: ConversationKey & { complaintId: string }): Promise<void> {
  // Almost every filing has none: one cheap look on the pool first, the transaction only when there are.
  const { rowCount } = await pooledSql(db).query(
    'SELECT 1 FROM handoff_request WHERE channel_id = $1 AND conversation_id = $2 AND complaint_id IS NULL LIMIT 1',
    [key.channelId, key.conversationId],
  );
  if (!rowCount) return;
  await db.$transaction(async (tx) => {
    const rows = await tx.handoffRequest.findMany({
      where: { channelId: key.channelId, conversationId: key.conversationId, complaintId: null },
      orderBy: { createdAt: 'asc' },
      select: { id: true, reason: true, channelUserId: true, createdAt: true, acceptedBy: true, acceptedAt: true, endedBy: true, endedAt: true, status: true },
    });
    for (const row of rows) {
      const linked = await tx.handoffRequest.updateMany({ where: { id: row.id, complaintId: null }, data: { complaintId: key.complaintId } });
      if (linked.count === 0) continue;
      const base = { complaintId: key.complaintId, payload: { handoffRequestId: row.id, linkedAfterFiling: true } };
      await recordComplaintEvent(tx, { ...base, type: 'handoff.requested', occurredAt: row.createdAt, actor: { type: 'customer', id: row.channelUserId, channel: key.channelId }, payload: { ...base.payload, reason: row.reason } });
      if (row.acceptedAt && row.acceptedBy) {
        await recordComplaintEvent(tx, { ...base, type: 'handoff.accepted', occurredAt: row.acceptedAt, actor: { type: 'staff', id: row.acceptedBy } });
        // The agent's replies while holding the conversation (recordAgentReplied had no complaint to record them on).
        const replies = await tx.transcriptMessage.findMany({
          where: {
            channelId: key.channelId, conversationId: key.conversationId, direction: 'outbound', actorType: 'staff', actorId: row.acceptedBy,
            occurredAt: { gte: row.acceptedAt, ...(row.endedAt ? { lte: row.endedAt } : {}) },
          },
          orderBy: { id: 'asc' },
          select: { id: true, occurredAt: true },
        });
        for (const reply of replies) {
          await recordComplaintEvent(tx, {
            ...base, type: 'handoff.message', occurredAt: reply.occurredAt, actor: { type: 'staff', id: row.acceptedBy },
            payload: { ...base.payload, transcriptMessageId: String(reply.id) },
          });
        }
      }
      if (row.endedAt && row.status === 'ended') await recordComplaintEvent(tx, { ...base, type: 'handoff.released', occurredAt: row.endedAt, actor: { type: 'staff', id: row.endedBy } });
    }
  });
}
