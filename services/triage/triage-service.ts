// Triage as the bot and the CLIs run it: analyse the text (Azure AI Language with the local
// fallback, or the local analyzer alone — see createTextAnalyzer), then apply the pure triage rules
// under the loaded policy. One code path for the bot, `npm run triage` and `npm run eval:triage`.
import type { ComplaintPolicy } from '../policy/policy-schema';
import type { TextAnalysis, TextAnalyzer } from '../text-analysis/text-analysis';
import { triage } from './triage';
import type { TriageDecision, TriageFacts } from './triage-types';

export interface TriageService {
  readonly policy: ComplaintPolicy;
  /** The decision, and the analysis it was based on (for redacted transcripts and events). */
  judge(facts: TriageFacts, options?: { languageHint?: 'zh' | 'en' }): Promise<{ decision: TriageDecision; analysis: TextAnalysis }>;
}

export function createTriageService({ analyzer, policy }: { analyzer: TextAnalyzer; policy: ComplaintPolicy }): TriageService {
  return {
    policy,
    async judge(facts, options) {
      const analysis = await analyzer.analyze(facts.text, options);
      return { decision: triage(facts, analysis, policy), analysis };
    },
  };
}
