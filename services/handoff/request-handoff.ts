// A customer asked for a person (转人工). The request is recorded with the conversation reference so
// the agent console can take the conversation over; if a complaint is linked, it is an event too.
import type { Database, Prisma } from '../db/client';
import { toStoredReference, type ConversationReferenceLike } from '../complaints/conversation-reference';
import { recordComplaintEvent } from '../complaints/record-event';

export async function requestHandoff({
  db, reference, channelUserId, reason, complaintId, now,
}: {
  db: Database;
  reference: ConversationReferenceLike;
  channelUserId: string | null;
  reason: string;
  complaintId?: string | null;
  now: Date;
}): Promise<{ id: string; alreadyRequested: boolean }> {
  const stored = toStoredReference(reference);
  return db.$transaction(async (tx) => {
    const open = await tx.handoffRequest.findFirst({
      where: { channelId: stored.channelId, conversationId: stored.conversationId, status: 'requested' },
      select: { id: true },
    });
    if (open) return { id: open.id, alreadyRequested: true };
    const created = await tx.handoffRequest.create({
      data: {
        channelId: stored.channelId, conversationId: stored.conversationId, channelUserId,
        complaintId: complaintId ?? null, reason, reference: stored.reference as Prisma.InputJsonValue, createdAt: now,
      },
      select: { id: true },
    });
    if (complaintId) {
      await recordComplaintEvent(tx, {
        complaintId, type: 'handoff.requested', occurredAt: now,
        actor: { type: 'customer', id: channelUserId, channel: stored.channelId }, payload: { reason, handoffRequestId: created.id },
      });
    }
    return { id: created.id, alreadyRequested: false };
  });
}
