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
  const earlier = await tx.complaint.findFirst({
    where: {
      complainantId: q.complainantId,
      businessLine: q.businessLine,
      type: q.type as Prisma.ComplaintWhereInput['type'],
      acceptedAt: { gte: since, lte: q.now },
      ...(q.referenceNumber ? { OR: [{ referenceNumber: q.referenceNumber }, { referenceNumber: null }] } : {}),
    },
    orderBy: { acceptedAt: 'desc' },
    select: { number: true },
  });
  return earlier?.number ?? null;
}
