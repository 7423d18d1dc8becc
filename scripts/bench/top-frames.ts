// `npx tsx scripts/bench/top-frames.ts <file.cpuprofile> [N]`: the N functions with the most self
// time in a V8 CPU profile (node --cpu-prof; `npm run bench -- --cpu-prof` profiles the bot's
// server), and the same grouped by package/file, to see where a turn's time goes.
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
const [file, n = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: top-frames.ts <file.cpuprofile> [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const node of profile.nodes) {
  const ms = selfMs.get(node.id) ?? 0;
  const url = node.callFrame.url.replace(/^file:\/\/\/work\/main\//, '');
  const fn = `${node.callFrame.functionName || '(anonymous)'} ${url}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  const group = url.startsWith('node_modules/') ? url.split('/').slice(0, url.startsWith('node_modules/@') ? 3 : 2).join('/') : url || node.callFrame.functionName;
  byFile.set(group, (byFile.get(group) ?? 0) + ms);
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (total ${total.toFixed(0)} ms sampled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${v.toFixed(0).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
};
show('Self time by function', byFunction);
show('Self time by file / package', byFile);

// With a third argument: the call paths (5 frames up) that lead to functions matching it, by self time.
const focus = process.argv[4];
if (focus) {
  const parent = new Map<number, Node>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node);
  const paths = new Map<string, number>();
  for (const node of profile.nodes) {
    if (!new RegExp(focus).test(node.callFrame.functionName)) continue;
    const chain: string[] = [];
    for (let p = parent.get(node.id); p && chain.length < 8; p = parent.get(p.id)) {
      chain.push(`${p.callFrame.functionName || '(anon)'}@${p.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '')}:${p.callFrame.lineNumber + 1}`);
    }
    const key = chain.join(' < ');
    paths.set(key, (paths.get(key) ?? 0) + (selfMs.get(node.id) ?? 0));
  }
  console.log(`\nCallers of /${focus}/`);
  for (const [k, v] of [...paths].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${v.toFixed(0).padStart(8)} ms  ${k}`);
}

// Inclusive time of the project's own functions (bot/, dialogs/, services/): where a turn's time goes.
if (process.argv.includes('--inclusive')) {
  const parent = new Map<number, Node>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node);
  const inclusive = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (!ms) continue;
    const seen = new Set<string>();
    for (let p: Node | undefined = node; p; p = parent.get(p.id)) {
      const url = p.callFrame.url.replace(/^file:\/\/\/work\/main\//, '');
      if (!/^(bot|dialogs|services)\//.test(url)) continue;
      const key = `${p.callFrame.functionName || '(anonymous)'} ${url}:${p.callFrame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  show('Inclusive time of project functions', inclusive);
}
