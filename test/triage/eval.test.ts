// CI's check of the triage bar on every labelled set (test/triage/cases.*.jsonl): the same
// evaluation as `npm run eval:triage`, with the local analyzer and the shipped policy so the result
// does not depend on a network service. Bar (services/triage/evaluate.ts): L1 recall 100 %, accuracy
// ≥ 95 % — ≥ 90 % on the held-out set written by someone else.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { createLocalAnalyzer } from '../../services/text-analysis/local-analyzer';
import { parseLabelledSet } from '../../services/triage/cases';
import { barFor, evaluateSet, formatSetResult, labelledSetFiles, MIN_ACCURACY, MIN_L1_RECALL } from '../../services/triage/evaluate';
import { createTriageService } from '../../services/triage/triage-service';

const service = createTriageService({ analyzer: createLocalAnalyzer(), policy: DEFAULT_POLICY });
const sets = labelledSetFiles();

describe('triage evaluation', () => {
  it('has the issue’s bar and a development set of at least 150 complaints', () => {
    expect(MIN_L1_RECALL).toBe(1);
    expect(MIN_ACCURACY).toBe(0.95);
    expect(sets.map((f) => basename(f))).toContain('cases.dev.jsonl');
    const dev = parseLabelledSet(readFileSync(sets.find((f) => f.endsWith('cases.dev.jsonl'))!, 'utf8'));
    expect(dev.cases.length).toBeGreaterThanOrEqual(150);
    expect(dev.cases.some((c) => !/\p{Script=Han}/u.test(c.text))).toBe(true);
  });

  it.each(sets.map((f) => [basename(f), f]))('%s meets the bar', async (name, file) => {
    const { cases, errors } = parseLabelledSet(readFileSync(file, 'utf8'));
    expect(errors, `lines of ${name} that are not cases`).toEqual([]);
    const result = await evaluateSet(name, cases, async (facts) => (await service.judge(facts)).decision, barFor(name));
    expect(result.passed, formatSetResult(result)).toBe(true);
  });
});
