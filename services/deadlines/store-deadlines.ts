// Writes a complaint's deadlines (the database is the truth the timers are built from) and records
// the new set as an event. A deadline already met keeps its row untouched (its due time is the one
// it was met against: on-time rates depend on it). A pending deadline whose due time changes gets
// the new time and its warning/breach marks cleared (its timers start over); one whose due time is
// unchanged keeps its marks, so a recompute never re-warns or re-breaches. Pending deadlines that no
// longer apply (a tier went down, or a pause still open suspends them) are removed.
import type { Prisma } from '../db/client';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import { DEADLINE_KINDS, type Deadlines } from './compute-deadlines';

export interface StoreDeadlinesOptions {
  complaintId: string;
  deadlines: Deadlines;
  actor: Actor;
  /** Why the deadlines are (re)set, for people: "L2 at acceptance", "tier overridden to L1", … */
  basis: string;
  now: Date;
  /** Facts of the computation for the event (clock start, pauses, suspended kinds…); no personal data. */
  details?: Record<string, unknown>;
  /** The complaint was created in this transaction: it has no deadlines yet (all written in one statement). */
  fresh?: boolean;
}

export async function storeDeadlines(
  tx: Prisma.TransactionClient,
  { complaintId, deadlines, actor, basis, now, details, fresh }: StoreDeadlinesOptions,
): Promise<void> {
  const entries = DEADLINE_KINDS.flatMap((kind) => (deadlines[kind] ? [[kind, deadlines[kind]] as const] : []));
  const event = {
    complaintId, type: 'deadlines.set', actor, occurredAt: now,
    payload: { basis, ...(details ?? {}), ...Object.fromEntries(entries.map(([kind, dueAt]) => [kind, dueAt.toISOString()])) },
  };
  if (fresh) {
    await tx.complaintDeadline.createMany({ data: entries.map(([kind, dueAt]) => ({ complaintId, kind, dueAt })) });
    await recordComplaintEvent(tx, event);
    return;
  }
  const existing = new Map(
    (await tx.complaintDeadline.findMany({ where: { complaintId }, select: { kind: true, dueAt: true, metAt: true } })).map((row) => [row.kind, row]),
  );
  for (const [kind, dueAt] of entries) {
    const row = existing.get(kind);
    if (!row) {
      await tx.complaintDeadline.create({ data: { complaintId, kind, dueAt } });
    } else if (!row.metAt && row.dueAt.getTime() !== dueAt.getTime()) {
      // metAt: null again in the write: a step met since the read above keeps its row as it is.
      await tx.complaintDeadline.updateMany({ where: { complaintId, kind, metAt: null }, data: { dueAt, warnedAt: null, breachedAt: null } });
    }
  }
  await tx.complaintDeadline.deleteMany({ where: { complaintId, metAt: null, kind: { notIn: entries.map(([kind]) => kind) } } });
  await recordComplaintEvent(tx, event);
}
