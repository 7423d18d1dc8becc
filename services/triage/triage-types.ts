// The triage decision (R-TIER-EXPLAIN): the tier, whether it is urgent, and every reason that led
// there — which rule, which words, which score — under which policy version.
import type { TierName } from '../policy/policy';

export type TriageRule =
  | 'l1.amount_above_l1'
  | 'l1.legal_dispute'
  | 'l1.mass_incident'
  | 'l1.reputation_damage'
  | 'l2.amount_between_l3_and_l1'
  | 'l2.agitated_sentiment'
  | 'l2.insult'
  /** Words of fury (气死了, 忍无可忍, furious): agitated, whatever the sentiment score. */
  | 'l2.anger'
  | 'l2.repeated_exclamation'
  | 'l2.all_caps'
  | 'l2.threat'
  | 'l2.media_threat'
  | 'l2.regulator_involved'
  | 'urgent.self_harm_or_violence'
  /** An L1 complaint is urgent as well: its supervisor is told at once (policy urgent.l1InitialResponseMinutes). */
  | 'urgent.l1'
  /** The intake answer said there is no loss (0): amounts in the text are not read as one. */
  | 'amount.intake_no_loss'
  | 'repeat_complaint'
  | 'l3.default'
  | 'analysis.fallback';

export interface TriageReason {
  rule: TriageRule;
  /** The tier this reason argues for (null for notes such as an analyzer fallback). */
  tier: TierName | null;
  /** The words in the text that triggered it. */
  words?: string[];
  /** A score that triggered it (sentiment negativity, amount in yuan…). */
  score?: number;
  detail?: string;
}

export interface TriageFacts {
  text: string;
  /** The intake answer; when null the amount is looked for in the text. */
  claimedLossYuan: number | null;
  businessLine?: 'insurance' | 'securities';
  /** Same complainant, same matter, within the policy's repeat window. */
  isRepeat: boolean;
}

/** A signal word that was seen but did not count, and why — so a reviewer sees what was weighed. */
export interface DiscountedSignal {
  rule: TriageRule;
  words: string[];
  why: 'negated' | 'hypothetical' | 'not_yet_happened';
  /** The word that discounted it: 不打算, 如果, not, 找记者 (a threat, not yet a journalist)… */
  marker: string;
}

export interface TriageDecision {
  tier: TierName;
  urgent: boolean;
  reasons: TriageReason[];
  policyVersion: string;
  /** The amount triage used, from the intake answer or the text. */
  amountYuan: number | null;
  /** Signal words that were negated, hypothetical or only a threat (see DiscountedSignal). */
  discounted?: DiscountedSignal[];
}
