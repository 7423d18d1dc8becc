// `npm run bench:timers [-- --complaints N --window-s 60 --concurrency 5 --no-write]`
//
// SLA timer benchmark (issue 4 item 9). In a private database (created, migrated, seeded, dropped)
// and a unique queue (obliterated): N open complaints with one deadline each whose warning and breach
// fall inside a short firing window; timers scheduled through the real reconciler (reconcileTimers);
// the real SLA runtime (startSlaRuntime) in a child process, killed with SIGKILL mid-window and
// replaced; then, from PostgreSQL: firing lateness, lost and duplicated steps. Baseline in the same
// run: bare BullMQ delayed jobs (trivial processor) at the same rate. Appends to docs/benchmarks.md.
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Client, escapeIdentifier } from 'pg';
import { createDatabase, type Database } from '../services/db/client';
import { migrate } from '../services/db/migrate';
import { seedDemoData } from '../services/db/seed-demo-data';
import { DEFAULT_POLICY } from '../services/policy/policy';
import { createBusinessCalendar } from '../services/calendar/business-calendar';
import cnHolidays from '../services/calendar/cn-holidays.json';
import { reconcileTimers } from '../services/sla/reconcile-timers';
import { createSlaQueue } from '../services/sla/sla-jobs';

// ---- options -------------------------------------------------------------------------------
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const N = Number(arg('complaints', '100000'));
const WINDOW_MS = Number(arg('window-s', '60')) * 1000;
const CONCURRENCY = Number(arg('concurrency', '5'));
/** How many of the N complaints have their warning and breach in the firing window (the rest: 1–15 days out). */
const FIRING = Math.min(N, Number(arg('firing', String(N))));
const DRAIN_TIMEOUT_MS = Number(arg('drain-timeout-s', '600')) * 1000;
const WRITE_DOC = !process.argv.includes('--no-write');
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const WARN_PCT = DEFAULT_POLICY.sla.warnAtPercent;
if (!Number.isInteger(N) || N < 1 || N > 1_000_000) throw new Error('--complaints must be 1..1000000');
if (!Number.isInteger(FIRING) || FIRING < 1) throw new Error('--firing must be 1..N');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : NaN };
}

async function withServer<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 5_000 });
  c.on('error', () => undefined);
  await c.connect();
  try { return await fn(c); } finally { await c.end().catch(() => undefined); }
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

// ---- worker child --------------------------------------------------------------------------
function startWorkerChild(databaseUrl: string, queueName: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/sla-worker-child.ts'], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, BENCH_QUEUE: queueName, BENCH_REDIS_URL: REDIS_URL, BENCH_CONCURRENCY: String(CONCURRENCY) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker child did not start in 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) { clearTimeout(timer); resolve(child); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`worker child exited early (${code})`)); });
  }).then(() => { child.removeAllListeners('exit'); return child; });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => { clearTimeout(hard); resolve(); });
    child.kill(signal);
  });
}

// ---- seeding -------------------------------------------------------------------------------
/**
 * N complaints (10 % L1 of which a tenth urgent, 40 % L2, 50 % L3), each with one open deadline
 * (L1 first response, L2 feedback, L3 statutory decision) whose warning (at warnAtPercent of its
 * window) and breach both fall in [windowStart, windowStart + WINDOW_MS). Synthetic placeholders only.
 */
