// Debug helper for `npm run bench`: runs the bot's bench server in the foreground on a kept private
// database (bench_load_dev: created, migrated and seeded when missing; drop it and the queue's keys,
// bull:bench-load-dev:*, when done) and prints its URL. BENCH_NODE_FLAGS="--trace-gc …": flags for the
// server's node; PROF=1 writes a CPU profile to var/bench-prof when it stops (SIGINT/SIGTERM).
import { fork } from 'node:child_process';
import { Client } from 'pg';
import { createDatabase } from '../../services/db/client';
import { migrate } from '../../services/db/migrate';
import { seedDemoData } from '../../services/db/seed-demo-data';

const url = 'postgresql://postgres@127.0.0.1:5432/bench_load_dev';
const admin = new Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
if ((await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'bench_load_dev'`)).rowCount === 0) await admin.query('CREATE DATABASE bench_load_dev');
await admin.end();
await migrate({ databaseUrl: url });
const db = createDatabase({ databaseUrl: url, poolSize: 2 });
await seedDemoData(db);
await db.$disconnect();
const child = fork(process.env.BENCH_SERVER_SCRIPT ?? 'scripts/bench/complaint-bot-server.ts', [], {
  execArgv: ['--import', 'tsx', ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=var/bench-prof'] : [])],
  env: { ...process.env, BENCH_DATABASE_URL: url, BENCH_QUEUE: 'bench-load-dev' },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
child.on('message', (m) => console.log('URL', JSON.stringify(m)));
child.on('exit', () => process.exit(0));
process.on('SIGINT', () => child.kill('SIGTERM'));
process.on('SIGTERM', () => child.kill('SIGTERM'));
