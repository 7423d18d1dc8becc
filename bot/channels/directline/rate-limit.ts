// Request budgets in Redis, shared by every bot instance: a window starts with the first request
// of a key and allows `limit` requests until it expires. INCR and PEXPIRE run in one script so a
// crash between them cannot leave a key that never expires.
import type { Redis } from '../../../services/redis';
import { redisReady } from './redis-ready';

const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Fails open while Redis is unreachable: a customer must still be able to complain when the limiter's
 * store is down (the other limits — text and activity size, the edge's per-IP limits — still hold).
 */
export async function takeFromBudget(
  redis: Redis, key: string, limit: number, windowMs: number, onUnavailable?: (err: unknown) => void,
): Promise<RateDecision> {
  let count: number;
  let ttlMs: number;
  try {
    [count, ttlMs] = (await (await redisReady(redis)).eval(HIT, 1, `directline:rate:${key}`, String(windowMs))) as [number, number];
  } catch (err) {
    onUnavailable?.(err);
    return { allowed: true };
  }
  if (count <= limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : windowMs) / 1000)) };
}
