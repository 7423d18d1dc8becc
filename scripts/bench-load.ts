// `npm run bench [-- --duration 20 --warmup 5 --connections 200 --rate 200 --servers restify,echo,dialog-memory,dialog-pg,bot --rounds 3 --no-write]`
//
// Load benchmark (issue 8 item 5). The servers one after the other, each alone in its own process
// (child_process.fork of scripts/bench/*-server.ts); this process is the load generator:
//   restify — a bare restify echo handler;
//   echo    — a stateless CloudAdapter echo bot;
//   dialog-memory, dialog-pg — reference points between the two bots: the echo bot with
//             botbuilder-dialogs and ConversationState, its state in memory (MemoryStorage) or in
//             PostgreSQL (one SELECT and one upsert per turn); scripts/bench/dialog-echo-bot-server.ts;
//   bot     — THIS bot (createApp as `npm start` builds it) walking the whole intake: conversation state
//             in PostgreSQL, transcripts, triage with the local analyzer, the complaint filed in the
//             ledger, its SLA timers scheduled (SLA_MODE in-process, a private queue); a private
//             database created, migrated and seeded for the run, dropped at the end.
// Replies come back in the HTTP response (deliveryMode 'expectReplies'). Each simulated customer walks
// the whole intake one turn at a time (scripts/bench/customers.ts) and starts a new conversation once
// the complaint number arrived. Per server: capacity (closed loop, --connections customers, turns/s
// over --duration s after --warmup s) then latency (open loop, --rate turns/s offered in total by the
// same customers, Poisson arrivals, latency from the scheduled send time). Bars: the bot's capacity
// ≥ 25 % of the echo bot's; p99 < 150 ms at the fixed load; no errors. Appends to docs/benchmarks.md.
//
// The machine is shared and its speed drifts within minutes, so the capacity ratio is measured in
// --rounds rounds: after the first pass over every server, the echo bot's and this bot's capacity
// again, alternately, each in a fresh process. Each round's ratio compares two neighbouring
// measurements; the bar is judged on the median round.
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Queue } from 'bullmq';
import { escapeIdentifier } from 'pg';
import { createDatabase } from '../services/db/client';
import { dbUrl, SERVER_URL, withClient } from './bench/private-database';
import { migrate } from '../services/db/migrate';
import { seedDemoData } from '../services/db/seed-demo-data';
import { Customer, newCounters, newPool, type Counters } from './bench/customers';
import { closedLoop, openLoop, type PhaseResult } from './bench/phases';
import { machineCpuPerTurn, machineCpuSnapshot, type MachineCpuPerTurn } from './bench/machine-cpu';

