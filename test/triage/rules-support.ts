// The pure triage rules with a neutral text analysis, so only the rules decide: the helpers every
// phrasing test of test/triage/ uses.
import { DEFAULT_POLICY } from '../../services/policy/policy';
import type { TextAnalysis } from '../../services/text-analysis/text-analysis';
import { triage } from '../../services/triage/triage';
import type { TriageDecision, TriageFacts } from '../../services/triage/triage-types';

export const NEUTRAL: TextAnalysis = {
  language: 'zh',
  sentiment: { label: 'neutral', positive: 0, neutral: 1, negative: 0 },
  opinions: [],
  pii: [],
  redactedText: '',
  analyzer: 'local',
};

/** The shipped policy's decision on `text` (no intake amount, not a repeat, unless `facts` says so). */
export function judge(text: string, facts: Partial<TriageFacts> = {}): TriageDecision {
  return triage({ text, claimedLossYuan: null, isRepeat: false, ...facts }, NEUTRAL, DEFAULT_POLICY);
}

/** The rule names behind a decision. */
export const rules = (d: TriageDecision) => d.reasons.map((r) => r.rule);
