// The loss amount triage uses when the intake gave none: read from the complaint text with the
// intake's own parser (services/intake/parse-amount.ts), but amount by amount, so that the words
// next to each amount can say what it is. `extractAmountFromText` alone returns the largest amount
// in a text, which is often not the loss: 保额100万的重疾险 (a sum insured), 投了100万，亏了3万 (the
// principal), 年收入30万 (an income). Rules, per clause:
//   1. an amount right after a loss cue (损失, 亏了, 少赔, lost, refund of…) is a loss; if there are
//      losses, the largest loss is the amount — a loss cue wins over every other kind;
//   2. an amount right after or right before a principal cue (投了, 本金, 买了, invested, put, my
//      principal of…) is what was invested, not a loss. With what is left of it (只剩40万, only 200k
//      left) the loss is the difference (投了100万，只剩40万 → 60万); otherwise it counts only when the
//      text says money was lost without saying how much (买了60万的理财，全亏了 → 60万; 投了八十万，
//      报告没发 → no amount) — or the share of it that was lost (买了100万的基金，跌了30% → 30万);
//      a claim refused on what the policy was bought for puts that amount at stake, like a sum insured;
//   3. otherwise the largest amount that is not marked as something else;
//   4. amounts right after or right before a sum-insured cue (保额, sum insured…) count only when
//      the text also says the claim was refused (拒赔, refused to pay) and there is no other amount
//      — then the sum insured is what is at stake;
//   5. amounts right after a not-a-loss cue (年收入, 月薪, salary…) never count;
//   6. a share left or paid back (退保只能拿回一半, 只退三成) makes the rest of a principal, a plain
//      amount or a sum insured the loss; an unpaid claim (一分没给, 至今未赔) counts like a refused one;
//   7. a range or an order of magnitude (七八万, 3-5万, 几十万 — the intake parser's
//      findAmountRanges) is read at its lower bound, and keeps both bounds for the reason.
//   8. an amount the customer demands back in full (这80万全部退回来, 全额退还70万, a full refund of…
//      — `fullRefundCues`) is what is at stake and wins over everything else; a full-refund demand
//      without an amount next to it puts the principal or the plain amount at stake with no share
//      taken off (交了60万…只能拿回一半…把钱全部还给我 → 60万);
//   9. a sum insured of a total loss (推定全损, written off — `totalLossCues`) is at stake like that of
//      a refused claim: the whole sum is claimed.
// An intake answer of 0 ("no loss") wins over all of this (triage.ts).
// English cues are whole words (lose is not in close, invest not in investigate).
// Dates, phone numbers, policy numbers and share counts are no amounts: the parser needs a money
// cue (元, 万, ¥, k…) and refuses 11-digit mobiles, numbers glued to letters and 5万股. A bare
// number directly after a loss cue (损失50000) is read as yuan. Amounts in English words (half a
// million, a quarter of a million, a million and a half) are amounts like any other.
import { extractAmountFromText, findAmountRanges, findNumberWordAmounts, parseAmount } from '../intake/parse-amount';
import type { ComplaintPolicy } from '../policy/policy-schema';
import { splitClauses, tokenize } from './text';

/** `difference`: the loss read as a principal minus what is left of it (投了100万，只剩40万). */
export type AmountKind = 'loss' | 'demanded' | 'other' | 'sum_insured' | 'not_loss' | 'principal' | 'remaining' | 'difference' | 'total_loss';

export interface TextAmount {
  yuan: number;
  /** "More than" this (超过50万, 50多万, 50万以上, over 500,000): above the L1 amount even when equal. */
  above: boolean;
  /** The amount as written. */
  words: string;
  kind: AmountKind;
  /** A range or an order of magnitude (七八万, 3-5万, 几十万): `yuan` is its lower bound. */
  range?: { low: number; high: number | null };
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
  principal: string[];
  remaining: string[];
  fullRefund: string[];
  totalLoss: string[];
}

const cueCache = new WeakMap<ComplaintPolicy, Cues>();

