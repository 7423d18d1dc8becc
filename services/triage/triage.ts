// Triage (requirements R-TIER1/2/3, R-TIER-EXPLAIN, R-URGENT): the tier and urgency of a complaint
// from its facts, the text analysis and the policy. Pure: no I/O, no clock; the same inputs give
// the same decision (the jieba dictionary is loaded once on first use).
//
//   L1  loss above policy.l1.amountYuan (500 000 itself is not above) · a legal dispute · a mass
//       incident · reputation damage that already happened
//   L2  loss from policy.l3.amountYuan (inclusive) to the L1 amount · an agitated customer (negative
//       sentiment ≥ triage.agitation.negativeSentimentThreshold, insults and profanity, words of
//       fury, a run of triage.agitation.repeatedExclamationMin or more ！/! — ？/? count too: ？？？,
//       ?!?! —, threats) · a media threat · a regulator
//       already involved · a threat of self-harm or violence
//   L3  otherwise
// then: a repeat complaint goes up one tier (L3→L2, L2→L1; L1 stays). Urgent: a threat of self-harm
// or violence, and every L1 complaint (its supervisor is told at once; the policy gives L1 the
// shorter urgent window, urgent.l1InitialResponseMinutes).
//
// The amount is the intake answer when there is one, else the loss found in the text (amount.ts:
// a sum insured, a principal or an income is not taken for the loss). Which words count and which
// are negated or hypothetical: signals.ts.
import type { TextAnalysis } from '../text-analysis/text-analysis';
import type { ComplaintPolicy, TriageSignalName } from '../policy/policy-schema';
import type { TierName } from '../policy/policy';
import type { DiscountedSignal, TriageDecision, TriageFacts, TriageReason, TriageRule } from './triage-types';
import { findLossAmount, type AmountKind } from './amount';
import { findSignals } from './signals';
import { normalizeText } from './text';

const SIGNAL_RULES: Record<TriageSignalName, { rule: TriageRule; tier: TierName }> = {
  legalDispute: { rule: 'l1.legal_dispute', tier: 'L1' },
  massIncident: { rule: 'l1.mass_incident', tier: 'L1' },
  reputationDamage: { rule: 'l1.reputation_damage', tier: 'L1' },
  mediaThreat: { rule: 'l2.media_threat', tier: 'L2' },
  regulatorInvolved: { rule: 'l2.regulator_involved', tier: 'L2' },
  insult: { rule: 'l2.insult', tier: 'L2' },
  anger: { rule: 'l2.anger', tier: 'L2' },
  threat: { rule: 'l2.threat', tier: 'L2' },
  selfHarmOrViolence: { rule: 'urgent.self_harm_or_violence', tier: 'L2' },
};

const USED_AMOUNT: Record<AmountKind, string> = {
  loss: 'loss stated in the text',
  demanded: 'amount the customer demands back in full, from the text',
  total_loss: 'sum insured of a total loss (the whole sum is claimed), from the text',
  other: 'amount in the text',
  sum_insured: 'sum insured of a refused claim, from the text',
  principal: 'principal said to be lost, from the text',
  remaining: 'amount in the text',
  not_loss: 'amount in the text',
  difference: 'principal minus what is left of it, or the share of it lost, from the text',
};
const IGNORED_AMOUNT: Partial<Record<AmountKind, string>> = { sum_insured: 'sum insured', principal: 'principal', remaining: 'what is left' };

const RANK: Record<TierName, number> = { L1: 1, L2: 2, L3: 3 };
const UP: Record<TierName, TierName> = { L3: 'L2', L2: 'L1', L1: 'L1' };