// ---- options -------------------------------------------------------------------------------
const VALUE_OPTIONS = ['duration', 'warmup', 'connections', 'rate', 'warmup-conversations', 'max-warmup', 'arrivals', 'timeout-ms', 'servers', 'phases', 'sla-mode', 'rounds', 'note'];
const FLAGS = ['no-write', 'cpu-prof', 'keep-db'];
{
  // A mistyped option (or --help) must not start a minutes-long run that loads the whole machine.
  const args = process.argv.slice(2);
  const unknown = args.filter((a, i) => a.startsWith('-') && !FLAGS.includes(a.slice(2)) && !(VALUE_OPTIONS.includes(a.slice(2)) && i + 1 < args.length));
  if (unknown.length > 0) {
    const help = unknown.includes('--help') || unknown.includes('-h');
    (help ? console.log : console.error)(
      `usage: npm run bench -- [--${VALUE_OPTIONS.join(' N] [--')} N] [--${FLAGS.join('] [--')}]\n(see the comment at the top of scripts/bench-load.ts)` +
        (help ? '' : `\nunknown or incomplete option: ${unknown.join(' ')}`),
    );
    process.exit(help ? 0 : 2);
  }
}
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const DURATION_S = Number(arg('duration', '20'));
const WARMUP_S = Number(arg('warmup', '5'));
const CONNECTIONS = Number(arg('connections', '200'));
const RATE = Number(arg('rate', '200'));
const WARMUP_CONVERSATIONS = Number(arg('warmup-conversations', String(CONNECTIONS)));
const MAX_WARMUP_S = Number(arg('max-warmup', '120'));
const ARRIVALS = arg('arrivals', 'poisson') as 'poisson' | 'even';
// 15 s: what the Bot Framework channels wait for a bot's HTTP answer before they give up on a turn.
const TIMEOUT_MS = Number(arg('timeout-ms', '15000'));
const SERVERS = arg('servers', 'restify,echo,dialog-memory,dialog-pg,bot').split(',').map((s) => s.trim()) as ServerName[];
const PHASES = arg('phases', 'capacity,latency').split(',');
const ROUNDS = Number(arg('rounds', '3'));
const SLA_MODE = arg('sla-mode', 'in-process');
const WRITE_DOC = !process.argv.includes('--no-write');
const CPU_PROF = process.argv.includes('--cpu-prof');
const KEEP_DB = process.argv.includes('--keep-db');
const NOTE = arg('note', '');
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
type ServerName = 'restify' | 'echo' | 'dialog-memory' | 'dialog-pg' | 'bot';
const SCRIPTS: Record<ServerName, string> = {
  restify: 'scripts/bench/restify-echo-server.ts',
  echo: 'scripts/bench/echo-bot-server.ts',
  'dialog-memory': 'scripts/bench/dialog-echo-bot-server.ts',
  'dialog-pg': 'scripts/bench/dialog-echo-bot-server.ts',
  bot: 'scripts/bench/complaint-bot-server.ts',
};
const LABELS: Record<ServerName, string> = {
  restify: 'bare restify echo handler',
  echo: 'stateless CloudAdapter echo bot',
  'dialog-memory': '(reference) echo bot with dialog state in memory',
  'dialog-pg': '(reference) echo bot with dialog state in PostgreSQL',
  bot: 'this bot: whole intake (PostgreSQL state, triage, ledger)',
};
if (![DURATION_S, WARMUP_S, CONNECTIONS, RATE, TIMEOUT_MS].every((n) => Number.isFinite(n) && n > 0)) throw new Error('--duration, --warmup, --connections, --rate and --timeout-ms must be positive numbers');
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds must be a whole number, at least 1');
if (!SERVERS.every((s) => s in SCRIPTS)) throw new Error(`--servers: a comma-separated subset of ${Object.keys(SCRIPTS).join(',')}`);
if (ARRIVALS !== 'poisson' && ARRIVALS !== 'even') throw new Error('--arrivals must be poisson or even');

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}


// ---- server children -------------------------------------------------------------------------
interface RunningServer { child: ChildProcess; url: string; info: Record<string, unknown>; logLines: { warn: number; error: number; samples: string[] } }

function startServer(name: ServerName, env: Record<string, string>): Promise<RunningServer> {
  const execArgv = ['--import', 'tsx', '--disable-warning=DEP0111'];
  if (CPU_PROF && name === 'bot') {
    mkdirSync('var/bench-prof', { recursive: true });
    execArgv.push('--cpu-prof', '--cpu-prof-dir=var/bench-prof');
  }
  const child = fork(name === 'bot' && process.env.BENCH_BOT_SCRIPT ? process.env.BENCH_BOT_SCRIPT : SCRIPTS[name], [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const logLines = { warn: 0, error: 0, samples: [] as string[] };
  // The bot logs JSON at warn and above: count them; anything else is shown as is.
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === '40') logLines.warn += 1;
      else if (level !== undefined && Number(level) >= 50) logLines.error += 1;
      if (logLines.samples.length < 5) logLines.samples.push(line.slice(0, 300));
      if (level === undefined) process.stderr.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} server did not start in 60 s`)), 60_000);
    child.once('message', (msg: { url: string }) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, url: msg.url, info: msg as unknown as Record<string, unknown>, logLines });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} server exited before listening (${code})`));
    });
  });
}

/** The server process's CPU time (user + system, ms) so far. */
function cpuOf(server: RunningServer): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: { cpu?: { user: number; system: number } }) => {
      if (!m.cpu) return;
      server.child.off('message', onMessage);
      resolve((m.cpu.user + m.cpu.system) / 1000);
    };
    server.child.on('message', onMessage);
    server.child.send('cpu');
  });
}

