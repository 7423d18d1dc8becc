// The app's Redis connection refuses commands while it is (re)connecting (no offline queue, so a
// request never hangs on it). Direct Line requests wait for it a little — at most `timeoutMs` — so
// the first requests after a start or a short blip do not fail.
import type { Redis } from '../../../services/redis';

export async function redisReady(redis: Redis, timeoutMs = 3_000): Promise<Redis> {
  if (redis.status === 'ready') return redis;
  // A connection that was lost and is being re-established: fail fast and let the caller degrade (rate
  // limits fail open, wake-ups are caught, turns fall back to the PostgreSQL lock). Waiting here made
  // every request of a Redis outage 3 s slower per call — two budget checks per /api/messages turn.
  if (redis.status === 'reconnecting' || redis.status === 'end') return redis;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
    redis.once('close', done); // the attempt failed: no point waiting for the next one
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('close', done);
      resolve();
    }
  });
  return redis;
}
