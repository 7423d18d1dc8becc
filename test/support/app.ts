// Building the real app and services against this run's test database.
import { loadConfig, type AppConfig } from '../../services/config';
import { createDatabase, type Database } from '../../services/db/client';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { createBusinessCalendar, type BusinessCalendar } from '../../services/calendar/business-calendar';
import cnHolidays from '../../services/calendar/cn-holidays.json';
import { createComplaintDesk, type ComplaintDesk } from '../../services/complaint-desk';
import { analyzeLocally, createLocalAnalyzer } from '../../services/text-analysis/local-analyzer';
import type { TextAnalysis } from '../../services/text-analysis/text-analysis';
import { testDatabaseUrl } from './database';

export const TEST_PII_HASH_KEY = 'test-pii-hash-key-0123456789abcdef0123';

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_POOL_SIZE: '5',
    LOG_LEVEL: 'silent',
    PII_HASH_KEY: TEST_PII_HASH_KEY,
    MIGRATE_ON_START: 'false',
    SEED_DEMO_DATA: 'false',
    // The reconciler reads every deadline of the shared test database: timers only where a test asks.
    SLA_MODE: 'off',
    ...env,
  });
}

export function testCalendar(): BusinessCalendar {
  return createBusinessCalendar(cnHolidays, { timeZone: DEFAULT_POLICY.timeZone, serviceHours: DEFAULT_POLICY.serviceHours });
}

/** A database client on the test database; call `$disconnect()` in afterAll. */
export function testDb(poolSize = 5): Database {
  return createDatabase({ databaseUrl: testDatabaseUrl(), poolSize });
}

export function testDesk(db: Database, clock?: () => Date): ComplaintDesk {
  return createComplaintDesk({ db, policy: DEFAULT_POLICY, calendar: testCalendar(), analyzer: createLocalAnalyzer(), piiHashKey: TEST_PII_HASH_KEY, clock });
}

/** A random mainland mobile number, so parallel test files never share a complainant. */
export function randomMobile(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** The local analysis of a calm, factual complaint: for tests that file complaints without a desk. */
export function calmAnalysis(text = '理赔申请提交一个月还没有处理，请尽快处理'): TextAnalysis {
  return analyzeLocally(text);
}