function stopServer(server: RunningServer): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ---- one server: capacity then latency ---------------------------------------------------------
interface ServerResult {
  name: ServerName; capacity: PhaseResult; latency: PhaseResult; cpuPerTurn: { capacity: number; latency: number };
  /** Where the whole machine's CPU went in the capacity phase, per turn (null without /proc). */
  machine: MachineCpuPerTurn | null;
  logLines: RunningServer['logLines']; info: Record<string, unknown> }

async function measure(name: ServerName, env: Record<string, string>, phases: string[] = PHASES): Promise<ServerResult> {
  log(`${name}: starting (load average ${loadavg()})`);
  const server = await startServer(name, env);
  log(`${name}: listening at ${server.url} (pid ${server.child.pid})`);
  const pool = newPool(server.url, CONNECTIONS);
  const customers = Array.from({ length: CONNECTIONS }, () => new Customer({ pool, kind: name === 'bot' ? 'bot' : 'echo', timeoutMs: TIMEOUT_MS }));
  try {
    log(`${name}: capacity, closed loop, ${CONNECTIONS} customers, warm-up ≥ ${WARMUP_S} s and ${WARMUP_CONVERSATIONS} conversations (≤ ${MAX_WARMUP_S} s), then ${DURATION_S} s`);
    const skipped: PhaseResult = { durationS: 0, warmupS: 0, phaseTurns: 0, counters: newCounters(), latencies: [], turnsPerSecond: NaN, sentLate: 0, maxTimerLagMs: 0 };
    const cpu0 = await cpuOf(server);
    const machine0 = machineCpuSnapshot(server.child.pid);
    const capacity = phases.includes('capacity')
      ? await closedLoop(customers, { warmupS: WARMUP_S, durationS: DURATION_S, warmupConversations: WARMUP_CONVERSATIONS, maxWarmupS: MAX_WARMUP_S })
      : skipped;
    log(`${name}: capacity ${capacity.turnsPerSecond.toFixed(0)} turns/s after ${capacity.warmupS.toFixed(1)} s warm-up; ${summary(capacity)}`);
    if (phases.includes('latency')) log(`${name}: latency, open loop, ${RATE} turns/s offered (${ARRIVALS}), ${WARMUP_S} s warm-up + ${DURATION_S} s`);
    const machine1 = machineCpuSnapshot(server.child.pid);
    const cpu1 = await cpuOf(server);
    const latency = phases.includes('latency')
      ? await openLoop(customers, { warmupS: WARMUP_S, durationS: DURATION_S, ratePerSecond: RATE, arrivals: ARRIVALS })
      : skipped;
    const l = stats(latency.latencies);
    if (phases.includes('latency')) log(`${name}: latency p50 ${l.p50.toFixed(1)} / p99 ${l.p99.toFixed(1)} / max ${l.max.toFixed(1)} ms at ${latency.turnsPerSecond.toFixed(0)} turns/s; sent late ${latency.sentLate}; ${summary(latency)}`);
    const cpu2 = await cpuOf(server);
    const cpuPerTurn = { capacity: capacity.phaseTurns ? (cpu1 - cpu0) / capacity.phaseTurns : NaN, latency: latency.phaseTurns ? (cpu2 - cpu1) / latency.phaseTurns : NaN };
    log(`${name}: server CPU per turn ${cpuPerTurn.capacity.toFixed(2)} ms (capacity phase)${phases.includes('latency') ? `, ${cpuPerTurn.latency.toFixed(2)} ms (latency phase)` : ''}`);
    if (server.logLines.samples.length) log(`${name}: first log lines at warn and above:\n  ${server.logLines.samples.join('\n  ')}`);
    const machine = machineCpuPerTurn(machine0, machine1, capacity.phaseTurns);
    if (machine) log(`${name}: machine CPU per turn (capacity phase) ${machine.busy.toFixed(2)} ms: server ${machine.server.toFixed(2)}, PostgreSQL ${machine.postgres.toFixed(2)}, Redis ${machine.redis.toFixed(2)}, generator ${machine.generator.toFixed(2)}, rest ${machine.rest.toFixed(2)}; cores idle ${(machine.idle * 100).toFixed(0)} %`);
    return { name, capacity, latency, cpuPerTurn, machine, logLines: server.logLines, info: server.info };
  } finally {
    await pool.close().catch(() => undefined);
    await stopServer(server);
  }
}

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : NaN };
}

