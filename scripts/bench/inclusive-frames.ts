// `npx tsx scripts/bench/inclusive-frames.ts <file.cpuprofile> [N] [filter]`: the N functions with the
// most inclusive time (self + everything they called) — where a turn's time goes by caller.
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const [file, n = '40', filter = ''] = process.argv.slice(2);
if (!file) throw new Error('usage: inclusive-frames.ts <file.cpuprofile> [N] [filter]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const name = (node: Node) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^file:\/\/\/work\/main\//, '')}:${node.callFrame.lineNumber + 1}`;
const inclusive = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  if (byId.get(id)?.callFrame.functionName === '(idle)') return;
  total += ms;
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const key = name(byId.get(cur)!);
    if (!seen.has(key)) { seen.add(key); inclusive.set(key, (inclusive.get(key) ?? 0) + ms); }
  }
});
console.log(`busy ${total.toFixed(0)} ms`);
for (const [key, ms] of [...inclusive].filter(([k]) => k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
  console.log(`${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}`);
}
