// Finds alerts that have not reached someone by every path they chose: raised just before a process
// died (no delivery row at all), a sender that died mid-send (a pending row whose lease ran out), or a
// path that failed for a reason retrying can fix (a webhook that was down). Runs with the reconcile
// job, from any number of workers at once: deliverAlert claims each path and skips the ones sent, so
// nothing is sent twice while a sender lives.
import type { Database } from '../../db/client';

export interface SweepOptions {
  db: Database;
  now: Date;
  /**
   * An alert younger than this is still being delivered by whoever raised it (which takes
   * milliseconds; the claims keep a sweep racing it from sending twice anyway). Default 15 seconds.
   */
  graceMs?: number;
  /** A failed path is retried no sooner than this after its last try. Default 1 minute. */
  retryAfterMs?: number;
  /** A path that has failed this many times is left to the people reading the log. Default 10. */
  maxAttempts?: number;
  /** Alerts per sweep. Default 500. */
  limit?: number;
}

/** The ids of open alerts whose delivery needs another go, oldest first. */
export async function findUndeliveredAlerts({ db, now, graceMs = 15_000, retryAfterMs = 60_000, maxAttempts = 10, limit = 500 }: SweepOptions): Promise<string[]> {
  const rows = await db.alert.findMany({
    where: {
      status: 'open',
      // Someone who can be reached: an active recipient with a path turned on. An alert to nobody
      // reachable would otherwise come back at every sweep, forever (the console's alert list and the
      // escalation ladder still show it); it is swept again once its recipient adds a path.
      recipientStaff: { active: true, contacts: { some: { enabled: true } } },
      createdAt: { lte: new Date(now.getTime() - graceMs) },
      OR: [
        // Nobody even started delivering it…
        { deliveries: { none: {} } },
        // …or some path is worth another try.
        {
          deliveries: {
            some: {
              permanent: false,
              attempts: { lt: maxAttempts },
              OR: [
                { status: 'failed', updatedAt: { lte: new Date(now.getTime() - retryAfterMs) } },
                { status: 'pending', claimedUntil: { lt: now } },
              ],
            },
          },
        },
      ],
    },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
