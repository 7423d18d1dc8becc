// Recomputes a complaint's deadlines from what the database knows about its clock — tier, urgency,
// acceptance, the latest restart on new facts, the appraisal pauses, an approved extension — and
// stores them (store-deadlines.ts: event `deadlines.set` with the basis). Called whenever one of
// those changes: a tier change, an extension, a pause, a resume, a restart.
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Database, Prisma } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import { AppError } from '../errors';
import type { Actor } from '../complaints/record-event';
import { computeDeadlineSchedule, type DeadlineSchedule } from './compute-deadlines';
import { storeDeadlines } from './store-deadlines';

export const RECOMPUTE_REASONS = ['tier_change', 'extension', 'pause', 'resume', 'restart'] as const;
export type RecomputeReason = (typeof RECOMPUTE_REASONS)[number];

export interface RecomputeDeadlinesOptions {
  /** A client (the recompute gets its own transaction) or the caller's transaction (it joins it). */
  db: Database | Prisma.TransactionClient;
  complaintId: string;
  reason: RecomputeReason;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  now: Date;
  /** Who caused it; default the system's SLA clock. */
  actor?: Actor;
  /** Overrides the default wording of the event's `basis`. */
  basis?: string;
}

const SLA_CLOCK: Actor = { type: 'system', id: 'sla-clock' };

export async function recomputeDeadlines(options: RecomputeDeadlinesOptions): Promise<DeadlineSchedule> {
  const { db } = options;
  if (isClient(db)) return db.$transaction((tx) => recomputeIn(tx, options));
  return recomputeIn(db, options);
}

async function recomputeIn(
  tx: Prisma.TransactionClient,
  { complaintId, reason, policy, calendar, now, actor = SLA_CLOCK, basis }: RecomputeDeadlinesOptions,
): Promise<DeadlineSchedule> {
  // Serialises recomputes of one complaint (and any clock change made under the same lock).
  await lockComplaint(tx, complaintId);
  const complaint = await tx.complaint.findUnique({
    where: { id: complaintId },
    select: {
      tier: true, urgent: true, acceptedAt: true, clockRestartedAt: true, extendedDecisionDays: true,
      pauses: { select: { startedAt: true, endedAt: true }, orderBy: { startedAt: 'asc' } },
    },
  });
  if (!complaint) throw new AppError('NOT_FOUND', { message: `no complaint ${complaintId}` });
  const schedule = computeDeadlineSchedule({
    acceptedAt: complaint.acceptedAt,
    tier: complaint.tier,
    urgent: complaint.urgent,
    policy,
    calendar,
    restartedAt: complaint.clockRestartedAt,
    pauses: complaint.pauses.map((p) => ({ from: p.startedAt, to: p.endedAt })),
    extendedDecisionDays: complaint.extendedDecisionDays,
  });
  await storeDeadlines(tx, {
    complaintId, deadlines: schedule.deadlines, actor, now,
    basis: basis ?? defaultBasis(reason, complaint.tier, schedule.decisionDays),
    details: {
      reason,
      tier: complaint.tier,
      urgent: complaint.urgent,
      clockStartedAt: schedule.clockStart.toISOString(),
      restarted: complaint.clockRestartedAt !== null,
      pauses: complaint.pauses.length,
      pausedSince: schedule.pausedSince?.toISOString() ?? null,
      decisionDays: schedule.decisionDays,
      suspended: schedule.suspended,
      policyVersion: policy.version,
    },
  });
  return schedule;
}

/** Locks the complaint row until the transaction ends; NOT_FOUND if there is none. */
export async function lockComplaint(tx: Prisma.TransactionClient, complaintId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "complaint" WHERE "id" = ${complaintId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw new AppError('NOT_FOUND', { message: `no complaint ${complaintId}` });
}

function defaultBasis(reason: RecomputeReason, tier: string | null, decisionDays: number): string {
  switch (reason) {
    case 'tier_change':
      return `tier changed to ${tier ?? 'untriaged'}`;
    case 'extension':
      return `decision period extended to ${decisionDays} days`;
    case 'pause':
      return 'clock paused for an external appraisal';
    case 'resume':
      return 'clock resumed after an external appraisal';
    case 'restart':
      return 'clock restarted on new facts from the customer';
  }
}

function isClient(db: Database | Prisma.TransactionClient): db is Database {
  return typeof (db as Partial<Database>).$transaction === 'function';
}
