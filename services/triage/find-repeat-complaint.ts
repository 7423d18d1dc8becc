// A repeat complaint (重复投诉): the same complainant, about the same matter, within the policy's
// window. "Same matter" = same business line and complaint type and, when both name one, the same
// policy / contract / account number.
import type { Prisma } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';

export interface RepeatQuery {
  complainantId: string;
  businessLine: 'insurance' | 'securities';
  type: string;
  referenceNumber: string | null;
  now: Date;
}

/** The number of the earlier complaint this one repeats, or null. */
export async function findRepeatComplaint(tx: Prisma.TransactionClient, policy: ComplaintPolicy, q: RepeatQuery): Promise<string | null> {
  const since = new Date(q.now.getTime() - policy.repeat.windowDays * 86_400_000);
  // The reference number is encrypted at rest (a fresh IV per value): compared after reading, among
  // the complainant's few complaints of the window.
  const earlier = await tx.complaint.findMany({
    where: {
      complainantId: q.complainantId,
      businessLine: q.businessLine,
      type: q.type as Prisma.ComplaintWhereInput['type'],
      acceptedAt: { gte: since, lte: q.now },
    },
    orderBy: { acceptedAt: 'desc' },
    select: { number: true, referenceNumber: true },
  });
  const same = earlier.find((c) => !q.referenceNumber || c.referenceNumber === null || c.referenceNumber === q.referenceNumber);
  return same?.number ?? null;
}
