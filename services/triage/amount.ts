// The loss amount triage uses when the intake gave none: read from the complaint text with the
// intake's own parser (services/intake/parse-amount.ts), but amount by amount, so that the words
// next to each amount can say what it is. `extractAmountFromText` alone returns the largest amount
// in a text, which is often not the loss: 保额100万的重疾险 (a sum insured), 投了100万，亏了3万 (the
// principal), 年收入30万 (an income). Rules, per clause:
//   1. an amount right after a loss cue (损失, 亏了, 少赔, lost, refund of…) is a loss; if there are
//      losses, the largest loss is the amount;
//   2. otherwise the largest amount that is not marked as something else;
//   3. amounts right after or right before a sum-insured cue (保额, sum insured…) count only when
//      the text also says the claim was refused (拒赔, refused to pay) and there is no other amount
//      — then the sum insured is what is at stake;
//   4. amounts right after a not-a-loss cue (年收入, 月薪, salary…) never count.
// Dates, phone numbers, policy numbers and share counts are no amounts: the parser needs a money
// cue (元, 万, ¥, k…) and refuses 11-digit mobiles, numbers glued to letters and 5万股. A bare
// number directly after a loss cue (损失50000) is read as yuan. Amounts in English words (half a
// million, a quarter of a million, a million and a half) are amounts like any other.
import { extractAmountFromText, findNumberWordAmounts, parseAmount } from '../intake/parse-amount';
import type { ComplaintPolicy } from '../policy/policy-schema';
import { splitClauses, tokenize } from './text';

export type AmountKind = 'loss' | 'other' | 'sum_insured' | 'not_loss';

export interface TextAmount {
  yuan: number;
  /** "More than" this (超过50万, 50多万, 50万以上, over 500,000): above the L1 amount even when equal. */
  above: boolean;
  /** The amount as written. */
  words: string;
  kind: AmountKind;
}

export interface AmountFinding {
  /** The amount triage uses, or null. */
  used: TextAmount | null;
  /** Amounts seen but not used because of what they are (sum insured, income). */
  ignored: TextAmount[];
}

