// A stand-alone worker for the monthly report's job, for a crash test: what `npm run worker` runs for
// reports (startReportRuntime with a worker), on a private database and queue, its clock running from a
// production day, with quick take-over of a dead worker's job, a short claim lease and short retries.
// Prints "worker ready" when it takes jobs.
import { loadConfig } from '../../../services/config';
import { createDatabase } from '../../../services/db/client';
import { createLogger } from '../../../services/logger';
import { DEFAULT_POLICY } from '../../../services/policy/policy';
import { calendarForPolicy } from '../../../services/startup-checks';
import { reportSettingsFrom } from '../../../services/reports/produce-report';
import { startReportRuntime } from '../../../services/reports/monthly-report-job';

const config = loadConfig();
const log = createLogger({ level: config.logLevel });
const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 3 });
// A clock running from the test's chosen moment (the same offset in every worker), so claims expire.
const offsetMs = Number(process.env.TEST_CLOCK_OFFSET_MS);
const clock = () => new Date(Date.now() + offsetMs);
await startReportRuntime({
  db, calendar: calendarForPolicy(DEFAULT_POLICY, log), log, clock, redisUrl: config.redisUrl, runWorker: true,
  queueName: process.env.TEST_REPORTS_QUEUE, settings: reportSettingsFrom(config), workingDay: 3,
  mail: { smtpUrl: process.env.TEST_SMTP_URL!, from: 'reports@insurer.example' }, extraRecipients: ['leadership.group@insurer.example'],
  leaseMs: 8_000, retryDelayMs: 1_000, worker: { lockDuration: 4_000, stalledInterval: 1_000 },
});
console.log('worker ready');
