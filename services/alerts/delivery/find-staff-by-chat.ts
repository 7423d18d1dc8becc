// Who is writing: the staff member whose stored chat contact is this conversation and this user.
// Used to accept "ack <number>" only from the person the alert went to (a group chat's other members
// share the conversation id, not the user id).
import type { Database } from '../../db/client';

export async function findStaffByChat({
  db, channelId, conversationId, userId,
}: { db: Database; channelId: string; conversationId: string; userId: string }): Promise<string | null> {
  const contact = await db.staffContact.findFirst({
    where: {
      kind: 'chat', enabled: true, staff: { active: true },
      AND: [
        { reference: { path: ['channelId'], equals: channelId } },
        { reference: { path: ['conversation', 'id'], equals: conversationId } },
        { reference: { path: ['user', 'id'], equals: userId } },
      ],
    },
    select: { staffId: true },
  });
  return contact?.staffId ?? null;
}
