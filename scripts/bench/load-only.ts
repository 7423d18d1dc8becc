// Debug helper for `npm run bench`: closed-loop load against a server already running (BENCH_URL;
// scripts/bench/serve.ts), CONNECTIONS customers for SECONDS, prints turns/s — for profiling the
// server in its steady state (profile-on-signal.ts) without the bench's start-up and warm-up.
import { Customer, intakeScript, newPool } from './customers';
import { closedLoop } from './phases';

const url = process.env.BENCH_URL!;
const connections = Number(process.env.CONNECTIONS ?? 200);
const pool = newPool(url, connections);
// NO_FILING=1: every conversation stops before 确认提交 (ordinary turns only, to weigh them apart from filings).
const script = process.env.NO_FILING ? () => intakeScript().slice(0, -1) : intakeScript;
const customers = Array.from({ length: connections }, () => new Customer({ pool, kind: 'bot', timeoutMs: 15_000 }, script));
const result = await closedLoop(customers, { warmupS: Number(process.env.WARMUP ?? 5), durationS: Number(process.env.SECONDS ?? 15), warmupConversations: 0, maxWarmupS: 60 });
console.log(`turns/s ${result.turnsPerSecond.toFixed(0)}`, JSON.stringify(result.counters.outcomes), `ok ${result.counters.conversationsOk} failed ${result.counters.conversationsFailed}`);
await pool.close();
