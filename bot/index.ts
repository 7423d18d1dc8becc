// `npm start`: check configuration, PostgreSQL and Redis, apply migrations, seed demo data, serve.
// Every start-up problem is one readable message and exit code 1, not a stack trace.
import { ConfigError, loadConfig, loadDotEnvIfPresent, type AppConfig } from '../services/config';
import { createDatabase } from '../services/db/client';
import { describeDatabaseConnectionError } from '../services/db/connection-errors';
import { migrate, MigrationError } from '../services/db/migrate';
import { seedDemoData } from '../services/db/seed-demo-data';
import { checkRedisReachable, StartupError } from '../services/startup-checks';
import { createLogger } from '../services/logger';
import { loadPolicy, PolicyError } from '../services/policy/load-policy';
import { warmUpTriage } from '../services/triage/triage';
import { logPiiKeySource } from '../services/pii/log-key-source';
import { createApp } from './app';

async function prepareDatabase(config: AppConfig): Promise<void> {
  try {
    if (config.migrateOnStart) await migrate({ databaseUrl: config.databaseUrl });
    const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 2, pii: config.pii.keyring });
    try {
      await db.$queryRaw`SELECT 1`;
      if (config.seedDemoData) await seedDemoData(db);
    } finally {
      await db.$disconnect();
    }
  } catch (err) {
    if (err instanceof MigrationError) throw new StartupError(err.message);
    const described = describeDatabaseConnectionError(err, config.databaseUrl);
    if (described) throw new StartupError(described);
    throw err;
  }
}

async function main(): Promise<void> {
  loadDotEnvIfPresent();
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel });
  logPiiKeySource(log, config.pii);
  const policy = loadPolicy(config.policyFile);
  // Loads the word-segmentation dictionary now, so the first complaint does not wait for it.
  warmUpTriage(policy);
  await prepareDatabase(config);
  await checkRedisReachable(config);
  const app = createApp(config, { log, policy });
  app.redis.on('error', (err) => log.warn({ errName: err.name, errCode: (err as { code?: string }).code }, 'redis connection problem'));
  await app.startBackground();
  const url = await app.listen();
  log.info({ url: `${url}/api/messages`, anonymous: !config.bot.appId, slaMode: config.slaMode }, 'complaint bot is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing running turns');
    const hardStop = setTimeout(() => process.exit(1), 15_000).unref();
    app.server.server.closeIdleConnections?.();
    await app.close();
    clearTimeout(hardStop);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StartupError || err instanceof PolicyError) {
    console.error(`Cannot start the complaint bot.\n${err.message}`);
  } else {
    console.error('Cannot start the complaint bot:', err);
  }
  process.exit(1);
});