function errorCount(c: Counters): number {
  return c.turns - c.outcomes.ok;
}

function summary(p: PhaseResult): string {
  const c = p.counters;
  const bad = Object.entries(c.outcomes).filter(([k, v]) => k !== 'ok' && v > 0).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${c.turns} turns, errors ${errorCount(c)}${bad ? ` (${bad})` : ''}; conversations ok ${c.conversationsOk}, failed ${c.conversationsFailed}`;
}

// ---- main ----------------------------------------------------------------------------------------
const startedAt = new Date();
const loadAtStart = loadavg();
log(`load average at start: ${loadAtStart}; servers ${SERVERS.join(', ')}`);
const dbName = `bench_load_${Date.now()}_${randomBytes(3).toString('hex')}`;
const queueName = `bench-load-${Date.now()}-${randomBytes(3).toString('hex')}`;
const results: ServerResult[] = [];
/** Rounds 2… (capacity only): the echo bot's and this bot's turns/s and CPU ms per turn, and their errors. */
const extraRounds: { echo: number; bot: number; echoCpu: number; botCpu: number; botMachine: MachineCpuPerTurn | null; errors: number }[] = [];
const botEnv = (): Record<string, string> => ({ BENCH_DATABASE_URL: dbUrl(dbName), BENCH_QUEUE: queueName, BENCH_REDIS_URL: REDIS_URL, BENCH_SLA_MODE: SLA_MODE });
let filedInDb = 0;
let pgVersion = '';
let dbCreated = false;
try {
  if (SERVERS.includes('bot') || SERVERS.includes('dialog-pg')) {
    await withClient(SERVER_URL, (c) => c.query(`CREATE DATABASE ${escapeIdentifier(dbName)}`));
    dbCreated = true;
    await migrate({ databaseUrl: dbUrl(dbName) });
    const db = createDatabase({ databaseUrl: dbUrl(dbName), poolSize: 2 });
    await seedDemoData(db);
    await db.$disconnect();
    log(`private database ${dbName} migrated and seeded; SLA queue ${queueName}`);
  }
  for (const name of SERVERS) {
    const env: Record<string, string> = name === 'bot'
      ? botEnv()
      : name === 'dialog-pg' ? { BENCH_DIALOG_STORE: 'postgres', BENCH_DATABASE_URL: dbUrl(dbName) }
      : name === 'dialog-memory' ? { BENCH_DIALOG_STORE: 'memory' }
      : {};
    results.push(await measure(name, env));
  }
  // Further rounds of the two capacities the bar compares, alternately (see the comment at the top).
  if (SERVERS.includes('echo') && SERVERS.includes('bot') && PHASES.includes('capacity')) {
    for (let round = 2; round <= ROUNDS; round++) {
      log(`round ${round} of ${ROUNDS}: the echo bot's and this bot's capacity again`);
      const echoAgain = await measure('echo', {}, ['capacity']);
      const botAgain = await measure('bot', botEnv(), ['capacity']);
      extraRounds.push({ echo: echoAgain.capacity.turnsPerSecond, bot: botAgain.capacity.turnsPerSecond, echoCpu: echoAgain.cpuPerTurn.capacity, botCpu: botAgain.cpuPerTurn.capacity, botMachine: botAgain.machine, errors: errorCount(echoAgain.capacity.counters) + errorCount(botAgain.capacity.counters) + botAgain.capacity.counters.conversationsFailed + echoAgain.capacity.counters.conversationsFailed });
    }
  }
  if (SERVERS.includes('bot')) {
    await withClient(dbUrl(dbName), async (c) => {
      filedInDb = Number((await c.query('SELECT count(*) AS n FROM complaint')).rows[0].n);
      pgVersion = (await c.query('SHOW server_version')).rows[0].server_version as string;
    });
  }
} finally {
  if (dbCreated && !KEEP_DB) await withClient(SERVER_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(dbName)} WITH (FORCE)`));
  if (SERVERS.includes('bot')) {
    const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await (await queue.getBackend().client).del(queue.toKey('sla-reconciled-at')).catch(() => undefined);
    await queue.close();
  }
}

