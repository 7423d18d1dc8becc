// Debug helper for `npm run bench`: CPU per query through Prisma (the product's client) against the
// same query through pg directly, sequentially on a private database — what each query of a turn costs
// the bot's process. `npx tsx scripts/bench/prisma-micro.ts [N]` (needs bench_load_dev: scripts/bench/serve.ts).
import pg from 'pg';
import { createDatabase } from '../../services/db/client';

const url = 'postgresql://postgres@127.0.0.1:5432/bench_load_dev';
const n = Number(process.argv[2] ?? 500);
const db = createDatabase({ databaseUrl: url, poolSize: 2 });
const client = new pg.Client({ connectionString: url });
await client.connect();
const key = { channelId: 'webchat', conversationId: 'nobody' };
async function measure(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await fn();
  const s = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const u = process.cpuUsage(s);
  console.log(`${label}: ${((u.user + u.system) / 1000 / n).toFixed(3)} ms CPU, ${((performance.now() - t) / n).toFixed(2)} ms wall per query`);
}
await measure('prisma findFirst handoff_request', () => db.handoffRequest.findFirst({ where: { channelId: key.channelId, conversationId: key.conversationId, status: { in: ['requested', 'accepted'] } }, select: { id: true } }));
await measure('prisma $queryRaw select', () => db.$queryRaw`SELECT key, data, etag FROM bot_state WHERE key = ${'x'}`);
await measure('pg query select', () => client.query('SELECT key, data, etag FROM bot_state WHERE key = $1', ['x']));
await client.end();
await db.$disconnect();
