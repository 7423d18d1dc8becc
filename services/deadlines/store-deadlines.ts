// Writes a complaint's deadlines (the database is the truth the timers are built from) and records
// the new set as an event. Deadlines already met keep their row; pending ones that no longer apply
// to the complaint (a tier went down) are removed.
import type { Prisma } from '../db/client';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import { DEADLINE_KINDS, type Deadlines } from './compute-deadlines';

export async function storeDeadlines(
  tx: Prisma.TransactionClient,
  { complaintId, deadlines, actor, basis, now }: { complaintId: string; deadlines: Deadlines; actor: Actor; basis: string; now: Date },
): Promise<void> {
  const entries = DEADLINE_KINDS.flatMap((kind) => (deadlines[kind] ? [[kind, deadlines[kind]] as const] : []));
  for (const [kind, dueAt] of entries) {
    await tx.complaintDeadline.upsert({
      where: { complaintId_kind: { complaintId, kind } },
      create: { complaintId, kind, dueAt },
      update: { dueAt, warnedAt: null, breachedAt: null },
    });
  }
  await tx.complaintDeadline.deleteMany({ where: { complaintId, metAt: null, kind: { notIn: entries.map(([kind]) => kind) } } });
  await recordComplaintEvent(tx, {
    complaintId, type: 'deadlines.set', actor, occurredAt: now,
    payload: { basis, ...Object.fromEntries(entries.map(([kind, dueAt]) => [kind, dueAt.toISOString()])) },
  });
}