async function seed(databaseUrl: string, windowStart: number): Promise<void> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query(`
      INSERT INTO complainant (id, name, phone, phone_hash, updated_at)
      SELECT gen_random_uuid(), '基准测试客户' || i, '199' || lpad(i::text, 8, '0'), 'bench-' || i, now()
      FROM generate_series(1, $1::int) AS i`, [N]);
    // u1 < u2 in [0,1): warning at windowStart + u1*W, breach at windowStart + (u1 + (1-u1)*u2)*W;
    // acceptance chosen so that the warning is at WARN_PCT % of acceptance → due.
    await c.query(`
      CREATE TEMP TABLE bench_plan AS
      SELECT i, r.warn_at, r.due_at,
             r.due_at - (r.due_at - r.warn_at) * (100.0 / (100 - $4::int)) AS accepted_at,
             CASE WHEN i % 10 = 0 THEN 'L1' WHEN i % 10 < 5 THEN 'L2' ELSE 'L3' END AS tier
      FROM generate_series(1, $1::int) AS i,
           LATERAL (SELECT random() + 0 * i AS u1, random() + 0 * i AS u2) u, -- correlated with i: one draw per row
           LATERAL (SELECT CASE WHEN i <= $5::int THEN $2::bigint ELSE $2::bigint + 86400000 END AS base,
                           CASE WHEN i <= $5::int THEN $3::bigint ELSE 14 * 86400000::bigint END AS span OFFSET 0) w,
           LATERAL (SELECT to_timestamp((w.base + u.u1 * w.span) / 1000.0) AS warn_at,
                           to_timestamp((w.base + (u.u1 + (1 - u.u1) * u.u2) * w.span) / 1000.0) AS due_at) r`,
      [N, windowStart, WINDOW_MS, WARN_PCT, FIRING]);
    await c.query(`
      INSERT INTO complaint (id, number, accepted_day, daily_seq, complainant_id, business_line, type, description,
        claimed_loss_yuan, feedback_method, intake_channel, channel_id, status, tier, urgent, policy_version,
        department_id, accepted_at, updated_at)
      SELECT gen_random_uuid(), 'TSBENCH-' || p.i, '20990101', p.i, cp.id,
             CASE WHEN p.i % 3 = 0 THEN 'securities' ELSE 'insurance' END::business_line,
             CASE WHEN p.i % 3 = 0 THEN 'securities_trading' ELSE 'claims_dispute' END::complaint_type,
             '基准测试投诉（合成数据）', (p.i % 1000) * 100, 'phone', 'online_chat', 'bench',
             'assigned', p.tier::tier, (p.tier = 'L1' AND p.i % 100 = 0), $1,
             (SELECT id FROM department ORDER BY code OFFSET (p.i % (SELECT count(*) FROM department)) LIMIT 1),
             date_trunc('milliseconds', p.accepted_at), now()
      FROM bench_plan p JOIN complainant cp ON cp.phone_hash = 'bench-' || p.i`, [DEFAULT_POLICY.version]);
    await c.query(`
      INSERT INTO complaint_deadline (id, complaint_id, kind, due_at, updated_at)
      SELECT gen_random_uuid(), c.id,
             CASE c.tier WHEN 'L1' THEN 'first_response' WHEN 'L2' THEN 'feedback' ELSE 'statutory_decision' END::deadline_kind,
             date_trunc('milliseconds', p.due_at), now()
      FROM bench_plan p JOIN complaint c ON c.daily_seq = p.i AND c.accepted_day = '20990101'`);
    await c.query('COMMIT');
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

// ---- results from PostgreSQL -----------------------------------------------------------------
const PLANNED_WARN_SQL = `(EXTRACT(EPOCH FROM c.accepted_at) * 1000 + round(EXTRACT(EPOCH FROM (d.due_at - c.accepted_at)) * 1000 * $1::int / 100.0))`;

