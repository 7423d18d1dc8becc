// Readiness: can this instance reach PostgreSQL and Redis right now?
import type { Database } from './db/client';
import type { Redis } from './redis';

export interface DependencyStatus {
  ok: boolean;
  checks: { postgres: 'ok' | 'down'; redis: 'ok' | 'down' };
}

export async function checkDependencies(db: Database, redis: Redis, timeoutMs = 2_000): Promise<DependencyStatus> {
  const [postgres, redisOk] = await Promise.all([
    withTimeout(db.$queryRaw`SELECT 1`, timeoutMs),
    withTimeout(redis.ping(), timeoutMs),
  ]);
  const checks = { postgres: postgres ? 'ok' : 'down', redis: redisOk ? 'ok' : 'down' } as const;
  return { ok: postgres && redisOk, checks };
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
