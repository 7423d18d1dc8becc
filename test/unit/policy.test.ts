import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config';
import { loadPolicy, PolicyError } from '../../services/policy/load-policy';
import { DEFAULT_POLICY, feedbackBusinessDays, SHIPPED_POLICY_PATH } from '../../services/policy/policy';
import { complaintPolicySchema } from '../../services/policy/policy-schema';
import { routeToDepartment } from '../../services/policy/route-department';

const dir = mkdtempSync(join(tmpdir(), 'policy-test-'));
let n = 0;
function file(content: unknown): string {
  const path = join(dir, `policy-${++n}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
function policyError(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return err as PolicyError;
  }
  throw new Error('expected a PolicyError');
}

describe('the shipped policy file', () => {
  it('validates and is DEFAULT_POLICY', () => {
    const raw: unknown = JSON.parse(readFileSync(SHIPPED_POLICY_PATH, 'utf8'));
    expect(complaintPolicySchema.safeParse(raw).success).toBe(true);
    expect(DEFAULT_POLICY).toEqual(raw);
    expect(DEFAULT_POLICY.version).toBe('2026.2');
  });

  it('holds every value of the Defaults table in requirements.md', () => {
    expect(DEFAULT_POLICY).toMatchObject({
      urgent: { initialResponseMinutes: 30, l1InitialResponseMinutes: 15 },
      l1: { amountYuan: 500_000, forwardToLeadershipMinutes: 60, meetingHours: 24, feedbackBusinessDays: 3 },
      l2: { toSupervisorHours: 4, investigateBusinessDays: 5, replyHoursAfterResult: 4, feedbackBusinessDays: 5 },
      l3: { amountYuan: 50_000, feedbackBusinessDays: 7 },
      investigation: { days: 10, maxDays: 30, extendedMaxDays: 60 },
      statutory: { decisionDays: 15 },
      survey: { delayHours: 24, reminderAfterHours: 48, noResponseAfterDays: 7 },
      review: { windowDays: 30 },
      compensationApproval: { teamLeadMaxYuan: 10_000, departmentHeadMaxYuan: 100_000 },
      retention: { insuranceYears: 3, securitiesYears: 5 },
      monthlyReport: { byBusinessDay: 5 },
      alertLadder: { l1: { supervisorAfterMinutes: 0, leadershipAfterMinutes: 60 }, l2: { supervisorAfterMinutes: 30, leadershipAfterBusinessHours: 4 } },
      repeat: { windowDays: 30 },
      triage: { agitation: { negativeSentimentThreshold: 0.85, repeatedExclamationMin: 3 } },
    });
    expect(feedbackBusinessDays(DEFAULT_POLICY, 'L1')).toBe(3);
    expect(feedbackBusinessDays(DEFAULT_POLICY, null)).toBe(7);
  });

  it('cannot be changed by a caller', () => {
    expect(() => {
      (DEFAULT_POLICY.l1 as { amountYuan: number }).amountYuan = 1;
    }).toThrow(TypeError);
  });

  it('has Chinese and English words for every triage signal', () => {
    for (const [name, v] of Object.entries(DEFAULT_POLICY.triage.signals)) {
      expect(v.zh.length, name).toBeGreaterThan(5);
      expect(v.en.length, name).toBeGreaterThan(5);
    }
  });
});

describe('loadPolicy', () => {
  it('without a file is the shipped policy', () => {
    expect(loadPolicy()).toBe(DEFAULT_POLICY);
    expect(loadPolicy('  ')).toBe(DEFAULT_POLICY);
    expect(loadPolicy(SHIPPED_POLICY_PATH.pathname)).toEqual(DEFAULT_POLICY);
  });

  it('merges an override over the shipped file: objects key by key, arrays replaced', () => {
    const policy = loadPolicy(
      file({
        version: '2026.1-sz',
        l1: { amountYuan: 1_000_000 },
        triage: { agitation: { negativeSentimentThreshold: 0.9 }, signals: { insult: { zh: ['蠢'], en: ['dumb'], exclude: [] } } },
      }),
    );
    expect(policy.version).toBe('2026.1-sz');
    expect(policy.l1).toEqual({ ...DEFAULT_POLICY.l1, amountYuan: 1_000_000 });
    expect(policy.triage.agitation).toEqual({ negativeSentimentThreshold: 0.9, repeatedExclamationMin: 3 });
    expect(policy.triage.signals.insult.zh).toEqual(['蠢']);
    expect(policy.triage.signals.threat).toEqual(DEFAULT_POLICY.triage.signals.threat);
    expect(policy.l3).toEqual(DEFAULT_POLICY.l3);
  });

  it('names the file and every bad key of a broken override', () => {
    const path = file({
      version: '2026.2',
      l1: { amountYuan: 'lots', meetingHours: -1 },
      l3: { amountYuan: 900_000 },
      serviceHours: { start: '9am' },
      triage: { agitation: { negativeSentimentThreshold: 1.5 }, signals: { legalDisput: { zh: [], en: [], exclude: [] } } },
      routing: { defaultDepartment: 'customer service' },
    });
    const err = policyError(() => loadPolicy(path));
    expect(err.message).toContain(`Invalid complaint policy in ${path}`);
    const problems = err.problems.join('\n');
    for (const key of [
      'l1.amountYuan',
      'l1.meetingHours',
      'serviceHours.start',
      'triage.agitation.negativeSentimentThreshold',
      'triage.signals.legalDisput: unknown key',
      'routing.defaultDepartment',
    ]) {
      expect(problems).toContain(key);
    }
    expect(problems).toContain('"lots"');
    expect(err.message).not.toMatch(/\bat .+:\d+:\d+/); // no stack frames in the message
  });

  it('checks rules across keys', () => {
    const err = policyError(() => loadPolicy(file({ version: 'x', l3: { amountYuan: 600_000 } })));
    expect(err.problems).toEqual([expect.stringContaining('l3.amountYuan: must be below l1.amountYuan (500000)')]);
  });

  it('requires an override to name its version, and says so', () => {
    expect(policyError(() => loadPolicy(file({ l1: { amountYuan: 1 } }))).problems[0]).toMatch(/^version: an override file must name its own policy version/);
  });

  it('reports a missing file, bad JSON and a non-object readably', () => {
    expect(policyError(() => loadPolicy(join(dir, 'nope.json'))).message).toContain('the file does not exist');
    expect(policyError(() => loadPolicy(file('{"version": "1",'))).problems[0]).toMatch(/^not valid JSON/);
    expect(policyError(() => loadPolicy(file('[1, 2]'))).problems[0]).toMatch(/must be a JSON object/);
  });
});

describe('routing to the responsible department', () => {
  it.each([
    [{ businessLine: 'insurance', type: 'claims_dispute' }, 'CLAIMS'],
    [{ businessLine: 'insurance', type: 'insurance_product_inquiry' }, 'CS'],
    [{ businessLine: 'securities', type: 'securities_trading' }, 'BROKERAGE'],
    [{ businessLine: 'securities', type: 'investment_advice' }, 'BROKERAGE'],
    [{ businessLine: 'securities', type: 'other' }, 'BROKERAGE'],
    [{ businessLine: 'insurance', type: 'other' }, 'CS'],
    [{}, 'CS'],
  ] as const)('%o → %s', (complaint, department) => {
    expect(routeToDepartment(DEFAULT_POLICY, complaint)).toBe(department);
  });
});

describe('POLICY_FILE', () => {
  it('is optional and trimmed', () => {
    expect(loadConfig({}).policyFile).toBeUndefined();
    expect(loadConfig({ POLICY_FILE: ' ' }).policyFile).toBeUndefined();
    expect(loadConfig({ POLICY_FILE: ' /etc/policy.json ' }).policyFile).toBe('/etc/policy.json');
  });
});
