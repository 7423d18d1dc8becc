// The customer has been told the number and the feedback date in the same conversation: the
// complaint moves received → acknowledged. Idempotent, so a retried turn acknowledges once.
import type { Database } from '../db/client';
import { changeComplaintStatusInTransaction } from './change-complaint-status';
import type { Actor } from './record-event';
import { AppError } from '../errors';

export async function acknowledgeComplaint({ db, complaintId, actor, now }: { db: Database; complaintId: string; actor: Actor; now: Date }): Promise<boolean> {
  try {
    // Only from `received` (expectedFrom): a complaint that has moved on is left as it is.
    await db.$transaction((tx) =>
      changeComplaintStatusInTransaction(tx, { complaintId, to: 'acknowledged', actor, now, payload: { via: actor.channel ?? null }, expectedFrom: 'received' }));
    return true;
  } catch (err) {
    if (err instanceof AppError && (err.code === 'CONFLICT' || err.code === 'NOT_FOUND')) return false;
    throw err;
  }
}
