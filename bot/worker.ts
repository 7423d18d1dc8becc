// `npm run worker`: the SLA clock alone — timers, escalation ladder, reconciler and alert delivery
// (chat through the Bot Framework, e-mail, webhook; and the sweep of alerts nobody delivered), and the
// monthly report's job — for
// deployments that run workers apart from the bot (any number side by side). JSON logs on stdout;
// stops on SIGTERM/SIGINT after running jobs finish; an unreachable PostgreSQL or Redis is one
// readable message and exit code 1. It lives in bot/ because delivering chat alerts needs the bot's
// adapter.
import { Client } from 'pg';
import { ConfigError, loadConfig, loadDotEnvIfPresent, type AppConfig } from '../services/config';
import { createDatabase, type Database } from '../services/db/client';
import { describeDatabaseConnectionError } from '../services/db/connection-errors';
import { createLogger } from '../services/logger';
import { calendarForPolicy, checkRedisReachable, StartupError } from '../services/startup-checks';
import { loadPolicy, PolicyError } from '../services/policy/load-policy';
import { useDimensionLabels } from '../services/reports/report-labels';
import { startSlaRuntime } from '../services/sla/sla-runtime';
import { createAdapter } from './adapter';
import { createAlertNotifier } from './background';
import { ChannelRouter } from './channel-router';
import { startConfiguredReportRuntime } from '../services/reports/monthly-report-job';
import { startRetentionRuntime } from '../services/retention/retention-job';
import { logPiiKeySource } from '../services/pii/log-key-source';
import { registerWorkerChannels, startConfiguredSurveyRuntime } from './survey-runtime-wiring';
import { createRedis } from '../services/redis';

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
  return createDatabase({ databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize, pii: config.pii.keyring });
}

async function main(): Promise<void> {
  loadDotEnvIfPresent();
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel }).child({ component: 'sla-worker' });
  const policy = loadPolicy(config.policyFile);
  useDimensionLabels(policy);
  const calendar = calendarForPolicy(policy, log);
  await checkRedisReachable(config);
  const db = await connectDatabase(config);
  const channels = new ChannelRouter(createAdapter(config, log), config.bot.appId ?? '');
  // Surveys and chat alerts reach Direct Line and WeChat conversations too (bot/survey-runtime-wiring.ts).
  const channelRedis = createRedis(config.redisUrl, { lazyConnect: false });
  registerWorkerChannels(channels, { config, db, redis: channelRedis, log, clock: () => new Date() });
  const delivery = createAlertNotifier({ config, db, log, channels, clock: () => new Date() });
  const runtime = await startSlaRuntime({ db, redis: { url: config.redisUrl }, policy, calendar, log, notify: delivery.notify });
  // The monthly report's job (its scheduler is set up by the bot in every SLA_MODE but off).
  const reports = await startConfiguredReportRuntime({ config, db, calendar, log, clock: () => new Date(), runWorker: true });
  // The satisfaction survey's send/remind/expire jobs and their reconciler.
  const surveys = await startConfiguredSurveyRuntime({
    config, db, log, channels, clock: () => new Date(), overrides: { runWorker: true },
    afterComplaintChanged: (complaintId) => void runtime.scheduleComplaint(complaintId),
  });
  // Retention (PIPL): anonymises complaints closed longer ago than the policy keeps them, daily.
  const retention = await startRetentionRuntime({ db, policy, log, redisUrl: config.redisUrl, clock: () => new Date(), runWorker: true });
  logPiiKeySource(log, config.pii);
  log.info({ queue: runtime.queue.name, policyVersion: policy.version }, 'SLA worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'SLA worker stopping: finishing running jobs');
    const hardStop = setTimeout(() => process.exit(1), 30_000).unref();
    await surveys.close();
    await channelRedis.quit().catch(() => undefined);
    await runtime.close();
    await reports.close();
    await retention.close();
    delivery.close();
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
