// `npm run --silent deadlines -- …` as an operator runs it: one JSON line on stdout, times in the
// policy's zone with its offset, the kinds of the tier only and in order; bad arguments give one
// usage line on stderr and exit code 2; a year without calendar data gives a warning on stderr.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDeadlinesCommand } from '../../services/deadlines/deadlines-command';

/** Runs `npm run --silent deadlines -- …args` and resolves with its exit code and output. */
function deadlines(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  // The shipped policy, whatever the developer's environment says.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'POLICY_FILE'));
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'deadlines', '--', ...args], { encoding: 'utf8', env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, out: stdout, err: stderr });
    });
  });
}

describe('npm run deadlines', () => {
  it('prints the L2 deadlines of the example exactly', async () => {
    // Worked by hand in test/deadlines/deadline-tables.test.ts ("L2 accepted Mon 28 Sep 10:00, just after 中秋").
    const { code, out, err } = await deadlines('--tier', 'L2', '--accepted', '2026-09-28T10:00:00+08:00');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      '{"tier":"L2","acceptedAt":"2026-09-28T10:00:00+08:00","deadlines":{"toSupervisor":"2026-09-28T14:00:00+08:00",' +
        '"investigation":"2026-10-09T00:00:00+08:00","feedback":"2026-10-10T18:00:00+08:00","statutoryDecision":"2026-10-14T00:00:00+08:00"}}\n',
    );
  });

  it('gives L1 its around-the-clock windows, in key order, and shows a UTC input in +08:00', async () => {
    // 2026-09-30T15:59Z = Wed 30 Sep 23:59 in Beijing (see the tables: "L1 urgent accepted Wed 30 Sep 23:59").
    const { code, out, err } = await deadlines('--tier', 'L1', '--urgent', '--accepted', '2026-09-30T15:59:00Z');
    expect(err).toBe('');
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { tier: string; acceptedAt: string; deadlines: Record<string, string> };
    expect(Object.keys(parsed)).toEqual(['tier', 'acceptedAt', 'deadlines']);
    expect(parsed.acceptedAt).toBe('2026-09-30T23:59:00+08:00');
    expect(Object.keys(parsed.deadlines)).toEqual(['firstResponse', 'forwardToLeadership', 'leadershipMeeting', 'investigation', 'feedback', 'statutoryDecision']);
    expect(parsed.deadlines).toEqual({
      firstResponse: '2026-10-01T00:14:00+08:00',
      forwardToLeadership: '2026-10-01T00:59:00+08:00',
      leadershipMeeting: '2026-10-01T23:59:00+08:00',
      investigation: '2026-10-11T00:00:00+08:00',
      feedback: '2026-10-10T18:00:00+08:00',
      statutoryDecision: '2026-10-16T00:00:00+08:00',
    });
  });

  it('gives L3 no person windows; --urgent adds the first response', async () => {
    // Sat 3 Oct 2026 11:00, a holiday (tables: "L3 accepted Sat 3 Oct 11:00, on a holiday").
    const l3 = JSON.parse((await deadlines('--tier', 'L3', '--accepted', '2026-10-03T11:00:00+08:00')).out) as { deadlines: Record<string, string> };
    expect(l3.deadlines).toEqual({ investigation: '2026-10-14T00:00:00+08:00', feedback: '2026-10-15T18:00:00+08:00', statutoryDecision: '2026-10-20T00:00:00+08:00' });
    const urgent = JSON.parse((await deadlines('--tier=L3', '--urgent', '--accepted=2026-10-03T11:00:00+08:00')).out) as { deadlines: Record<string, string> };
    expect(Object.keys(urgent.deadlines)).toEqual(['firstResponse', 'investigation', 'feedback', 'statutoryDecision']);
    expect(urgent.deadlines.firstResponse).toBe('2026-10-03T11:30:00+08:00');
  });

  it('uses the policy file given with --policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deadlines-cli-'));
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ version: 'test-2h', l2: { toSupervisorHours: 2, feedbackBusinessDays: 3 } }));
    // 10:00 + 2 service hours = 12:00; 3 working days: Tue 29, Wed 30 Sep, [1–7 Oct], Thu 8 Oct.
    const { code, out, err } = await deadlines('--tier', 'L2', '--accepted', '2026-09-28T10:00:00+08:00', '--policy', file);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ deadlines: { toSupervisor: '2026-09-28T12:00:00+08:00', feedback: '2026-10-08T18:00:00+08:00' } });
  });

  it('warns on stderr when it runs past the calendar data, and still answers', async () => {
    const { code, out, err } = await deadlines('--tier', 'L2', '--accepted', '2027-02-05T10:00:00+08:00');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ deadlines: { feedback: '2027-02-12T18:00:00+08:00', statutoryDecision: '2027-02-23T00:00:00+08:00' } });
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^warning: .*no holiday data for 2027/);
  });

  it.each<[string, string[], RegExp]>([
    ['an unknown tier', ['--tier', 'L4', '--accepted', '2026-09-28T10:00:00+08:00'], /--tier must be L1, L2 or L3/],
    ['a time without offset', ['--tier', 'L2', '--accepted', '2026-09-28T10:00:00'], /--accepted must be an ISO 8601 date-time with an offset/],
  ])('refuses %s with one usage line on stderr and exit code 2', async (_label, args, message) => {
    const { code, out, err } = await deadlines(...args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).toMatch(/usage: npm run --silent deadlines -- --tier L1\|L2\|L3 --accepted/);
    expect(err.endsWith('\n')).toBe(true);
    expect(err.trimEnd()).not.toContain('\n');
  });
});

