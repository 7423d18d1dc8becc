// Which complaint a reply belongs to. First its In-Reply-To/References: a message id we stored (the
// complaint e-mail, a reply, or our acknowledgement, whose id carries random bits nobody outside
// the thread knows). Else a complaint number in the subject, but only from the address that filed that
// complaint: anyone can type a number, and a stranger must not add to someone else's complaint.
import type { Database } from '../db/client';
import { COMPLAINT_NUMBER_IN_TEXT } from './acknowledgement-mail';

export type ThreadMatch = { complaintId: string; number: string; matchedBy: 'thread_header' | 'subject_number' };

export async function findThreadComplaint(
  db: Database,
  { threadIds, subject, senderEmailHash }: { threadIds: string[]; subject: string; senderEmailHash: string },
): Promise<ThreadMatch | null> {
  if (threadIds.length > 0) {
    const known = await db.emailMessage.findMany({
      where: { messageId: { in: threadIds.slice(0, 50) } },
      select: { messageId: true, complaint: { select: { id: true, number: true } } },
    });
    // The nearest id wins (In-Reply-To before the References chain, latest first).
    for (const id of threadIds) {
      const hit = known.find((k) => k.messageId === id);
      if (hit) return { complaintId: hit.complaint.id, number: hit.complaint.number, matchedBy: 'thread_header' };
    }
  }
  const number = COMPLAINT_NUMBER_IN_TEXT.exec(subject)?.[0];
  if (number) {
    const complaint = await db.complaint.findUnique({ where: { number }, select: { id: true, complainant: { select: { emailHash: true } } } });
    if (complaint && complaint.complainant.emailHash === senderEmailHash) return { complaintId: complaint.id, number, matchedBy: 'subject_number' };
  }
  return null;
}