// ---- report --------------------------------------------------------------------------------------
const by = (name: ServerName) => results.find((r) => r.name === name);
const bot = by('bot');
const echo = by('echo');
const firstRatio = bot && echo ? bot.capacity.turnsPerSecond / echo.capacity.turnsPerSecond : NaN;
const rounds = bot && echo
  ? [{ echo: echo.capacity.turnsPerSecond, bot: bot.capacity.turnsPerSecond, echoCpu: echo.cpuPerTurn.capacity, botCpu: bot.cpuPerTurn.capacity, botMachine: bot.machine }, ...extraRounds]
  : [];
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
// The bar's ratio: the median of the rounds' ratios (one round: the first pass's).
const ratio = rounds.length ? median(rounds.map((r) => r.bot / r.echo)) : NaN;
const botP99 = bot ? stats(bot.latency.latencies).p99 : NaN;
// The bar is over the issue's three servers; the two reference bots' errors are reported apart.
const isReference = (r: ServerResult) => r.name === 'dialog-memory' || r.name === 'dialog-pg';
const errorsOf = (rs: ServerResult[]) => rs.reduce((n, r) => n + errorCount(r.capacity.counters) + errorCount(r.latency.counters), 0);
const turnErrors = errorsOf(results.filter((r) => !isReference(r))) + extraRounds.reduce((n, r) => n + r.errors, 0);
const failedConversations = results.filter((r) => !isReference(r)).reduce((n, r) => n + r.capacity.counters.conversationsFailed + r.latency.counters.conversationsFailed, 0);
const referenceErrors = errorsOf(results.filter(isReference));
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '—');
const yes = (ok: boolean) => (ok ? 'met' : '**not met**');

const rows = results.map((r) => {
  const cap = stats(r.capacity.latencies);
  const lat = stats(r.latency.latencies);
  const errs = (p: PhaseResult) => {
    const c = p.counters;
    const bad = Object.entries(c.outcomes).filter(([k, v]) => k !== 'ok' && v > 0).map(([k, v]) => `${k} ${v}`);
    return `${errorCount(c)}${bad.length ? ` (${bad.join(', ')})` : ''}`;
  };
  return `| ${LABELS[r.name]} | **${fmt(r.capacity.turnsPerSecond)}** | ${fmt(cap.p50, 1)} / ${fmt(cap.p99, 1)} | ${fmt(r.latency.turnsPerSecond)} | **${fmt(lat.p50, 1)} / ${fmt(lat.p99, 1)}** | ${fmt(lat.max, 1)} | ${errs(r.capacity)} / ${errs(r.latency)} | ${r.capacity.counters.conversationsOk + r.latency.counters.conversationsOk} / ${r.capacity.counters.conversationsFailed + r.latency.counters.conversationsFailed} | ${fmt(r.cpuPerTurn.capacity, 2)} |`;
});