// Every argument check, in-process (the process-level behaviour is covered above).
describe('runDeadlinesCommand: bad arguments', () => {
  function run(args: string[], env: Record<string, string | undefined> = {}) {
    const out: string[] = [];
    const warn: string[] = [];
    const code = runDeadlinesCommand(args, { out: (l) => out.push(l), warn: (l) => warn.push(l), env });
    return { code, out, warn };
  }

  it.each<[string, string[], RegExp]>([
    ['no arguments', [], /--tier is required/],
    ['an unknown tier', ['--tier', 'L4', '--accepted', '2026-09-28T10:00:00+08:00'], /--tier must be L1, L2 or L3/],
    ['a lower-case tier', ['--tier', 'l2', '--accepted', '2026-09-28T10:00:00+08:00'], /--tier must be L1, L2 or L3/],
    ['no acceptance time', ['--tier', 'L2'], /--accepted is required/],
    ['a time without offset', ['--tier', 'L2', '--accepted', '2026-09-28T10:00:00'], /--accepted must be an ISO 8601 date-time with an offset/],
    ['an impossible date', ['--tier', 'L2', '--accepted', '2026-02-30T10:00:00+08:00'], /--accepted must be/],
    ['a date only', ['--tier', 'L2', '--accepted', '2026-09-28'], /--accepted must be/],
    ['a missing value', ['--tier', '--accepted', '2026-09-28T10:00:00+08:00'], /--tier needs a value/],
    ['an unknown flag', ['--tier', 'L2', '--accepted', '2026-09-28T10:00:00+08:00', '--fast'], /unknown argument "--fast"/],
    ['a repeated flag', ['--tier', 'L2', '--tier', 'L1', '--accepted', '2026-09-28T10:00:00+08:00'], /--tier given twice/],
    ['a missing policy file', ['--tier', 'L2', '--accepted', '2026-09-28T10:00:00+08:00', '--policy', '/nonexistent/policy.json'], /invalid policy file .*does not exist/],
      ['--accepted with no value', ['--tier', 'L2', '--accepted'], /--accepted needs a value/],
    ['an hour out of range', ['--tier', 'L2', '--accepted', '2026-09-28T24:00:00+08:00'], /--accepted must be/],
    ['a bad offset', ['--tier', 'L2', '--accepted', '2026-09-28T10:00:00+8'], /--accepted must be/],
    ['--urgent twice', ['--tier', 'L2', '--urgent', '--urgent', '--accepted', '2026-09-28T10:00:00+08:00'], /--urgent given twice/],
  ])('refuses %s: one usage line, exit code 2, nothing on stdout', (_label, args, message) => {
    const { code, out, warn } = run(args);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatch(message);
    expect(warn[0]).toMatch(/usage: npm run --silent deadlines -- --tier L1\|L2\|L3 --accepted/);
    expect(warn[0]).not.toContain('\n');
  });

  it('refuses a broken POLICY_FILE the same way, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deadlines-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ version: 'bad', l2: { toSupervisorHours: -1 }, l9: {} }));
    const { code, warn } = run(['--tier', 'L2', '--accepted', '2026-09-28T10:00:00+08:00'], { POLICY_FILE: file });
    expect(code).toBe(2);
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatch(/invalid policy file .*bad\.json: .*l2\.toSupervisorHours.*; .*l9/);
    expect(warn[0]).not.toContain('\n');
  });

  it('prints the usage for --help', () => {
    const { code, out, warn } = run(['--help']);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^usage: /);
    expect(warn).toEqual([]);
  });
});
