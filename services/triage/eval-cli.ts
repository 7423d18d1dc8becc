// `npm run eval:triage [-- file.jsonl …]`: evaluates triage on the labelled sets (default: every
// test/triage/cases.*.jsonl) through the same path as the bot and `npm run triage` (analyzer from
// the configuration, policy from POLICY_FILE or the shipped file), and prints per set: accuracy,
// per-tier precision and recall, the confusion matrix and the misclassified cases. Exit code 1 when
// a set misses the bar (evaluate.ts: L1 recall 100 %, accuracy ≥ 95 %; ≥ 90 % for the held-out set)
// or has lines that are not cases. A CLI rather than only a test, so the report is readable and
// can be run on any file; test/triage/eval.test.ts runs the same evaluation in CI.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../config';
import { loadPolicy, PolicyError } from '../policy/load-policy';
import { createTextAnalyzer } from '../text-analysis/create-analyzer';
import { parseLabelledSet } from './cases';
import { CASES_DIR, evaluateSet, formatSetResult, labelledSetFiles } from './evaluate';
import { createTriageService } from './triage-service';

async function main(): Promise<number> {
  loadDotEnvIfPresent();
  const config = loadConfig();
  const policy = loadPolicy(config.policyFile);
  const service = createTriageService({ analyzer: createTextAnalyzer(config), policy });
  const files = process.argv.slice(2).filter((a) => a !== '--');
  const sets = files.length > 0 ? files : labelledSetFiles();
  if (sets.length === 0) {
    process.stderr.write(`No labelled sets (${CASES_DIR}/cases.*.jsonl).\n`);
    return 1;
  }
  let ok = true;
  for (const file of sets) {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (err) {
      process.stderr.write(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      ok = false;
      continue;
    }
    const { cases, errors } = parseLabelledSet(content);
    const result = await evaluateSet(basename(file), cases, async (facts) => (await service.judge(facts)).decision);
    process.stdout.write(`${formatSetResult(result)}\n`);
    for (const e of errors) process.stdout.write(`  bad line ${e.line}: ${e.error}\n`);
    if (errors.length > 0) process.stdout.write(`FAIL: ${errors.length} line(s) of ${basename(file)} are not cases\n`);
    process.stdout.write('\n');
    ok &&= result.passed && errors.length === 0;
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof PolicyError) process.stderr.write(`Cannot evaluate triage.\n${err.message}\n`);
    else process.stderr.write(`Cannot evaluate triage: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