async function results(databaseUrl: string) {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const late = await c.query<{ ms: string }>(`
      SELECT EXTRACT(EPOCH FROM d.warned_at) * 1000 - ${PLANNED_WARN_SQL} AS ms
        FROM complaint_deadline d JOIN complaint c ON c.id = d.complaint_id WHERE d.warned_at IS NOT NULL AND d.due_at <= now()
      UNION ALL
      SELECT EXTRACT(EPOCH FROM (d.breached_at - d.due_at)) * 1000 FROM complaint_deadline d WHERE d.breached_at IS NOT NULL AND d.due_at <= now()`, [WARN_PCT]);
    const counts = await c.query(`
      SELECT count(*) FILTER (WHERE due_at <= now())::int AS deadlines,
             count(*) FILTER (WHERE due_at > now() AND (warned_at IS NOT NULL OR breached_at IS NOT NULL))::int AS fired_early,
             count(*) FILTER (WHERE warned_at IS NOT NULL AND due_at <= now())::int AS warned,
             count(*) FILTER (WHERE breached_at IS NOT NULL AND due_at <= now())::int AS breached,
             count(*) FILTER (WHERE warned_at IS NULL AND breached_at IS NOT NULL AND due_at <= now())::int AS warning_after_breach,
             count(*) FILTER (WHERE breached_at IS NULL AND due_at <= now())::int AS lost_breaches,
             count(*) FILTER (WHERE warned_at IS NULL AND breached_at IS NULL AND due_at <= now())::int AS lost_both
      FROM complaint_deadline`);
    // Events per deadline (complaint + kind) and type: exactly one wanted.
    const events = await c.query(`
      WITH per AS (
        SELECT d.id, e.type, count(e.id)::int AS n
        FROM complaint_deadline d
        CROSS JOIN (VALUES ('deadline.warning'), ('deadline.breached')) t(type)
        LEFT JOIN complaint_event e ON e.complaint_id = d.complaint_id AND e.type = t.type AND e.payload->>'deadlineKind' = d.kind::text
        WHERE d.due_at <= now()
        GROUP BY d.id, e.type, t.type)
      SELECT count(*) FILTER (WHERE n > 1)::int AS duplicated,
             count(*) FILTER (WHERE n = 1)::int AS exactly_once,
             COALESCE(sum(n) FILTER (WHERE type = 'deadline.warning'), 0)::int AS warning_events,
             COALESCE(sum(n) FILTER (WHERE type = 'deadline.breached'), 0)::int AS breach_events
      FROM per`);
    const dupEvents = await c.query(`
      SELECT count(*)::int AS n FROM (
        SELECT e.complaint_id, e.type, e.payload->>'deadlineKind' FROM complaint_event e
        WHERE e.type IN ('deadline.warning', 'deadline.breached') GROUP BY 1, 2, 3 HAVING count(*) > 1) x`);
    const alerts = await c.query(`SELECT count(*)::int AS n FROM alert`);
    return { lateness: stats(late.rows.map((r) => Number(r.ms))), counts: counts.rows[0], events: events.rows[0], duplicatedGroups: dupEvents.rows[0].n as number, alerts: alerts.rows[0].n as number };
  } finally {
    await c.end();
  }
}

async function breachesPending(databaseUrl: string): Promise<number> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query(`SELECT count(*)::int AS n FROM complaint_deadline WHERE breached_at IS NULL AND met_at IS NULL AND due_at <= now()`);
    return r.rows[0].n as number;
  } finally { await c.end(); }
}

async function firedCount(databaseUrl: string): Promise<number> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query(`SELECT (count(warned_at) + count(breached_at))::int AS n FROM complaint_deadline`);
    return r.rows[0].n as number;
  } finally { await c.end(); }
}

// ---- baseline: bare BullMQ delayed jobs -------------------------------------------------------
async function baseline(jobs: number, spreadMs: number) {
  const name = `bench-bare-${Date.now()}-${randomBytes(4).toString('hex')}`;
  const queue = new Queue(name, { connection: { url: REDIS_URL } });
  const lateness: number[] = [];
  const worker = new Worker(name, async (job) => { lateness.push(Date.now() - (job.data as { fireAt: number }).fireAt); }, {
    connection: { url: REDIS_URL, maxRetriesPerRequest: null }, concurrency: CONCURRENCY,
  });
  try {
    const start = Date.now() + 10_000;
    for (let i = 0; i < jobs; i += 1000) {
      const now = Date.now();
      await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => {
        const fireAt = Math.round(start + Math.random() * spreadMs);
        return { name: 'tick', data: { fireAt, n: i + k }, opts: { delay: Math.max(0, fireAt - now), removeOnComplete: true } };
      }));
    }
    const deadline = start + spreadMs + DRAIN_TIMEOUT_MS;
    while (lateness.length < jobs && Date.now() < deadline) await sleep(500);
    return stats(lateness);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