const NUMERAL = '\\d零〇一二两兩三四五六七八九十百千万萬亿億壹贰貳叁參肆伍陆陸柒捌玖拾佰仟';
// 50多万, 十几万, 二十来万: a hedge between the digits and the unit, which the intake parser refuses.
const HEDGE = '多余来几';
const CANDIDATE = new RegExp(`[${NUMERAL}](?:[${NUMERAL}点]|[${HEDGE}](?=[十拾百佰千仟万萬亿億])|[.,](?=\\d)|w(?![a-z]))*`, 'gu');
const MORE_THAN_BEFORE = /(?:超过|超出|超|逾|多于|高于|不止|不少于|至少|起码|more than|over|above|in excess of|at least|upwards of)\s*(?:¥|rmb|cny|人民币)?\s*$/u;
const MORE_THAN_AFTER = /^\s*(?:元|块|万元|yuan|rmb|cny)?\s*(?:多|余|以上|出头|有余|plus|\+)/u;
const UNIT_AFTER = /^\s*(?:元人民币|元整|块钱|万元|元|块|圆|左右|多|余|来|(?:yuan|rmb|cny|million|thousand|k|m)(?![a-z])|\s)*(?:的|of)?\s*/u;
// A word that begins with a digit and goes on with something that is not a unit: 一直, 一起, 一个月.
const DIGIT_WORD_START = /^[一二两三四五六七八九壹贰叁肆伍陆柒捌玖]/u;
const UNIT_REST = /^(?:元|块|圆|整|多|余|来)/u;
const BARE_NUMBER = /^(?:\d{3,}|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

interface Cues {
  loss: string[];
  sumInsured: string[];
  notLoss: string[];
  refused: string[];
}

const cueCache = new WeakMap<ComplaintPolicy, Cues>();

function cues(policy: ComplaintPolicy): Cues {
  let c = cueCache.get(policy);
  if (!c) {
    const a = policy.triage.amount;
    const norm = (list: { zh: string[]; en: string[] }) => [...list.zh, ...list.en].map((s) => s.normalize('NFKC').toLowerCase());
    c = { loss: norm(a.lossCues), sumInsured: norm(a.sumInsuredCues), notLoss: norm(a.notLossCues), refused: norm(a.claimRefusedCues) };
    cueCache.set(policy, c);
  }
  return c;
}

/** The loss amount in a (normalised) complaint text, with the amounts it set aside. */
export function findLossAmount(text: string, policy: ComplaintPolicy): AmountFinding {
  const c = cues(policy);
  const all: TextAmount[] = [];
  for (const clause of splitClauses(text)) all.push(...amountsInClause(clause.text, c));

  const ignored = all.filter((a) => a.kind === 'sum_insured' || a.kind === 'not_loss');
  const largest = (kind: AmountKind) =>
    all.filter((a) => a.kind === kind).reduce<TextAmount | null>((best, a) => (best === null || a.yuan > best.yuan ? a : best), null);

  const loss = largest('loss') ?? largest('other');
  if (loss) return { used: loss, ignored };
  const insured = largest('sum_insured');
  if (insured && c.refused.some((r) => text.includes(r))) {
    return { used: insured, ignored: ignored.filter((a) => a !== insured) };
  }
  return { used: null, ignored };
}

function amountsInClause(clause: string, c: Cues): TextAmount[] {
  const tokens = tokenize(clause);
  const numeric = [...clause.matchAll(CANDIDATE)].map((m) => {
    // A numeral that begins the next word is not part of the amount: 8万一直没到 is 8万, not 8万1.
    let end = m.index + m[0].length;
    const straddling = tokens.find(
      (t) => t.han && t.start > m.index && t.start < end && end < t.end && DIGIT_WORD_START.test(t.text) && !UNIT_REST.test(clause.slice(end, t.end)),
    );
    const cut = straddling !== undefined;
    if (cut) end = straddling.start;
    return { start: m.index, end, text: clause.slice(m.index, end), cut };
  });
  // Amounts in English words (half a million, a quarter of a million, eighty thousand yuan).
  const inWords = findNumberWordAmounts(clause).map((a) => ({ start: a.start, end: a.end, text: clause.slice(a.start, a.end), cut: false }));
  const candidates = [...numeric, ...inWords].sort((a, b) => a.start - b.start);
  const found: TextAmount[] = [];
  candidates.forEach((cand, i) => {
    const windowStart = i === 0 ? 0 : candidates[i - 1]!.end;
    const windowEnd = i === candidates.length - 1 ? clause.length : candidates[i + 1]!.start;
    const before = clause.slice(windowStart, cand.start);
    const after = clause.slice(cand.end, windowEnd);
    const { kind, gap } = kindOf(before, after, c);
    // A cut amount is read without what follows it, or the parser would take the numeral back.
    let yuan = extractAmountFromText(cand.cut ? `${before}${cand.text}` : clause.slice(windowStart, windowEnd));
    let above = MORE_THAN_BEFORE.test(before) || MORE_THAN_AFTER.test(after);
    const hedge = new RegExp(`[${HEDGE}]`, 'u').exec(cand.text);
    if (yuan === null && hedge) {
      const plain = cand.text.replace(hedge[0], '');
      yuan = extractAmountFromText(`${before}${plain}${after}`);
      above ||= hedge[0] !== '来';
    }
    if (yuan === null && kind === 'loss' && gap <= 2 && BARE_NUMBER.test(cand.text)) {
      const bare = parseAmount(cand.text);
      if (bare.kind === 'amount') yuan = bare.yuan;
    }
    if (yuan === null) return;
    const unit = UNIT_AFTER.exec(after)?.[0].replace(/(?:的|of)\s*$/u, '').trimEnd() ?? '';
    found.push({ yuan, above, words: `${cand.text}${unit}`.trim(), kind });
  });
  return found;
}

/** A cue this far (characters) before an amount or farther says nothing about it. */
const CUE_REACH = 8;

/**
 * What the words next to an amount say it is: the nearest cue ending at most CUE_REACH characters
 * before it, else a cue right after it (10万的损失, 100万保额). `gap`: characters between cue and amount.
 */
function kindOf(before: string, after: string, c: Cues): { kind: AmountKind; gap: number } {
  let best: { end: number; length: number; kind: AmountKind } | null = null;
  const consider = (list: string[], kind: AmountKind) => {
    for (const cue of list) {
      const at = before.lastIndexOf(cue);
      if (at < 0) continue;
      const end = at + cue.length;
      if (before.length - end > CUE_REACH) continue;
      if (best === null || end > best.end || (end === best.end && cue.length > best.length)) best = { end, length: cue.length, kind };
    }
  };
  consider(c.loss, 'loss');
  consider(c.sumInsured, 'sum_insured');
  consider(c.notLoss, 'not_loss');
  const found = best as { end: number; kind: AmountKind } | null;
  if (found !== null) return { kind: found.kind, gap: before.length - found.end };
  const rest = after.replace(UNIT_AFTER, '');
  if (c.loss.some((cue) => rest.startsWith(cue))) return { kind: 'loss', gap: Infinity };
  if (c.sumInsured.some((cue) => rest.startsWith(cue))) return { kind: 'sum_insured', gap: Infinity };
  if (c.notLoss.some((cue) => rest.startsWith(cue))) return { kind: 'not_loss', gap: Infinity };
  return { kind: 'other', gap: Infinity };
}
