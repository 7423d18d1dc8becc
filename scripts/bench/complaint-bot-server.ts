// `npm run bench` child: THIS bot as `npm start` runs it (createApp: PostgreSQL conversation state,
// transcripts, triage with the local analyzer, the ledger, the SLA clock) on the benchmark's private
// database (already migrated and seeded by the parent) and a private SLA queue. Log level warn.
// Sends { url } to the parent (fork IPC) once listening; stops cleanly on SIGTERM.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../services/config';
import { createLogger } from '../../services/logger';
import { loadPolicy } from '../../services/policy/load-policy';
import { warmUpTriage } from '../../services/triage/triage';
import { createApp } from '../../bot/app';
import { answerCpuRequests } from './child-server';

const databaseUrl = process.env.BENCH_DATABASE_URL;
const queueName = process.env.BENCH_QUEUE;
if (!databaseUrl || !queueName) throw new Error('BENCH_DATABASE_URL and BENCH_QUEUE are required');

// Production settings except the private database and queue; no Azure (the local analyzer triages).
const config = loadConfig({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  LOG_LEVEL: 'warn',
  SLA_MODE: process.env.BENCH_SLA_MODE ?? 'in-process',
  PII_HASH_KEY: randomBytes(24).toString('hex'),
  // Personal data encrypted at rest as in production (a throw-away key: the database is dropped after the run).
  PII_KEYS: `bench:${randomBytes(32).toString('base64')}`,
  STAFF_TOKEN_SECRET: randomBytes(24).toString('hex'),
  // The customers come through one (simulated) proxy with their own addresses: the message budgets
  // are taken on every turn as in production, and set high enough that the load never reaches them.
  DIRECTLINE_TRUSTED_PROXY_HOPS: '1',
  API_MESSAGES_PER_USER_PER_MINUTE: '1000000',
  API_MESSAGES_PER_IP_PER_MINUTE: '10000000',
  MIGRATE_ON_START: 'false',
  SEED_DEMO_DATA: 'false',
  FILE_STORE_DIR: process.env.BENCH_FILE_STORE_DIR ?? 'var/bench-files',
  ...(process.env.BENCH_DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.BENCH_DATABASE_POOL_SIZE } : {}),
  ...JSON.parse(process.env.BENCH_EXTRA_ENV ?? '{}'),
});
const log = createLogger({ level: config.logLevel });
const policy = loadPolicy(config.policyFile);
warmUpTriage(policy);
const app = createApp(config, { log, policy, slaQueueName: queueName });
await app.startBackground();
const url = await app.listen();
process.send?.({ url, slaMode: config.slaMode, poolSize: config.databasePoolSize });

process.on('SIGTERM', () => {
  void (async () => {
    const hard = setTimeout(() => process.exit(1), 15_000);
    hard.unref();
    app.server.server.closeIdleConnections?.();
    await app.close();
    process.exit(0);
  })();
});
answerCpuRequests();
