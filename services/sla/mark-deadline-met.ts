// A deadline's step was done (a first response given, feedback sent…): record it once and take its
// timers out of Redis. Callers use this whenever they complete something a deadline measures.
import type { Queue } from 'bullmq';
import type { Database } from '../db/client';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import type { DeadlineKindName } from '../deadlines/compute-deadlines';
import { cancelDeadlineTimers } from './deadline-timers';

export interface MarkDeadlineMetOptions {
  db: Database;
  queue: Queue;
  complaintId: string;
  kind: DeadlineKindName;
  now: Date;
  actor?: Actor;
}

export interface MarkDeadlineMetResult {
  /** True only for the call that recorded it; false when it was met already or has no such deadline. */
  met: boolean;
  deadlineId: string | null;
  /** Met after its due time. */
  late: boolean;
  /** False when Redis could not be reached: the jobs stay until the reconciler removes them (they do nothing). */
  timersCancelled: boolean;
}

export async function markDeadlineMet({ db, queue, complaintId, kind, now, actor = { type: 'system', id: 'sla-clock' } }: MarkDeadlineMetOptions): Promise<MarkDeadlineMetResult> {
  const recorded = await db.$transaction(async (tx) => {
    const deadline = await tx.complaintDeadline.findUnique({ where: { complaintId_kind: { complaintId, kind } }, select: { id: true, dueAt: true, breachedAt: true } });
    if (!deadline) return null;
    const updated = await tx.complaintDeadline.updateMany({ where: { id: deadline.id, metAt: null }, data: { metAt: now } });
    const late = now.getTime() > deadline.dueAt.getTime();
    if (updated.count === 1) {
      await recordComplaintEvent(tx, {
        complaintId, type: 'deadline.met', actor, occurredAt: now,
        payload: { deadlineKind: kind, dueAt: deadline.dueAt.toISOString(), late, breached: deadline.breachedAt !== null },
      });
    }
    return { met: updated.count === 1, deadlineId: deadline.id, late: updated.count === 1 && late };
  });
  if (!recorded) return { met: false, deadlineId: null, late: false, timersCancelled: true };
  let timersCancelled = true;
  try {
    await cancelDeadlineTimers(queue, recorded.deadlineId);
  } catch {
    timersCancelled = false;
  }
  return { ...recorded, timersCancelled };
}