export function triage(facts: TriageFacts, analysis: TextAnalysis, policy: ComplaintPolicy): TriageDecision {
  const text = normalizeText(facts.text);
  const reasons: TriageReason[] = [];

  // Amount.
  let amountYuan: number | null = null;
  let above = false;
  let amountSource = '';
  let amountWords: string[] | undefined;
  if (facts.claimedLossYuan === 0) {
    // "No loss" is an answer: it wins over amounts in the text (a frozen 8万 that was released).
    amountYuan = 0;
    reasons.push({ rule: 'amount.intake_no_loss', tier: null, score: 0, detail: 'the intake answer says there is no loss (0); amounts in the text are not read as a loss' });
  } else if (facts.claimedLossYuan !== null && facts.claimedLossYuan !== undefined && facts.claimedLossYuan > 0) {
    amountYuan = facts.claimedLossYuan;
    amountSource = 'claimed loss from the intake answer';
  } else {
    const found = findLossAmount(text, policy);
    if (found.used) {
      amountYuan = found.used.yuan;
      above = found.used.above;
      amountWords = [found.used.words];
      amountSource = USED_AMOUNT[found.used.kind];
      const range = found.used.range;
      if (range) {
        amountSource +=
          range.high === null
            ? `; ${found.used.words} is an order of magnitude: taken at its lower bound ${range.low}`
            : `; ${found.used.words} is a range ${range.low}–${range.high}: taken at its lower bound ${range.low}`;
      }
    }
    if (found.ignored.length > 0) {
      const list = found.ignored.map((a) => `${a.words} (${IGNORED_AMOUNT[a.kind] ?? 'not a loss'})`).join(', ');
      amountSource = `${amountSource || 'no loss amount in the text'}; not taken as the loss: ${list}`;
    }
  }
  if (amountYuan !== null) {
    if (amountYuan > policy.l1.amountYuan || (above && amountYuan >= policy.l1.amountYuan)) {
      const more = above ? ' (more than that)' : '';
      reasons.push({ rule: 'l1.amount_above_l1', tier: 'L1', score: amountYuan, words: amountWords, detail: `${amountSource}${more}; above ${policy.l1.amountYuan}` });
    } else if (amountYuan >= policy.l3.amountYuan) {
      reasons.push({
        rule: 'l2.amount_between_l3_and_l1',
        tier: 'L2',
        score: amountYuan,
        words: amountWords,
        detail: `${amountSource}; from ${policy.l3.amountYuan} to ${policy.l1.amountYuan}`,
      });
    }
  }

  // Words.
  const signals = findSignals(text, policy);
  const bySignal = new Map<TriageSignalName, string[]>();
  for (const m of signals.counted) {
    const words = bySignal.get(m.signal) ?? [];
    if (!words.includes(m.words)) words.push(m.words);
    bySignal.set(m.signal, words);
  }
  for (const [signal, words] of bySignal) {
    const { rule, tier } = SIGNAL_RULES[signal];
    reasons.push({ rule, tier, words });
  }

  // Agitation beyond words.
  const negative = analysis.sentiment.negative;
  if (negative >= policy.triage.agitation.negativeSentimentThreshold) {
    const targets = analysis.opinions.filter((o) => o.sentiment === 'negative').map((o) => o.target);
    reasons.push({
      rule: 'l2.agitated_sentiment',
      tier: 'L2',
      score: round(negative),
      words: targets.length > 0 ? targets : undefined,
      detail: `negative sentiment ${round(negative)} ≥ ${policy.triage.agitation.negativeSentimentThreshold} (${analysis.analyzer} analyzer)`,
    });
  }
  // A run of ！/! — or of ？/? and ！/! mixed (？？？, ?!?!): exasperation reads the same.
  const runs = [...text.matchAll(/[!?]+/g)].map((m) => m[0]).filter((r) => r.length >= policy.triage.agitation.repeatedExclamationMin);
  if (runs.length > 0) {
    const longest = Math.max(...runs.map((r) => r.length));
    reasons.push({ rule: 'l2.repeated_exclamation', tier: 'L2', score: longest, words: [...new Set(runs)] });
  }

  // Shouting: a run of ALL-CAPS English words, or a message mostly in capitals.
  const shouting = allCapsShouting(facts.text);
  if (shouting) reasons.push({ rule: 'l2.all_caps', tier: 'L2', words: shouting.words, detail: shouting.detail });

  // Tier.
  let tier: TierName = 'L3';
  for (const r of reasons) if (r.tier && RANK[r.tier] < RANK[tier]) tier = r.tier;
  if (!reasons.some((r) => r.tier !== null)) reasons.push({ rule: 'l3.default', tier: 'L3', detail: 'no L1 or L2 rule applies' });
  if (facts.isRepeat) {
    const from = tier;
    tier = UP[tier];
    reasons.push({
      rule: 'repeat_complaint',
      tier,
      detail: from === tier ? `repeat complaint within ${policy.repeat.windowDays} days; already L1` : `repeat complaint within ${policy.repeat.windowDays} days: ${from} → ${tier}`,
    });
  }

  const selfHarm = bySignal.has('selfHarmOrViolence');
  const urgent = selfHarm || tier === 'L1';
  if (tier === 'L1') {
    reasons.push({ rule: 'urgent.l1', tier: null, detail: `L1: a person responds within ${policy.urgent.l1InitialResponseMinutes} minutes` });
  }
  if (analysis.fallbackReason) {
    reasons.push({ rule: 'analysis.fallback', tier: null, detail: `local analyzer used: ${analysis.fallbackReason}` });
  }

  const discounted: DiscountedSignal[] = [];
  for (const d of signals.discounted) {
    const rule = SIGNAL_RULES[d.signal].rule;
    const same = discounted.find((x) => x.rule === rule && x.why === d.why && x.marker === d.marker);
    if (same) {
      if (!same.words.includes(d.words)) same.words.push(d.words);
    } else {
      discounted.push({ rule, words: [d.words], why: d.why, marker: d.marker });
    }
  }

  return { tier, urgent, reasons, policyVersion: policy.version, amountYuan, discounted };
}

