// Start-up checks shared by `npm start` and `npm run worker`: an unreachable dependency becomes one
// readable StartupError (which service, which address, how to start it), never a stack trace.
import type { AppConfig } from './config';
import { describeRedisConnectionError, redactUrl } from './db/connection-errors';
import { createRedis } from './redis';
import type { Logger } from './logger';
import type { ComplaintPolicy } from './policy/policy';
import { createBusinessCalendar, type BusinessCalendar } from './calendar/business-calendar';
import cnHolidays from './calendar/cn-holidays.json';

export class StartupError extends Error {}

export async function checkRedisReachable(config: AppConfig): Promise<void> {
  const redis = createRedis(config.redisUrl);
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new StartupError(describeRedisConnectionError(err, config.redisUrl) ?? `Redis at ${redactUrl(config.redisUrl)} failed: ${String(err)}`);
  } finally {
    redis.disconnect();
  }
}

/** The business calendar in the policy's zone and service hours; a year past the data is logged. */
export function calendarForPolicy(policy: ComplaintPolicy, log: Logger): BusinessCalendar {
  return createBusinessCalendar(cnHolidays, {
    timeZone: policy.timeZone,
    serviceHours: policy.serviceHours,
    onBeyondData: (year) => log.warn({ year }, 'business calendar has no data for this year: counting weekends only'),
  });
}
