// `npm run worker`: the SLA clock alone — timers, escalation ladder and reconciler — for deployments
// that run workers apart from the bot (any number side by side). JSON logs on stdout; stops on
// SIGTERM/SIGINT after running jobs finish; an unreachable PostgreSQL or Redis is one readable
// message and exit code 1.
import { Client } from 'pg';
import { ConfigError, loadConfig, loadDotEnvIfPresent, type AppConfig } from '../config';
import { createDatabase, type Database } from '../db/client';
import { describeDatabaseConnectionError } from '../db/connection-errors';
import { createLogger } from '../logger';
import { calendarForPolicy, checkRedisReachable, StartupError } from '../startup-checks';
import { loadPolicy, PolicyError } from '../policy/load-policy';
import { startSlaRuntime } from './sla-runtime';

/** Checked over plain `pg` first: its network errors are the ones connection-errors.ts explains. */
async function connectDatabase(config: AppConfig): Promise<Database> {
  const probe = new Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.query('SELECT 1');
  } catch (err) {
    const described = describeDatabaseConnectionError(err, config.databaseUrl);
    if (described) throw new StartupError(described);
    throw err;
  } finally {
    await probe.end().catch(() => undefined);
  }
  return createDatabase({ databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize });
}

async function main(): Promise<void> {
  loadDotEnvIfPresent();
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel }).child({ component: 'sla-worker' });
  const policy = loadPolicy(config.policyFile);
  const calendar = calendarForPolicy(policy, log);
  await checkRedisReachable(config);
  const db = await connectDatabase(config);
  const runtime = await startSlaRuntime({ db, redis: { url: config.redisUrl }, policy, calendar, log });
  log.info({ queue: runtime.queue.name, policyVersion: policy.version }, 'SLA worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'SLA worker stopping: finishing running jobs');
    const hardStop = setTimeout(() => process.exit(1), 30_000).unref();
    await runtime.close();
    await db.$disconnect();
    clearTimeout(hardStop);
    log.info('SLA worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StartupError || err instanceof PolicyError) {
    console.error(`Cannot start the SLA worker.\n${err.message}`);
  } else {
    console.error('Cannot start the SLA worker:', err);
  }
  process.exit(1);
});