function cues(policy: ComplaintPolicy): Cues {
  let c = cueCache.get(policy);
  if (!c) {
    const a = policy.triage.amount;
    const norm = (list: { zh: string[]; en: string[] }) => [...list.zh, ...list.en].map((s) => s.normalize('NFKC').toLowerCase());
    c = {
      loss: norm(a.lossCues),
      sumInsured: norm(a.sumInsuredCues),
      notLoss: norm(a.notLossCues),
      refused: norm(a.claimRefusedCues),
      principal: norm(a.principalCues),
      remaining: norm(a.remainingCues),
      fullRefund: norm(a.fullRefundCues),
      totalLoss: norm(a.totalLossCues),
    };
    cueCache.set(policy, c);
  }
  return c;
}

/** The loss amount in a (normalised) complaint text, with the amounts it set aside. */
export function findLossAmount(text: string, policy: ComplaintPolicy): AmountFinding {
  const c = cues(policy);
  const all: TextAmount[] = [];
  for (const clause of splitClauses(text)) all.push(...amountsInClause(clause.text, c));

  // Amounts of a kind that is not the loss, except those the loss was read from.
  const setAside = (...used: TextAmount[]) => all.filter((a) => !used.includes(a) && a.kind !== 'loss' && a.kind !== 'other' && a.kind !== 'demanded');
  const largest = (kind: AmountKind, list = all) =>
    list.filter((a) => a.kind === kind).reduce<TextAmount | null>((best, a) => (best === null || a.yuan > best.yuan ? a : best), null);

  // An amount demanded back in full (这80万全部退回来) is what is at stake, more than a loss.
  const demanded = largest('demanded');
  if (demanded) return { used: demanded, ignored: setAside() };
  const loss = largest('loss');
  if (loss) return { used: loss, ignored: setAside() };
  // What is left of a principal (or of a larger plain amount): the loss is the difference.
  const left = all.filter((a) => a.kind === 'remaining').reduce<TextAmount | null>((low, a) => (low === null || a.yuan < low.yuan ? a : low), null);
  const principal = largest('principal');
  if (left) {
    const base = principal ?? largest('other', all.filter((a) => a.yuan > left.yuan));
    if (base && base.yuan > left.yuan) {
      return { used: { yuan: base.yuan - left.yuan, above: false, words: `${base.words} − ${left.words}`, kind: 'difference' }, ignored: setAside(base, left) };
    }
  }
  // A principal is at stake only when the text says money was lost without saying how much — or
  // the share of it that was lost (跌了30%, 亏了一半, lost half of it).
  const plain = largest('other') ?? largest('remaining');
  // The customer wants all of it back (把钱全部退给我, a full refund): no share is taken off.
  const fullRefund = c.fullRefund.find((cue) => cueAt(text, cue, 0) >= 0);
  const share = fullRefund === undefined ? lostShare(text) : null;
  if (fullRefund !== undefined && principal !== null && (plain === null || principal.yuan > plain.yuan)) {
    return { used: { ...principal, kind: 'demanded' }, ignored: setAside(principal) };
  }
  if (fullRefund !== undefined && plain?.kind === 'other') return { used: { ...plain, kind: 'demanded' }, ignored: setAside(plain) };
  if (principal !== null && (plain === null || principal.yuan > plain.yuan) && (share !== null || mentionsLoss(text, c))) {
    if (share === null) return { used: principal, ignored: setAside(principal) };
    return { used: shareOf(principal, share), ignored: setAside(principal) };
  }
  // A plain amount and the share of it lost or left (一共交了六十万，退保只给了一半 → 30万).
  if (plain && share?.left && plain.kind === 'other') return { used: shareOf(plain, share), ignored: setAside(plain) };
  if (plain) return { used: plain, ignored: setAside(plain) };
  // A sum insured of which only a share was paid (保额60万，只赔了一半): the rest is the loss.
  const sumInsured = largest('sum_insured');
  if (sumInsured && share !== null) return { used: shareOf(sumInsured, share), ignored: setAside(sumInsured) };
  // A refused or unpaid claim puts the sum insured at stake — or what the policy was bought for
  // (买了80万的重疾险…拒赔, 保额五十万…到现在一分没给).
  // A total loss (推定全损, written off) claims the whole sum insured.
  const insured = sumInsured ?? principal;
  if (insured && c.refused.some((r) => cueAt(text, r, 0) >= 0)) return { used: insured, ignored: setAside(insured) };
  if (sumInsured && c.totalLoss.some((r) => cueAt(text, r, 0) >= 0)) return { used: { ...sumInsured, kind: 'total_loss' }, ignored: setAside(sumInsured) };
  return { used: null, ignored: setAside() };
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
  // Ranges and vague amounts (七八万, 3-5万, 几十万) are one candidate each, read at their lower bound.
  const ranges = findAmountRanges(clause);
  const inRange = (c: { start: number; end: number }) => ranges.some((r) => c.start < r.end && r.start < c.end);
  const rangeCandidates = ranges.map((r) => ({ start: r.start, end: r.end, text: r.text, cut: false, range: r }));
  const candidates: { start: number; end: number; text: string; cut: boolean; range?: (typeof ranges)[number] }[] = [
    ...[...numeric, ...inWords].filter((cand) => !inRange(cand)),
    ...rangeCandidates,
  ].sort((a, b) => a.start - b.start);
  const found: TextAmount[] = [];
  candidates.forEach((cand, i) => {
    const windowStart = i === 0 ? 0 : candidates[i - 1]!.end;
    const windowEnd = i === candidates.length - 1 ? clause.length : candidates[i + 1]!.start;
    const before = clause.slice(windowStart, cand.start);
    const after = clause.slice(cand.end, windowEnd);
    const { kind, gap } = kindOf(before, after, c);
    if (cand.range) {
      const r = cand.range;
      const unit = UNIT_AFTER.exec(after)?.[0].replace(/(?:的|of)\s*$/u, '').trimEnd() ?? '';
      const above = r.above || MORE_THAN_BEFORE.test(before) || MORE_THAN_AFTER.test(after);
      found.push({ yuan: r.low, above, words: `${cand.text}${unit}`.trim(), kind, range: { low: r.low, high: r.high } });
      return;
    }
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

interface LostShare {
  lost: number;
  above: boolean;
  words: string;
  /** Said as what is left or was paid back (退保只给了一半), not as a fall (跌了9%). */
  left: boolean;
}

function shareOf(base: TextAmount, share: LostShare): TextAmount {
  const yuan = Math.round(base.yuan * share.lost);
  return { yuan, above: share.above, words: `${base.words} × ${Math.round(share.lost * 100)}% (${share.words})`, kind: 'difference' };
}

// A share: 30%, 一半, 一大半 (more than half), 三成 (30 %), 三分之一, half, a third, two thirds, a quarter.
const SHARE = String.raw`(\d{1,2}(?:\.\d+)?)\s*%|百分之([一二两三四五六七八九十]+)|([一二两三四五六七八九\d])成|([一二两三四五六七八九十])分之([一二两三四五六七八九])|(一大半|大半|一多半|过半|more than half|over half)|(一半|对半|对折|半数|half)|(a third|one third)|(two thirds)|(a quarter|one quarter)|(three quarters)`;
// The share of a principal that was lost: 跌了30%, 亏损了 40％, 亏了一半, 亏了一大半, 缩水三成, 腰斩, down 40%, lost half.
const LOST_SHARE = new RegExp(String.raw`(?:亏|跌|缩水|损失|少了|打了|lost|lose|losing|down|fell|dropped|crashed)[^,。;!?\d]{0,6}?(?:${SHARE})|(腰斩)`, 'u');
// The share that is left or was paid back: 退保只能拿回一半, 只退了三成, 只剩30%, 只赔了一半, only got half back.
const LEFT_SHARE = new RegExp(
  String.raw`(?:拿回|拿到|退回|退了|只退|只赔|赔了|只给|给了|只剩|剩下|还剩|只有|只值|返还|退保|到手|only got|got back|only returned|returned|refunded|paid out|left with|only paid)[^,。;!?\d]{0,4}?(?:${SHARE})`,
  'u',
);
const ZH_SMALL: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const zhSmall = (t: string) => (/^\d$/.test(t) ? Number(t) : t.length === 1 ? ZH_SMALL[t] ?? NaN : t.startsWith('十') ? 10 + (ZH_SMALL[t[1]!] ?? 0) : (ZH_SMALL[t[0]!] ?? NaN) * 10 + (ZH_SMALL[t[2] ?? ''] ?? 0));

function shareValue(m: RegExpExecArray, offset: number): { share: number; above: boolean } | null {
  const g = (i: number) => m[offset + i];
  if (g(1) !== undefined) return { share: Number(g(1)) / 100, above: false };
  if (g(2) !== undefined) return { share: zhSmall(g(2)!) / 100, above: false };
  if (g(3) !== undefined) return { share: zhSmall(g(3)!) / 10, above: false };
  if (g(4) !== undefined) return { share: zhSmall(g(5)!) / zhSmall(g(4)!), above: false };
  if (g(6) !== undefined) return { share: 0.5, above: true };
  if (g(7) !== undefined) return { share: 0.5, above: false };
  if (g(8) !== undefined) return { share: 1 / 3, above: false };
  if (g(9) !== undefined) return { share: 2 / 3, above: false };
  if (g(10) !== undefined) return { share: 0.25, above: false };
  if (g(11) !== undefined) return { share: 0.75, above: false };
  return null;
}

/** The share of a principal (or sum insured) that was lost, said as a share lost or as a share left. */
function lostShare(text: string): LostShare | null {
  const lost = LOST_SHARE.exec(text);
  if (lost) {
    if (lost[12] !== undefined) return { lost: 0.5, above: false, words: lost[0], left: false };
    const v = shareValue(lost, 0);
    if (v && v.share > 0 && v.share <= 1) return { lost: v.share, above: v.above, words: lost[0], left: false };
  }
  const left = LEFT_SHARE.exec(text);
  if (left) {
    const v = shareValue(left, 0);
    // "More than half back" leaves less than half lost: not above.
    if (v && v.share > 0 && v.share < 1) return { lost: 1 - v.share, above: false, words: left[0], left: true };
  }
  return null;
}

/** Does the text say money was lost (a loss cue anywhere: 全亏了, 全没了, lost everything)? */
function mentionsLoss(text: string, c: Cues): boolean {
  return c.loss.some((cue) => cueAt(text, cue, 0) >= 0);
}

const LATIN = /[a-z]/;

/** Where `cue` occurs in `s` from `from` on, as a whole word when it is English (-1: nowhere). */
function cueAt(s: string, cue: string, from: number): number {
  for (let at = s.indexOf(cue, from); at >= 0; at = s.indexOf(cue, at + 1)) {
    if (!LATIN.test(cue) || (!LATIN.test(s[at - 1] ?? '') && !LATIN.test(s[at + cue.length] ?? ''))) return at;
  }
  return -1;
}

/** The last whole-word occurrence of `cue` in `s` (-1: none). */
function lastCueAt(s: string, cue: string): number {
  let last = -1;
  for (let at = cueAt(s, cue, 0); at >= 0; at = cueAt(s, cue, at + 1)) last = at;
  return last;
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
      const at = lastCueAt(before, cue);
      if (at < 0) continue;
      const end = at + cue.length;
      if (before.length - end > CUE_REACH) continue;
      if (best === null || end > best.end || (end === best.end && cue.length > best.length)) best = { end, length: cue.length, kind };
    }
  };
  consider(c.loss, 'loss');
  consider(c.fullRefund, 'demanded');
  consider(c.sumInsured, 'sum_insured');
  consider(c.notLoss, 'not_loss');
  consider(c.principal, 'principal');
  consider(c.remaining, 'remaining');
  const found = best as { end: number; kind: AmountKind } | null;
  if (found !== null) return { kind: found.kind, gap: before.length - found.end };
  const rest = after.replace(UNIT_AFTER, '');
  const startsWith = (cue: string) => rest.startsWith(cue) && !(LATIN.test(cue) && LATIN.test(rest[cue.length] ?? ''));
  if (c.fullRefund.some(startsWith)) return { kind: 'demanded', gap: Infinity };
  if (c.loss.some(startsWith)) return { kind: 'loss', gap: Infinity };
  if (c.sumInsured.some(startsWith)) return { kind: 'sum_insured', gap: Infinity };
  if (c.notLoss.some(startsWith)) return { kind: 'not_loss', gap: Infinity };
  if (c.principal.some(startsWith)) return { kind: 'principal', gap: Infinity };
  if (c.remaining.some(startsWith)) return { kind: 'remaining', gap: Infinity };
  return { kind: 'other', gap: Infinity };
}
