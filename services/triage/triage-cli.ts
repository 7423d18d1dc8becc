// `npm run --silent triage < cases.jsonl`: one complaint per input line, {"text": …,
// "claimedLossYuan"?: …, "businessLine"?: …, "isRepeat"?: …}; one decision per line on stdout,
// {"tier", "urgent", "reasons", "discounted", "amountYuan", "policyVersion"}, through the same code
// path as the bot (the analyzer from the configuration — Azure with the local fallback, or the local
// analyzer — then triage under the loaded policy, POLICY_FILE honoured).
//
// A line that is not a complaint gives {"error": "…", "line": N} on stdout in its place, so output
// line k always answers input line k (blank input lines are skipped and answered by nothing); the
// run goes on and exits with code 1 at the end. A bad configuration or policy file stops it at once
// with a message on stderr and code 1. No stack traces.
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../config';
import { loadPolicy, PolicyError } from '../policy/load-policy';
import { createTextAnalyzer } from '../text-analysis/create-analyzer';
import { factsOf, parseJsonLine, triageInputSchema } from './cases';
import { createTriageService } from './triage-service';

async function main(): Promise<number> {
  loadDotEnvIfPresent();
  const config = loadConfig();
  const policy = loadPolicy(config.policyFile);
  const service = createTriageService({ analyzer: createTextAnalyzer(config), policy });

  let bad = 0;
  let lineNo = 0;
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const raw of input) {
    lineNo++;
    if (raw.trim() === '') continue;
    const parsed = parseJsonLine(raw.replace(/^\uFEFF/, ''), triageInputSchema);
    if (!parsed.ok) {
      bad++;
      write({ error: parsed.error, line: lineNo });
      continue;
    }
    try {
      const { decision } = await service.judge(factsOf(parsed.value));
      write({
        tier: decision.tier,
        urgent: decision.urgent,
        reasons: decision.reasons,
        discounted: decision.discounted ?? [],
        amountYuan: decision.amountYuan,
        policyVersion: decision.policyVersion,
      });
    } catch (err) {
      bad++;
      write({ error: `triage failed: ${err instanceof Error ? err.message : String(err)}`, line: lineNo });
    }
  }
  if (bad > 0) process.stderr.write(`${bad} of ${lineNo} input line(s) could not be triaged (see the "error" lines)\n`);
  return bad > 0 ? 1 : 0;
}

function write(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof PolicyError) process.stderr.write(`Cannot triage.\n${err.message}\n`);
    else process.stderr.write(`Cannot triage: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
