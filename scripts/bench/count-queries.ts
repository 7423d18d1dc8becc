// Debug helper for `npm run bench`: the bot's bench server with every SQL statement counted (pg's
// Client.query patched); GET /bench/queries returns the counts since the last call, by statement.
import pg from 'pg';

const counts = new Map<string, number>();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function patched(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  const text = (typeof first === 'string' ? first : first?.text ?? '?').replace(/\s+/g, ' ').slice(0, 160);
  counts.set(text, (counts.get(text) ?? 0) + 1);
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;
(globalThis as { benchQueryCounts?: Map<string, number> }).benchQueryCounts = counts;
setInterval(() => {
  if (counts.size === 0) return;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  process.stderr.write(`QUERIES ${total}\n${[...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${String(v).padStart(5)}  ${k}`).join('\n')}\n`);
  counts.clear();
}, Number(process.env.COUNT_EVERY_MS ?? 5000)).unref();
await import('./complaint-bot-server');