// Capitalised abbreviations are not shouting (the CSRC, an ETF, my RM, OK).
const ACRONYMS = new Set([
  'CSRC', 'CBIRC', 'NFRA', 'PBOC', 'FCA', 'SAC', 'AMAC', 'ETF', 'ETFS', 'QDII', 'LOF', 'IPO', 'APP', 'ID', 'RM', 'VIP', 'CEO', 'CFO',
  'HR', 'USD', 'RMB', 'CNY', 'HKD', 'SMS', 'PDF', 'ATM', 'PIN', 'KYC', 'AML', 'IT', 'TV', 'CCTV', 'UK', 'US', 'USA', 'HK', 'PRC', 'AI',
  'SB', 'WTF', 'OMG', 'ASAP', 'FAQ', 'QR', 'PM', 'AM', 'NAV', 'CPI', 'GDP', 'VAT', 'ICBC', 'CMB', 'HSBC', 'BOC', 'CCB', 'ABC',
]);
const SHOUT_RUN_MIN = 3;
const SHOUT_SHARE = 0.7;
const SHOUT_MIN_LETTERS = 15;

/**
 * ALL-CAPS as agitation: at least three consecutive all-caps English words of two letters or more
 * (WHERE IS MY REFUND; a lone "I" or "A" neither counts nor breaks the run; abbreviations do not
 * count), or a message whose English letters are mostly capitals.
 */
export function allCapsShouting(text: string): { words: string[]; detail: string } | null {
  const words = [...text.normalize('NFKC').matchAll(/[A-Za-z][A-Za-z']*|[^A-Za-z\s.,;:!?'"()\-]+/g)].map((m) => m[0]);
  const runs: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= SHOUT_RUN_MIN) runs.push(run.join(' '));
    run = [];
  };
  let upper = 0;
  let letters = 0;
  let han = 0;
  for (const w of words) {
    if (!/^[A-Za-z]/.test(w)) {
      han += [...w].filter((ch) => /\p{Script=Han}/u.test(ch)).length;
      if (han > 0) flush();
      continue;
    }
    const bare = w.replace(/'/g, '');
    if (bare.length < 2) continue;
    const caps = bare === bare.toUpperCase();
    const acronym = ACRONYMS.has(bare.replace(/S$/, '')) || ACRONYMS.has(bare);
    if (!acronym) {
      letters += bare.length;
      if (caps) upper += bare.length;
    }
    if (caps && !acronym) run.push(w);
    else flush();
  }
  flush();
  if (runs.length > 0) return { words: runs, detail: `${SHOUT_RUN_MIN} or more consecutive words in capitals` };
  if (letters >= SHOUT_MIN_LETTERS && letters > han && upper / letters >= SHOUT_SHARE) {
    return { words: [], detail: `${Math.round((upper / letters) * 100)} % of the message's letters in capitals` };
  }
  return null;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * Loads the Chinese dictionary and compiles the policy's vocabularies now (about 0.7 s), so the
 * first complaint's turn does not pay for it. Call once at boot with the loaded policy.
 */
export function warmUpTriage(policy: ComplaintPolicy): void {
  triage(
    { text: '如果不处理我就找律师。If not, I will sue. 损失8万', claimedLossYuan: null, isRepeat: false },
    { language: 'zh', sentiment: { label: 'neutral', positive: 0, neutral: 1, negative: 0 }, opinions: [], pii: [], redactedText: '', analyzer: 'local' },
    policy,
  );
}
