// Deadlines worked out by hand by someone else — a reviewer who saw only requirements.md and the
// State Council's holiday notices, not this code or its calendar file (provenance in the JSON) —
// compared with what `npm run deadlines` prints for the same tier, acceptance time and urgency.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDeadlinesCommand } from '../../services/deadlines/deadlines-command';

interface HandWorkedCase {
  name: string;
  tier: 'L1' | 'L2' | 'L3';
  urgent?: boolean;
  acceptedAt: string;
  deadlines: Record<string, string>;
  workings: string;
}

const file = JSON.parse(readFileSync(new URL('./hand-worked-by-reviewer.json', import.meta.url), 'utf8')) as { cases: HandWorkedCase[] };

function cli(argv: string[]): { tier: string; acceptedAt: string; deadlines: Record<string, string> } {
  const out: string[] = [];
  const warn: string[] = [];
  const code = runDeadlinesCommand(argv, { out: (line: string) => out.push(line), warn: (line: string) => warn.push(line), env: {} });
  expect(warn, 'the command warned').toEqual([]);
  expect(code).toBe(0);
  return JSON.parse(out.join('\n'));
}

describe('deadlines worked out by hand by a reviewer, 2025–2026', () => {
  it('has the cases the reviewer wrote', () => {
    expect(file.cases.length).toBe(40);
  });

  it.each(file.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const printed = cli(['--tier', c.tier, '--accepted', c.acceptedAt, ...(c.urgent ? ['--urgent'] : [])]);
    expect(printed.tier).toBe(c.tier);
    expect(printed.deadlines, c.workings).toEqual(c.deadlines);
  });
});
