// R-LEDGER (投诉台账): number, complainant, matter, type, tier, channel, accepted-at, current handler,
// status and deadlines — searchable by number, period, status, line, type, tier and channel.
// Complainants' names and phones come out masked; revealing them belongs to the staff console.
import { z } from 'zod';
import type { Database, Prisma } from '../db/client';
import { BUSINESS_LINES, COMPLAINT_TYPES } from '../complaints/complaint-draft';
import { COMPLAINT_STATUSES } from '../complaints/status-model';
import { maskName, maskPhone } from '../complainants/mask-personal-data';

export const ledgerFilterSchema = z.object({
  number: z.string().optional(),
  acceptedFrom: z.coerce.date().optional(),
  acceptedBefore: z.coerce.date().optional(),
  status: z.enum(COMPLAINT_STATUSES).optional(),
  businessLine: z.enum(BUSINESS_LINES).optional(),
  type: z.enum(COMPLAINT_TYPES).optional(),
  tier: z.enum(['L1', 'L2', 'L3', 'untriaged']).optional(),
  intakeChannel: z.enum(['online_chat', 'wechat', 'hotline', 'counter', 'letter', 'email']).optional(),
});
export type LedgerFilter = z.infer<typeof ledgerFilterSchema>;

export interface LedgerRow {
  number: string;
  acceptedAt: string;
  complainant: string;
  phone: string;
  businessLine: string;
  type: string;
  tier: string;
  urgent: boolean;
  intakeChannel: string;
  status: string;
  handler: string;
  department: string;
  claimedLossYuan: number | null;
  matter: string;
  feedbackDueAt: string | null;
  statutoryDueAt: string | null;
}

export async function searchLedger({ db, filter, limit = 1000, afterNumber }: { db: Database; filter: LedgerFilter; limit?: number; afterNumber?: string }): Promise<LedgerRow[]> {
  const where: Prisma.ComplaintWhereInput = {
    AND: [
      filter.number ? { number: { contains: filter.number.trim().toUpperCase() } } : {},
      filter.acceptedFrom || filter.acceptedBefore ? { acceptedAt: { gte: filter.acceptedFrom, lt: filter.acceptedBefore } } : {},
      filter.status ? { status: filter.status } : {},
      filter.businessLine ? { businessLine: filter.businessLine } : {},
      filter.type ? { type: filter.type } : {},
      filter.tier ? { tier: filter.tier === 'untriaged' ? null : filter.tier } : {},
      filter.intakeChannel ? { intakeChannel: filter.intakeChannel } : {},
      afterNumber ? { number: { gt: afterNumber } } : {},
    ],
  };
  const rows = await db.complaint.findMany({
    where,
    orderBy: { number: 'asc' },
    take: limit,
    select: {
      number: true, acceptedAt: true, businessLine: true, type: true, tier: true, urgent: true, intakeChannel: true, status: true,
      claimedLossYuan: true, description: true,
      complainant: { select: { name: true, phone: true } },
      owner: { select: { displayName: true, role: true } },
      department: { select: { name: true } },
      deadlines: { where: { kind: { in: ['feedback', 'statutory_decision'] } }, select: { kind: true, dueAt: true } },
    },
  });
  return rows.map((r) => ({
    number: r.number,
    acceptedAt: r.acceptedAt.toISOString(),
    complainant: maskName(r.complainant.name),
    phone: maskPhone(r.complainant.phone),
    businessLine: r.businessLine,
    type: r.type,
    tier: r.tier ?? 'untriaged',
    urgent: r.urgent,
    intakeChannel: r.intakeChannel,
    status: r.status,
    handler: r.owner ? `${r.owner.displayName} (${r.owner.role})` : 'intake queue',
    department: r.department?.name ?? '',
    claimedLossYuan: r.claimedLossYuan === null ? null : Number(r.claimedLossYuan),
    matter: r.description,
    feedbackDueAt: r.deadlines.find((d) => d.kind === 'feedback')?.dueAt.toISOString() ?? null,
    statutoryDueAt: r.deadlines.find((d) => d.kind === 'statutory_decision')?.dueAt.toISOString() ?? null,
  }));
}