// Where the whole machine's CPU went (capacity phase): the servers share the cores with PostgreSQL,
// Redis and the load generator, so a turn's cost to the machine is more than its server's own.
const machineRows = results.filter((r) => r.machine).map((r) => {
  const m = r.machine!;
  return `| ${LABELS[r.name]} | ${fmt(r.capacity.turnsPerSecond)} | ${fmt(m.server, 2)} | ${fmt(m.postgres, 2)} | ${fmt(m.redis, 2)} | ${fmt(m.generator, 2)} | ${fmt(m.rest, 2)} | **${fmt(m.busy, 2)}** | ${fmt(m.idle * 100, 0)} % |`;
});
const cores = os.cpus().length;
const botMachines = rounds.map((r) => r.botMachine).filter((m): m is MachineCpuPerTurn => m !== null);
const medianOf = (pick: (m: MachineCpuPerTurn) => number) => median(botMachines.map(pick));
const echoMedian = median(rounds.map((r) => r.echo));
// The machine time a turn may take at the bar: the cores' time shared out over 25 % of the echo bot's turns/s.
const budgetAtBar = (cores * 1000) / (0.25 * echoMedian);
const atTheBar = botMachines.length && Number.isFinite(budgetAtBar)
  ? `- **The bar against the machine.** 25 % of the echo bot's capacity (median of the rounds, ${fmt(echoMedian)} turns/s) is ${fmt(0.25 * echoMedian)} turns/s; at that rate the machine's ${cores} cores have ${fmt(budgetAtBar, 2)} ms of CPU per turn in all, for this bot's process, PostgreSQL, Redis and the load generator together. This bot's turn took ${fmt(medianOf((m) => m.busy), 2)} ms of the machine (median of the rounds): its own process ${fmt(medianOf((m) => m.server), 2)}, PostgreSQL ${fmt(medianOf((m) => m.postgres), 2)}, Redis ${fmt(medianOf((m) => m.redis), 2)}, the load generator ${fmt(medianOf((m) => m.generator), 2)}, the rest (the kernel's network and scheduling work) ${fmt(medianOf((m) => m.rest), 2)}.`
  : '';

