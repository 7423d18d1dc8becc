// Request budgets in Redis, shared by every bot instance: a window starts with the first request
// of a key and allows `limit` requests until it expires. INCR and PEXPIRE run in one script so a
// crash between them cannot leave a key that never expires.
import type { Redis } from '../../../services/redis';
import { redisReady } from './redis-ready';

// Every key of the call in one script (one round trip): the counts and the windows' remaining times.
const HIT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  out[2 * i - 1] = count
  out[2 * i] = redis.call('PTTL', key)
end
return out`;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Fails open while Redis is unreachable: a customer must still be able to complain when the limiter's
 * store is down (the other limits — text and activity size, the edge's per-IP limits — still hold).
 */
export async function takeFromBudget(
  redis: Redis, key: string, limit: number, windowMs: number, onUnavailable?: (err: unknown) => void,
): Promise<RateDecision> {
  const [decision] = await takeFromBudgets(redis, [{ key, limit }], windowMs, onUnavailable);
  return decision!;
}

/**
 * Takes one request from each budget in one round trip (a request counts against every budget it
 * belongs to, allowed or not); one decision per budget, in order. Fails open as takeFromBudget does.
 */
export async function takeFromBudgets(
  redis: Redis, budgets: ReadonlyArray<{ key: string; limit: number }>, windowMs: number, onUnavailable?: (err: unknown) => void,
): Promise<RateDecision[]> {
  let replies: number[];
  try {
    replies = (await (await redisReady(redis)).eval(HIT, budgets.length, ...budgets.map((b) => `directline:rate:${b.key}`), String(windowMs))) as number[];
  } catch (err) {
    onUnavailable?.(err);
    return budgets.map(() => ({ allowed: true }));
  }
  return budgets.map(({ limit }, i) => {
    const count = replies[2 * i]!;
    const ttlMs = replies[2 * i + 1]!;
    if (count <= limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : windowMs) / 1000)) };
  });
}
