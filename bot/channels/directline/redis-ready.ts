// The app's Redis connection refuses commands while it is (re)connecting (no offline queue, so a
// request never hangs on it). Direct Line requests wait for it a little — at most `timeoutMs` — so
// the first requests after a start or a short blip do not fail.
import type { Redis } from '../../../services/redis';

export async function redisReady(redis: Redis, timeoutMs = 3_000): Promise<Redis> {
  if (redis.status === 'ready') return redis;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
  });
  return redis;
}
