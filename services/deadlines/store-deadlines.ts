// Writes a complaint's deadlines (the database is the truth the timers are built from) and records
// the new set as an event. A deadline already met keeps its row untouched (its due time is the one
// it was met against: on-time rates depend on it). A pending deadline whose due time changes gets
// the new time and its warning/breach marks cleared (its timers start over); one whose due time is
// unchanged keeps its marks, so a recompute never re-warns or re-breaches. Pending deadlines that no
// longer apply (a tier went down, or a pause still open suspends them) are removed.
import type { Prisma } from '../db/client';
import { recordComplaintEvent, type Actor, type ComplaintEventInput } from '../complaints/record-event';
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
}

export async function storeDeadlines(
  tx: Prisma.TransactionClient,
  { complaintId, deadlines, actor, basis, now, details }: StoreDeadlinesOptions,
): Promise<void> {
  const entries = deadlineEntries(deadlines);
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
  await recordComplaintEvent(tx, deadlinesSetEvent({ complaintId, deadlines, actor, basis, now, details }));
}

function deadlineEntries(deadlines: Deadlines) {
  return DEADLINE_KINDS.flatMap((kind) => (deadlines[kind] ? [[kind, deadlines[kind]] as const] : []));
}

/** The `deadlines.set` event: the new set, why, and the computation's facts (the filing writes it with its own rows). */
export function deadlinesSetEvent({ complaintId, deadlines, actor, basis, now, details }: StoreDeadlinesOptions): ComplaintEventInput {
  return {
    complaintId, type: 'deadlines.set', actor, occurredAt: now,
    payload: { basis, ...(details ?? {}), ...Object.fromEntries(deadlineEntries(deadlines).map(([kind, dueAt]) => [kind, dueAt.toISOString()])) },
  };
}
