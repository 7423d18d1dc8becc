// Redis connections. Commands fail fast while Redis is away (no offline queue) so a request never
// hangs on it; BullMQ workers (a later issue) need their own connection with maxRetriesPerRequest: null.
import { Redis } from 'ioredis';

export type { Redis };

export function createRedis(redisUrl: string, options: { lazyConnect?: boolean } = {}): Redis {
  return new Redis(redisUrl, {
    lazyConnect: options.lazyConnect ?? true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
}