// ---- main ------------------------------------------------------------------------------------
async function main() {
  const dbName = `complaint_test_bench_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const dbUrl = (() => { const u = new URL(SERVER_URL); u.pathname = `/${dbName}`; return u.toString(); })();
  const queueName = `sla-bench-${Date.now()}-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL);
  const children: ChildProcess[] = [];
  let db: Database | undefined;
  let queue: Queue | undefined;
  const startedAt = new Date();
  try {
    log(`N=${N} complaints, window ${WINDOW_MS / 1000}s, worker concurrency ${CONCURRENCY}; database ${dbName}, queue ${queueName}`);
    await withServer((c) => c.query(`CREATE DATABASE ${escapeIdentifier(dbName)}`));
    await migrate({ databaseUrl: dbUrl });
    db = createDatabase({ databaseUrl: dbUrl, poolSize: 10 });
    await seedDemoData(db);

    // Room for seeding, scheduling (~4 000 timers/s measured here) and the first worker's reconcile scan.
    const t0 = Date.now();
    const leadMs = 20_000 + Math.ceil(N * 1.2) + 15_000;
    const windowStart = t0 + leadMs;
    await seed(dbUrl, windowStart);
    const seedMs = Date.now() - t0;
    log(`seeded ${N} complaints + deadlines in ${(seedMs / 1000).toFixed(1)}s; window starts in ${((windowStart - Date.now()) / 1000).toFixed(1)}s`);

    const calendar = createBusinessCalendar(cnHolidays, { timeZone: DEFAULT_POLICY.timeZone, serviceHours: DEFAULT_POLICY.serviceHours });
    queue = createSlaQueue({ url: REDIS_URL }, queueName);
    await queue.waitUntilReady();
    const memBefore = await usedMemory(redis);
    const s0 = Date.now();
    const rec = await reconcileTimers({ db, queue, policy: DEFAULT_POLICY, calendar, now: new Date() });
    const scheduleMs = Date.now() - s0;
    const memAfter = await usedMemory(redis);
    const jobCount = (await queue.getJobCountByTypes('delayed', 'waiting', 'prioritized')) as number;
    const scheduleRate = rec.created / (scheduleMs / 1000);
    const bytesPerTimer = (memAfter - memBefore) / Math.max(1, jobCount);
    log(`scheduled ${rec.created} timers in ${(scheduleMs / 1000).toFixed(1)}s (${scheduleRate.toFixed(0)}/s); ${jobCount} jobs in Redis; ${bytesPerTimer.toFixed(0)} B/timer`);
    const windowLateStart = Date.now() > windowStart;
    if (windowLateStart) log(`WARNING: scheduling ran ${((Date.now() - windowStart) / 1000).toFixed(1)}s into the firing window`);

    children.push(await startWorkerChild(dbUrl, queueName));
    log(`worker child ${children[0]!.pid} running`);
    const killAt = windowStart + WINDOW_MS / 2;
    for (let nextLog = windowStart; Date.now() < killAt; ) {
      if (Date.now() >= nextLog) {
        log(`t=${((Date.now() - windowStart) / 1000).toFixed(0)}s into the window: ${await firedCount(dbUrl)} steps fired`);
        nextLog += 10_000;
      }
      await sleep(100);
    }
    const firedBeforeKill = await firedCount(dbUrl);
    const victim = children[0]!;
    const exited = new Promise((r) => victim.once('exit', r));
    victim.kill('SIGKILL');
    await exited;
    log(`kill -9 of worker child ${victim.pid} at mid-window (${firedBeforeKill} steps fired so far); starting another`);
    const restartT = Date.now();
    children.push(await startWorkerChild(dbUrl, queueName));
    const restartMs = Date.now() - restartT;
    log(`worker child ${children[1]!.pid} running (${(restartMs / 1000).toFixed(1)}s to restart)`);

    const expected = FIRING * 2;
    const stopBy = windowStart + WINDOW_MS + DRAIN_TIMEOUT_MS;
    let fired = 0;
    let lastProgress = Date.now();
    while (Date.now() < stopBy) {
      const now = await firedCount(dbUrl);
      if (now !== fired) { fired = now; lastProgress = Date.now(); }
      // Every due step has acted (a warning the handler drops once its breach is done counts via the breach check below).
      if (fired >= expected && Date.now() > windowStart + WINDOW_MS) break;
      if (Date.now() > windowStart + WINDOW_MS + 2_000 && (await breachesPending(dbUrl)) === 0) {
        // All breaches done; wait until nothing is waiting or running (the killed worker's jobs stay 'active' until a stall check).
        const c = await queue.getJobCounts('waiting', 'active', 'prioritized');
        if ((c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) === 0) break;
      }
      // The jobs the killed worker held run again only after their lock (30 s) expires and a stall check.
      if (Date.now() > windowStart + WINDOW_MS + 90_000 && Date.now() - lastProgress > 60_000) break;
      await sleep(1000);
    }
    const drainedAt = Date.now();
    log(`${fired}/${expected} steps fired; last ${((drainedAt - (windowStart + WINDOW_MS)) / 1000).toFixed(1)}s after the window`);
    await stopChild(children[1]!, 'SIGTERM');

    // A steady-state reconcile — what the job scheduler runs every few minutes, with every timer
    // already in Redis — against the baseline of BullMQ listing the same delayed jobs through its own
    // API (getJobs, a batch at a time, as the reconciler did before it read only ids and data fields).
    const presentJobs = (await queue.getJobCountByTypes('delayed', 'waiting', 'prioritized')) as number;
    const steady0 = Date.now();
    const steady = await reconcileTimers({ db, queue, policy: DEFAULT_POLICY, calendar, now: new Date() });
    const steadyMs = Date.now() - steady0;
    const list0 = Date.now();
    let listed = 0;
    for (let start = 0; ; start += 1000) {
      const jobs = await queue.getJobs(['delayed'], start, start + 999, true);
      listed += jobs.length;
      if (jobs.length < 1000) break;
    }
    const listMs = Date.now() - list0;
    log(`steady-state reconcile over ${presentJobs} jobs in ${(steadyMs / 1000).toFixed(1)}s (${JSON.stringify(steady)}); BullMQ getJobs listed ${listed} delayed jobs in ${(listMs / 1000).toFixed(1)}s`);

    const r = await results(dbUrl);
    const warnDue = r.counts.deadlines as number;
    const lostWarnings = warnDue - (r.counts.warned as number);
    const lostBreaches = warnDue - (r.counts.breached as number);
    log(`lateness ms: ${JSON.stringify(r.lateness)}; counts ${JSON.stringify(r.counts)}; events ${JSON.stringify(r.events)}`);

    const sample = Math.min(expected, 10_000);
    const spread = Math.round(WINDOW_MS * (sample / Math.max(1, expected)));
    log(`baseline: ${sample} bare delayed jobs over ${(spread / 1000).toFixed(1)}s (same rate), concurrency ${CONCURRENCY}`);
    const base = await baseline(sample, spread);
    log(`baseline lateness ms: ${JSON.stringify(base)}`);

    const ratio = r.lateness.p99 / Math.max(1, base.p99);
    const machine = {
      nproc: execSync('nproc').toString().trim(),
      mem: execSync('free -h').toString().split('\n').find((l) => l.startsWith('Mem:'))?.replace(/\s+/g, ' ').trim() ?? '?',
      node: process.version,
      redis: /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?',
      pg: await withServer(async (c) => (await c.query('SHOW server_version')).rows[0].server_version as string),
    };
    const lines = [
      '',
      `## SLA timers (\`npm run bench:timers\`) — ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `Machine: ${machine.nproc} cores (shared, noisy), ${machine.mem}; Node ${machine.node}; Redis ${machine.redis}; PostgreSQL ${machine.pg}.`,
      `Command: \`npm run bench:timers -- --complaints ${N} --window-s ${WINDOW_MS / 1000} --firing ${FIRING} --concurrency ${CONCURRENCY}\`${N < 100_000 ? ' (reduced N, see note)' : ''}.`,
      '',
      `N = ${N} open complaints (10 % L1, 40 % L2, 50 % L3), one open deadline each, ${rec.created} timers in Redis; ${FIRING} of them have their warning (${WARN_PCT} %) and breach inside a ${WINDOW_MS / 1000} s window (${expected} steps due, ${(expected / (WINDOW_MS / 1000)).toFixed(0)}/s)${FIRING < N ? ', the rest 1–15 days out' : ''}. One SLA worker process (startSlaRuntime, concurrency ${CONCURRENCY}, BullMQ default lock 30 s), killed with SIGKILL at mid-window and replaced.`,
      '',
      '| figure | value |',
      '|---|---|',
      `| seeding (SQL generate_series) | ${(seedMs / 1000).toFixed(1)} s |`,
      `| scheduling via reconcileTimers | ${rec.created} timers in ${(scheduleMs / 1000).toFixed(1)} s = ${scheduleRate.toFixed(0)} timers/s${windowLateStart ? ' (ran into the firing window)' : ''} |`,
      `| Redis memory per timer (used_memory delta / jobs) | ${bytesPerTimer.toFixed(0)} B (${jobCount} jobs, +${((memAfter - memBefore) / 1048576).toFixed(1)} MiB) |`,
      `| firing lateness p50 / p99 / max (${r.lateness.n} steps) | ${r.lateness.p50.toFixed(0)} / ${r.lateness.p99.toFixed(0)} / ${r.lateness.max.toFixed(0)} ms |`,
      `| baseline: bare BullMQ delayed job p50 / p99 / max (${base.n} jobs, same rate, same concurrency) | ${base.p50.toFixed(0)} / ${base.p99.toFixed(0)} / ${base.max.toFixed(0)} ms |`,
      `| **lateness p99 ratio (ours / bare)** | **${ratio.toFixed(1)}×** |`,
      `| steady-state reconcile (every timer already in Redis; the scheduler runs one every ${DEFAULT_POLICY.sla.reconcileIntervalMinutes} min) | ${presentJobs} jobs compared with the database in ${(steadyMs / 1000).toFixed(1)} s (created ${steady.created}, removed ${steady.removed}) |`,
      `| baseline: BullMQ's getJobs listing the same delayed jobs (1 000 a call) | ${listed} jobs in ${(listMs / 1000).toFixed(1)} s |`,
      `| **steady-state reconcile / listing the jobs with getJobs** | **${(steadyMs / Math.max(1, listMs)).toFixed(2)}×** |`,
      `| worker restart after kill -9 (spawn → ready) | ${(restartMs / 1000).toFixed(1)} s |`,
      `| steps fired / due | ${fired} / ${expected} |`,
      `| lost (due, not fired): breaches | ${lostBreaches} |`,
      `| warnings not given: total / of which the breach was handled first (by design a warning is dropped once its deadline is due or breached) | ${lostWarnings} / ${r.counts.warning_after_breach} |`,
      `| duplicated (more than one event for a step) | ${r.duplicatedGroups} |`,
      `| deadline.warning / deadline.breached events | ${r.events.warning_events} / ${r.events.breach_events} |`,
      `| alerts written by the ladder | ${r.alerts} |`,
      '',
      'Lateness = the processor\'s clock when it ran the step (warned_at / breached_at) − the planned fire time (warning at the policy percentage of acceptance → due; breach at due), from PostgreSQL, over all steps. Baseline lateness = processor time − planned time for a trivial processor on a fresh queue.',
      ...(N < 100_000 ? ['', `Note: recorded at N = ${N}, not 100 000, to fit the session's time box on this shared 2-core machine; reproduce at full size with \`npm run bench:timers -- --complaints 100000\`.`] : []),
      '',
    ];
    const section = lines.join('\n');
    console.log(section);
    if (WRITE_DOC) appendFileSync(new URL('../docs/benchmarks.md', import.meta.url), section);
  } finally {
    for (const child of children) await stopChild(child, 'SIGTERM').catch(() => undefined);
    await queue?.close().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const ob = new Queue(queueName, { connection: { url: REDIS_URL } });
    await ob.obliterate({ force: true }).catch((e: Error) => log(`obliterate failed: ${e.message}`));
    await ob.close();
    await db?.$disconnect().catch(() => undefined);
    await withServer((c) => c.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(dbName)} WITH (FORCE)`)).catch((e: Error) => log(`drop failed: ${e.message}`));
    redis.disconnect();
  }
}

await main();
process.exit(0);
