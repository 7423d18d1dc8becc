// A child process for `npm run bench:timers`: the real SLA runtime (startSlaRuntime, workers on) on
// the benchmark's private database and queue. The benchmark kills it with SIGKILL mid-run and starts
// another. Prints "ready" on stdout once the worker runs; stops cleanly on SIGTERM.
import { createDatabase } from '../../services/db/client';
import { createLogger } from '../../services/logger';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { createBusinessCalendar } from '../../services/calendar/business-calendar';
import cnHolidays from '../../services/calendar/cn-holidays.json';
import { startSlaRuntime } from '../../services/sla/sla-runtime';

const databaseUrl = process.env.BENCH_DATABASE_URL;
const queueName = process.env.BENCH_QUEUE;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? '5');
if (!databaseUrl || !queueName) throw new Error('BENCH_DATABASE_URL and BENCH_QUEUE are required');

const log = createLogger({ level: 'warn' }).child({ component: 'bench-sla-worker' });
const db = createDatabase({ databaseUrl, poolSize: Math.max(10, concurrency + 2) });
const calendar = createBusinessCalendar(cnHolidays, { timeZone: DEFAULT_POLICY.timeZone, serviceHours: DEFAULT_POLICY.serviceHours });
const runtime = await startSlaRuntime({
  db, redis: { url: redisUrl }, policy: DEFAULT_POLICY, calendar, log, queueName,
  notify: () => undefined,
  runWorkers: true,
  worker: { concurrency },
});
// Ready once the worker takes jobs: at N = 100 000 the reconcile at start (200 000 timers compared
// with the database) takes about a minute, and the worker fires due timers while it runs.
process.stdout.write('ready\n');
const reconcileStarted = Date.now();
void runtime.firstReconcile.then(() => process.stdout.write(`reconciled at start in ${Date.now() - reconcileStarted} ms\n`));

process.on('SIGTERM', () => {
  void (async () => {
    await runtime.close();
    await db.$disconnect();
    process.exit(0);
  })();
});