const args = process.argv.slice(2).filter((a) => a !== '--no-write');
const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
const mem = `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;
const section = [
  `## Load: capacity and latency (\`npm run bench\`) — ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}; shared with other engineers' test runs), ${mem} RAM; Node ${process.version}${pgVersion ? `; PostgreSQL ${pgVersion}` : ''}. Load average at start: ${loadAtStart}; at the end: ${loadavg()}.`,
  `Command: \`${command}\`.`,
  '',
  `Each server alone in its own process (fork), the load generator (undici Pool, ${CONNECTIONS} keep-alive connections) in another; replies in the HTTP response (\`deliveryMode: 'expectReplies'\`). ${CONNECTIONS} simulated customers, each walking the whole zh-CN intake (13 turns: 我要投诉 … 确认提交) one turn at a time, then a new conversation; a bot conversation counts as OK only when the complaint number arrives (the echo servers: every turn echoed). Capacity: closed loop; warm-up at least ${WARMUP_S} s and until the customers had finished ${WARMUP_CONVERSATIONS} conversations between them (so the window sees the steady mix of turns, complaint filings included, not every customer at its first question; at most ${MAX_WARMUP_S} s — here ${results.map((r) => `${r.name} ${fmt(r.capacity.warmupS, 1)} s`).join(', ')}); turns completed in the next ${DURATION_S} s. Latency: then open loop with the same customers (mid-conversation), ${RATE} turns/s offered (${ARRIVALS === 'poisson' ? 'Poisson arrivals' : 'evenly spaced'}, each customer on average one turn every ${fmt(CONNECTIONS / RATE, 2)} s), ${WARMUP_S} s warm-up, ${DURATION_S} s measured, latency from the scheduled send time (a turn waiting for its customer's previous reply counts its wait). Request timeout ${TIMEOUT_MS} ms.`,
  '',
  '| server | capacity turns/s | closed-loop latency p50 / p99 ms | open loop achieved turns/s | **latency p50 / p99 ms at fixed load** | max ms | errors capacity / latency | conversations OK / failed | server CPU ms per turn |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  ...(bot ? [
    ...(rounds.length > 1 ? [
      `- **Capacity ratio (this bot / echo bot), median of ${rounds.length} rounds: ${fmt(ratio * 100, 1)} %** — bar ≥ 25 %: ${yes(ratio >= 0.25)}. Round by round (the echo bot, then this bot, each in a fresh process; round 1 is the table's): ${rounds.map((r, i) => `${i + 1}. ${fmt(r.echo)} and ${fmt(r.bot)} turns/s, ${fmt((r.bot / r.echo) * 100, 1)} %`).join('; ')}. Server CPU per turn, echo bot / this bot, median of the rounds: ${fmt(median(rounds.map((r) => r.echoCpu)), 2)} / ${fmt(median(rounds.map((r) => r.botCpu)), 2)} ms (${fmt(median(rounds.map((r) => r.echoCpu / r.botCpu)) * 100, 1)} %).`,
    ] : [`- **Capacity ratio (this bot / echo bot): ${fmt(ratio * 100, 1)} %** — bar ≥ 25 %: ${yes(ratio >= 0.25)}.`]),
    `- **p99 at ${RATE} turns/s: ${fmt(botP99, 1)} ms** — bar < 150 ms: ${yes(botP99 < 150)}.`,
    `- Turn errors (HTTP errors, timeouts, apologies, empty replies) in the measured windows, restify, echo bot and this bot${extraRounds.length ? ', every round' : ''}: ${turnErrors}; conversations failed: ${failedConversations} — bar none: ${yes(turnErrors + failedConversations === 0)}.${results.some(isReference) ? ` The reference bots (not under the bar): ${referenceErrors} turn errors.` : ''} Bot log lines at warn / error: ${bot.logLines.warn} / ${bot.logLines.error}.`,
    `- Complaints in the bench database at the end: ${filedInDb} (conversations OK in the windows: ${bot.capacity.counters.conversationsOk + bot.latency.counters.conversationsOk}; the rest were filed during warm-ups and drains).`,
    `- The bot: createApp as \`npm start\` builds it (NODE_ENV production, LOG_LEVEL warn, the local analyzer, DATABASE_POOL_SIZE ${bot.info.poolSize}), SLA_MODE ${bot.info.slaMode} on a private queue (every filed complaint's timers scheduled in Redis, the worker in the bot's process), the per-address and per-user message budgets taken on every turn (each customer with its own address behind one trusted proxy hop; limits set above the load), a private database migrated and seeded (demo departments and staff) for the run and dropped after it. Open-loop turns sent late (previous turn of the customer still in flight): ${bot.latency.sentLate}; the generator's largest timer lag ${fmt(bot.latency.maxTimerLagMs, 1)} ms.`,
  ] : []),
  ...(echo && (by('dialog-memory') || by('dialog-pg')) ? [
    `- Reference points, not bars (capacity as a share of the echo bot's): ${[by('dialog-memory') && `dialog state in memory ${fmt((by('dialog-memory')!.capacity.turnsPerSecond / echo.capacity.turnsPerSecond) * 100, 1)} %`, by('dialog-pg') && `dialog state in PostgreSQL ${fmt((by('dialog-pg')!.capacity.turnsPerSecond / echo.capacity.turnsPerSecond) * 100, 1)} %`, bot && `this bot ${fmt(firstRatio * 100, 1)} %`].filter(Boolean).join('; ')}.${bot && by('dialog-pg') ? ` This bot's capacity is ${fmt((bot.capacity.turnsPerSecond / by('dialog-pg')!.capacity.turnsPerSecond) * 100, 1)} % of the PostgreSQL-state dialog bot's.` : ''}`,
  ] : []),
  ...(machineRows.length ? [
    '',
    `Where the machine's CPU went in the capacity phase, ms per turn (from /proc; the servers share the ${cores} cores with PostgreSQL, Redis and the load generator):`,
    '',
    '| server | capacity turns/s | server process | PostgreSQL | Redis | load generator | rest (kernel, other processes) | **machine in all** | cores left idle |',
    '|---|---|---|---|---|---|---|---|---|',
    ...machineRows,
    ...(atTheBar ? ['', atTheBar] : []),
  ] : []),
  ...(NOTE ? ['', NOTE] : []),
  '',
].join('\n');
console.log(`\n${section}`);
if (CPU_PROF) log(`CPU profiles: ${readdirSync('var/bench-prof').join(', ')} in var/bench-prof (node scripts/bench/top-frames.ts <file>)`);
if (WRITE_DOC) appendFileSync(new URL('../docs/benchmarks.md', import.meta.url), `\n${section}`);
process.exit(0);
