// `npm run triage` as an operator runs it: JSON lines in, one decision (or error) line out per
// input line, exit code 1 after any bad line, readable messages, no stack traces.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function runCli(script: string, input: string, env: Record<string, string> = {}, args: string[] = []) {
  // The local analyzer and the shipped policy, whatever the developer's environment says.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AZURE_|POLICY_FILE$)/.test(k)));
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { input, encoding: 'utf8', env: { ...clean, ...env }, timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}
const triageCli = (input: string, env?: Record<string, string>) => {
  const r = runCli('services/triage/triage-cli.ts', input, env);
  return { ...r, lines: r.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
};
const runEval = (file: string) => runCli('services/triage/eval-cli.ts', '', {}, [file]);

describe('npm run triage', () => {
  it('answers each line with tier, urgent and reasons', () => {
    const input = [
      JSON.stringify({ text: '我已经请了律师', claimedLossYuan: 800_000, businessLine: 'insurance' }),
      JSON.stringify({ text: 'The app is slow' }),
      JSON.stringify({ text: '理赔太慢', claimedLossYuan: '8万' }),
      JSON.stringify({ text: '理赔太慢', isRepeat: true }),
    ].join('\n');
    const { code, lines, err } = triageCli(`${input}\n`);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(lines.map((l) => [l.tier, l.urgent])).toEqual([
      ['L1', true],
      ['L3', false],
      ['L2', false],
      ['L2', false],
    ]);
    expect(lines[0]).toMatchObject({ policyVersion: '2026.2', amountYuan: 800_000, reasons: expect.arrayContaining([expect.objectContaining({ rule: 'l1.legal_dispute', words: ['律师'] })]) });
  });

  it('answers a bad line with an error line in its place, goes on, and exits 1 at the end', () => {
    const input = ['{"text": "我要找媒体"}', 'not json', '', '{"text": ""}', '{"claimedLossYuan": 5}', '{"text": "x", "claimedLossYuan": "lots"}', '{"text": "ok"}'].join('\n');
    const { code, lines, err } = triageCli(input);
    expect(code).toBe(1);
    expect(lines).toHaveLength(6); // the blank line gets no answer
    expect(lines[0]).toMatchObject({ tier: 'L2' });
    expect(lines[1]).toEqual({ error: expect.stringMatching(/^not valid JSON/), line: 2 });
    expect(lines[2]).toEqual({ error: 'text: must not be empty', line: 4 });
    expect(lines[3]).toEqual({ error: expect.stringContaining('text'), line: 5 });
    expect(lines[4]).toEqual({ error: expect.stringContaining('claimedLossYuan'), line: 6 });
    expect(lines[5]).toMatchObject({ tier: 'L3' });
    expect(err).toContain('4 of 7 input line(s) could not be triaged');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('uses the policy file named by POLICY_FILE, and refuses a broken one readably', () => {
    const dir = mkdtempSync(join(tmpdir(), 'triage-cli-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ version: 'test-1m', l1: { amountYuan: 1_000_000 } }));
    const { lines } = triageCli('{"text": "损失60万"}\n', { POLICY_FILE: good });
    expect(lines[0]).toMatchObject({ tier: 'L2', policyVersion: 'test-1m' });

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 'x', l1: { amountYuan: 'lots' } }));
    const broken = triageCli('{"text": "x"}\n', { POLICY_FILE: bad });
    expect(broken.code).toBe(1);
    expect(broken.out).toBe('');
    expect(broken.err).toContain(`Invalid complaint policy in ${bad}`);
    expect(broken.err).toContain('l1.amountYuan');
    expect(broken.err).not.toMatch(/\n\s+at /);
  });
});

describe('npm run eval:triage', () => {
  it('passes on the development set', () => {
    const dev = runEval('test/triage/cases.dev.jsonl');
    expect(dev.out).toContain('== cases.dev.jsonl');
    expect(dev.code, dev.out).toBe(0);
  });

  it('prints accuracy, per-tier precision and recall, the confusion matrix and the misses, and exits 1 below the bar', () => {
    const dir = mkdtempSync(join(tmpdir(), 'triage-eval-'));
    const file = join(dir, 'cases.sample.jsonl');
    writeFileSync(
      file,
      [
        { text: '我已经请了律师', expectedTier: 'L1', expectedUrgent: true },
        { text: '理赔太慢', expectedTier: 'L3' },
        { text: '理赔太慢', expectedTier: 'L2', note: 'deliberately wrong label' },
      ]
        .map((c) => JSON.stringify(c))
        .join('\n'),
    );
    const sample = runEval(file);
    expect(sample.code).toBe(1);
    expect(sample.out).toContain('== cases.sample.jsonl: 3 cases');
    expect(sample.out).toContain('accuracy 66.7 % (2/3)');
    expect(sample.out).toMatch(/L1\s+100\.0 %\s+100\.0 %/);
    expect(sample.out).toContain('confusion (rows expected, columns predicted)');
    expect(sample.out).toContain('line 3: expected L2, got L3');
    expect(sample.out).toContain('FAIL: accuracy 66.7 % is below 95.0 %');
  });
});
