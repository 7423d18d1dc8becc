// Finds alerts that should have reached someone by now and have not: raised just before a process
// died (no delivery row at all), a sender that died mid-send (a pending row whose lease ran out), or a
// path that failed for a reason retrying can fix (a webhook that was down). Runs with the reconcile
// job, from any number of workers at once: deliverAlert claims each path, so nothing is sent twice.
import type { Database } from '../../db/client';

export interface SweepOptions {
  db: Database;
  now: Date;
  /** An alert younger than this is still being delivered by whoever raised it. Default 1 minute. */
  graceMs?: number;
  /** A failed path is retried no sooner than this after its last try. Default 1 minute. */
  retryAfterMs?: number;
  /** A path that has failed this many times is left to the people reading the log. Default 10. */
  maxAttempts?: number;
  /** Alerts per sweep. Default 500. */
  limit?: number;
}

/** The ids of open alerts whose delivery needs another go, oldest first. */
export async function findUndeliveredAlerts({ db, now, graceMs = 60_000, retryAfterMs = 60_000, maxAttempts = 10, limit = 500 }: SweepOptions): Promise<string[]> {
  const rows = await db.alert.findMany({
    where: {
      status: 'open',
      recipientStaffId: { not: null },
      createdAt: { lte: new Date(now.getTime() - graceMs) },
      // Delivered on no path yet…
      deliveries: {
        none: { status: 'sent' },
        // …and every path tried so far may be tried again (no rows at all also qualifies).
        every: {
          permanent: false,
          attempts: { lt: maxAttempts },
          OR: [
            { status: 'failed', updatedAt: { lte: new Date(now.getTime() - retryAfterMs) } },
            { status: 'pending', claimedUntil: { lt: now } },
          ],
        },
      },
    },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
