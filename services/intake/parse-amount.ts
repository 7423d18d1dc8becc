// Money amounts as customers type them in chat: 8万, 80,000元, 五十万零一元, ¥600,000, RMB 30k,
// 1.5 million yuan, 4万9 (colloquial 49,000), half a million, a quarter of a million, a million and
// a half. Amounts are in yuan, rounded to fen.
// The loss amount drives the tier (requirements.md §3), so anything doubtful is "invalid" and the
// dialog asks again rather than guessing.
import { toSimplified } from '../text-analysis/chinese-script';

/** `none` with `noLoss`: the answer says there is no loss (0, 没有损失); without it: the figure is unknown. */
export type ParsedAmount = { kind: 'amount'; yuan: number } | { kind: 'none'; noLoss?: true } | { kind: 'invalid' };

/** Larger than any plausible complaint; such input is a typo or a phone/ID number. */
export const MAX_AMOUNT_YUAN = 1e12;

// "No loss" and "I can't say" are both `none`, so the dialog moves on instead of looping on a
// customer who does not know the figure; `noLoss` tells them apart — triage takes "no loss" (0) over
// amounts in the complaint text, "don't know" leaves it to the text.
const NONE_ANSWERS = new Set([
  'none', 'no', 'nil', 'n/a', 'na', 'nothing', 'zero', 'unknown', 'not sure', "don't know", 'dont know', 'no idea',
  '没有', '无', '没', '没损失', '没有损失', '无损失', '不清楚', '不知道', '不确定', '说不清', '不好说', '零',
]);
const NO_LOSS_ANSWERS = new Set(['none', 'no', 'nil', 'nothing', 'zero', 'no loss', '没有', '无', '没', '没损失', '没有损失', '无损失', '零']);

const DIGITS: Record<string, number> = {
  一: 1, 壹: 1, 二: 2, 贰: 2, 貳: 2, 两: 2, 兩: 2, 三: 3, 叁: 3, 參: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 陸: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const ZEROS = '零〇';
const SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
// "w" is chat shorthand for 万 (8w = 80,000).
const BIG_UNITS: Record<string, number> = { 万: 1e4, 萬: 1e4, w: 1e4, 亿: 1e8, 億: 1e8 };
const EN_MULTIPLIERS: Record<string, number> = {
  k: 1e3, thousand: 1e3, thousands: 1e3, m: 1e6, mn: 1e6, million: 1e6, millions: 1e6, bn: 1e9, billion: 1e9, billions: 1e9,
};

const D = Object.keys(DIGITS).join('');
// A number as written: Arabic (with thousands commas / decimals), Chinese numerals, or a mix (4万9千).
// Must start with a digit or 十, so words like 万一 / 千万 (adverbs) never start a number.
const SPAN = `(?:\\d|[${D}十拾])(?:\\d|,\\d{3}(?!\\d)|\\.\\d+|点(?=[\\d${D}${ZEROS}])|[${D}${ZEROS}十拾百佰千仟万萬亿億]|w(?![a-z]))*`;
const MULT = `thousands?|millions?|billions?|mn|bn|k|m`;
const CURRENCY_PREFIX = `¥|rmb|cny|人民币`;
const CURRENCY_SUFFIX = `元人民币|元整|块钱|元|块|圆|人民币|yuan|rmb|cny`;
const HEDGE_PREFIX = `约|大约|大概|差不多|将近|接近|估计|about|around|approximately|approx\\.?|roughly|~|≈`;
const HEDGE_SUFFIX = `左右|上下|多|余|来`;

const TAIL = `(?:\\s*(?<mult>${MULT})(?![a-z]))?(?:\\s*(?:${HEDGE_SUFFIX}))?(?:\\s*(?<suffix>${CURRENCY_SUFFIX})(?![a-z]))?`;
const WHOLE_ANSWER = new RegExp(
  `^(?:(?:${HEDGE_PREFIX})\\s*)?(?:(?<prefix>${CURRENCY_PREFIX})\\s*)?(?<span>${SPAN})${TAIL}(?:\\s*(?:${HEDGE_SUFFIX}))?$`,
);
// In free text a number glued to letters or digits (P2026001234, v1.2) is part of an identifier.
const IN_TEXT = new RegExp(`(?<![a-z0-9.])(?:(?<prefix>${CURRENCY_PREFIX})\\s*)?(?<span>${SPAN})${TAIL}`, 'dg');
// A count of something else: 5万股 (shares), 3千人, 30% — not money unless a currency word follows.
const NOT_MONEY_AFTER =
  /^\s*(?:[人个份次件天年月日号时分秒股手张家位名条岁期页米克斤台辆套间倍%‰]|(?:shares?|people|times|units?|years?|days?|views?|likes?|followers?|comments?|clicks?|reads?|hits?|subscribers?|retweets?|reposts?)(?![a-z]))/;
// After "1.8m": a length, not money.
const LENGTH_AFTER = /^\s*(?:tall|high|long|wide|deep|away|square|sq|in (?:height|length|width|depth)|高|长|宽|深|远|左右的(?:身高|个子))/;
const MOBILE_NUMBER = /^1[3-9]\d{9}$/;
const IDIOMS = ['十万火急', '一千零一夜'];
const NEGATIVE = /(?:^|[^\d\s])\s*[-−–]\s*(?:¥|rmb|cny)?\s*\d|负\s*[\d一二两三四五六七八九十]/;

export function parseAmount(text: string): ParsedAmount {
  const s = normalize(text).replace(/[。.!！?？,;；~]+$/, '').trim();
  if (s === '') return { kind: 'invalid' };
  if (NO_LOSS_ANSWERS.has(s)) return { kind: 'none', noLoss: true };
  if (NONE_ANSWERS.has(s)) return { kind: 'none' };
  if (NEGATIVE.test(s) && findAmountRanges(s).length === 0) return { kind: 'invalid' };

  const whole = findAmountRanges(s).length === 0 ? WHOLE_ANSWER.exec(s) : null;
  if (whole?.groups) {
    // A bare mainland mobile number was typed into the wrong field, not a 13.8-billion-yuan loss.
    if (MOBILE_NUMBER.test(s)) return { kind: 'invalid' };
    const yuan = valueOf(whole.groups.span!, whole.groups.mult);
    if (yuan === null || yuan > MAX_AMOUNT_YUAN) return { kind: 'invalid' };
    return yuan === 0 ? { kind: 'none', noLoss: true } : { kind: 'amount', yuan };
  }
  // A sentence ("损失了大概8万块"): accept it only if it names exactly one amount.
  const amounts = new Set(findMoneyAmounts(s).map((a) => a.yuan));
  if (amounts.size === 1) return { kind: 'amount', yuan: [...amounts][0]! };
  return { kind: 'invalid' };
}

/** The largest money amount in free text, or null. Bare numbers need a money cue (元, 万, ¥, k, …). */
export function extractAmountFromText(text: string): number | null {
  const amounts = findMoneyAmounts(normalize(text)).map((a) => a.yuan);
  return amounts.length === 0 ? null : Math.max(...amounts);
}

function findMoneyAmounts(s: string): { yuan: number }[] {
  // A range or a vague amount (七八万, 3-5万, 几十万) is one amount: its lower bound.
  const ranges = findAmountRanges(s);
  const found: { yuan: number }[] = ranges.map((r) => ({ yuan: r.low }));
  for (const m of s.matchAll(IN_TEXT)) {
    if (ranges.some((r) => m.index < r.end && r.start < m.index + m[0].length)) continue;
    const g = m.groups!;
    const spanStart = m.indices!.groups!.span![0];
    const end = m.index + m[0].length;
    const hasCurrency = g.prefix !== undefined || g.suffix !== undefined;
    // A bare "m" could be metres; it counts as million next to a currency word, or after a decimal
    // (0.6M, 1.2m: chat shorthand for millions) unless a length word follows (1.8m tall, 2.5m wide).
    const decimalMillion = g.mult === 'm' && /\.\d/.test(g.span!) && !LENGTH_AFTER.test(s.slice(end));
    const hasMagnitude = /[千仟万萬亿億w]/.test(g.span!) || (g.mult !== undefined && g.mult !== 'm') || decimalMillion;
    if (!hasCurrency && !hasMagnitude) continue;
    if (!hasCurrency && NOT_MONEY_AFTER.test(s.slice(end))) continue;
    if (IDIOMS.some((idiom) => s.startsWith(idiom, spanStart))) continue;
    if (isNegated(s, m.index)) continue;
    const yuan = valueOf(g.span!, g.mult);
    if (yuan !== null && yuan > 0 && yuan <= MAX_AMOUNT_YUAN) found.push({ yuan });
  }
  return found;
}

// ── Ranges and vague amounts ─────────────────────────────────────────────────────────────────────
// Customers give a range or an order of magnitude as often as a figure: 七八万 (70 000–80 000, not
// 78万), 二三十万, 十七八万, 一两万, 三五万, 3-5万, 30~50w, 20到30k, 30万到50万, 7、8万; 几万, 几十万,
// 好几十万, 大几十万 (the high tens of 万), 数百万, 上百万 (upwards of a million), 近百万. The amount is
// the lower bound — the figure the customer is sure of — and `high` keeps the upper one so that a
// reason can show both. `above`: the amount is "more than" the lower bound (上百万, 大几十万).

export interface AmountRange {
  /** Offsets in the text given. */
  start: number;
  end: number;
  low: number;
  /** The upper bound, or null for an order of magnitude (几十万). */
  high: number | null;
  above: boolean;
  text: string;
}

const ZH_DIGIT = '一二两三四五六七八九';
const ZH_DIGIT_VALUE: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
// 七八万, 二三十万, 十七八万, 一百二三十万, 两三千块: two neighbouring digits (or 三五, 一两) before a unit.
const ZH_PAIR = new RegExp(
  `(?<![${ZH_DIGIT}十百千万亿零〇\\d])(?<pre>(?:[${ZH_DIGIT}]?[十百千])*)(?<a>[${ZH_DIGIT}])(?<b>[${ZH_DIGIT}])(?<post>[十百千]*(?:万|亿|w(?![a-z]))?)(?<cur>元|块钱|块|圆)?`,
  'gu',
);
const RANGE_NUM = `\\d+(?:\\.\\d+)?|[${ZH_DIGIT}十百千]+`;
const RANGE_UNIT = `万元|万块|万|w(?![a-z])|千元|千块|千|k(?![a-z])|百万|千万|亿|元|块钱|块|yuan(?![a-z])|rmb(?![a-z])|million(?![a-z])`;
// 3-5万, 30~50w, 3万到5万, 五到十万, 20-30k, 7、8万.
const CONNECTED_RANGE = new RegExp(
  `(?<![a-z\\d.])(?<lo>${RANGE_NUM})\\s*(?<loUnit>${RANGE_UNIT})?\\s*(?:-|~|～|—|–|到|至|、)\\s*(?<hi>${RANGE_NUM})\\s*(?<unit>${RANGE_UNIT})`,
  'gu',
);
// 几万, 几十万, 好几百万, 大几十万, 小几十万, 数十万, 上百万, 近千万, 过百万.
const VAGUE = /(?<lead>好几|大几|小几|几|数)(?<unit>[十百千]?)(?<big>万|亿)?(?<cur>元|块钱|块)?|(?<![最附靠临])(?<lead2>上|近|将近|接近|超过|过|逾)(?<unit2>十|百|千)(?<big2>万|亿)/gu;
const VAGUE_COUNT: Record<string, { n: number; above: boolean }> = {
  几: { n: 2, above: false }, 数: { n: 2, above: false }, 好几: { n: 3, above: false }, 大几: { n: 5, above: true }, 小几: { n: 1, above: false },
  上: { n: 1, above: true }, 超过: { n: 1, above: true }, 过: { n: 1, above: true }, 逾: { n: 1, above: true }, 近: { n: 1, above: false }, 将近: { n: 1, above: false }, 接近: { n: 1, above: false },
};
const SMALL: Record<string, number> = { '': 1, 十: 10, 百: 100, 千: 1000 };
// 十几万, 50多万, 二十来万, 三十几万: a hedge between the number and its unit — more than the number
// (来: about it).
const HEDGED = new RegExp(`(?<![${ZH_DIGIT}十百千万亿零〇\\d.])(?<n>\\d+|[${ZH_DIGIT}十百千]+)(?<h>多|几|来|余)(?<big>[十百千]?(?:万|亿))`, 'gu');
const BIG: Record<string, number> = { '': 1, 万: 1e4, 亿: 1e8 };

function neighbours(a: string, b: string): boolean {
  const x = ZH_DIGIT_VALUE[a]!;
  const y = ZH_DIGIT_VALUE[b]!;
  return y === x + 1 || (a === '三' && b === '五') || (a === '一' && b === '两') || (a === '两' && b === '三');
}

/** Ranges and vague amounts in a (lower-case) text, left to right, not overlapping. */
export function findAmountRanges(s: string): AmountRange[] {
  const found: AmountRange[] = [];
  const add = (r: AmountRange) => {
    if (NOT_MONEY_AFTER.test(s.slice(r.end)) || found.some((f) => r.start < f.end && f.start < r.end)) return;
    found.push(r);
  };
  for (const m of s.matchAll(CONNECTED_RANGE)) {
    const g = m.groups!;
    const low = parseAmount(`${g.lo}${g.loUnit ?? g.unit}`);
    const high = parseAmount(`${g.hi}${g.unit}`);
    if (low.kind !== 'amount' || high.kind !== 'amount' || low.yuan >= high.yuan) continue;
    add({ start: m.index, end: m.index + m[0].length, low: low.yuan, high: high.yuan, above: false, text: m[0] });
  }
  for (const m of s.matchAll(ZH_PAIR)) {
    const g = m.groups!;
    if (!neighbours(g.a!, g.b!) || g.post === '') continue;
    // Money needs a magnitude (万, 亿, 千) or a currency word: 七八个人 and 五六十岁 are not money.
    if (!/[千万亿w]/.test(g.post!) && g.cur === undefined) continue;
    const low = valueOf(`${g.pre}${g.a}${g.post}`, undefined);
    const high = valueOf(`${g.pre}${g.b}${g.post}`, undefined);
    if (low === null || high === null || low <= 0 || low >= high) continue;
    add({ start: m.index, end: m.index + m[0].length, low, high, above: false, text: m[0] });
  }
  for (const m of s.matchAll(HEDGED)) {
    const g = m.groups!;
    const low = parseAmount(`${g.n}${g.big}`);
    if (low.kind !== 'amount') continue;
    add({ start: m.index, end: m.index + m[0].length, low: low.yuan, high: null, above: g.h !== '来', text: m[0] });
  }
  for (const m of s.matchAll(VAGUE)) {
    const g = m.groups!;
    const lead = g.lead ?? g.lead2!;
    const unit = g.unit ?? g.unit2 ?? '';
    const big = g.big ?? g.big2 ?? '';
    if (big === '' && (g.cur === undefined || unit === '')) continue; // 几天, 几个, 几十个人
    if (unit === '' && big === '' ) continue;
    // 几 inside a word that is no amount: 十几万 (read by the hedge rule), 好几万 is fine.
    if (lead === '几' && /[\d一二两三四五六七八九十百千]$/.test(s.slice(0, m.index))) continue;
    const count = VAGUE_COUNT[lead]!;
    const low = count.n * SMALL[unit]! * BIG[big]!;
    add({ start: m.index, end: m.index + m[0].length, low, high: null, above: count.above, text: m[0] });
  }
  return found.sort((a, b) => a.start - b.start);
}

// "-5万" or "负5万" is not a loss; "3-5万" is a range, so a hyphen after a digit is not a sign.
function isNegated(s: string, start: number): boolean {
  const before = s.slice(0, start).trimEnd();
  if (before.endsWith('负')) return true;
  return /[-−–]$/.test(before) && !/\d\s*[-−–]$/.test(before);
}

function normalize(text: string): string {
  // NFKC folds full-width digits, letters, ￥ and ，into their ASCII forms.
  // Spaces next to Chinese characters are IME noise ("8 万" = "8万"); elsewhere they separate words.
  // Traditional characters (三萬多, 兩千塊, 億) are read as Simplified.
  return numeralsForNumberWords(
    toSimplified(text)
      .normalize('NFKC')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/ ?([\p{Script=Han}]) ?/gu, '$1')
      .trim(),
  );
}

// ── Amounts in English words ─────────────────────────────────────────────────────────────────────
// "half a million", "a quarter of a million", "a million and a half", "one and a half million",
// "two hundred and fifty thousand", "eighty thousand yuan". A run of number words counts when it
// has a scale word (hundred, thousand, million, billion) or a currency word follows it ("fifty
// yuan"); "one of your agents" and "two times" are left alone. The run is rewritten as numerals
// that keep the scale word ("half a million" → "0.5 million"), so the rest of the parser treats
// it exactly like "0.5 million": a magnitude is a money cue, "views"/"people" after it are not.

const ONES: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9 };
const FRACTIONS = ['half', 'quarter', 'quarters'];
const GLUE = ['a', 'an', 'and', 'of'];
const NUMBER_WORD = `(?:${[...Object.keys(ONES), ...Object.keys(SCALES), ...FRACTIONS, ...GLUE].join('|')})`;
const NUMBER_WORD_RUN = new RegExp(`(?<![\\p{L}\\p{N}])${NUMBER_WORD}(?:(?:\\s+|-)${NUMBER_WORD})*(?![\\p{L}\\p{N}])`, 'gu');
const CURRENCY_AFTER = /^\s*(?:yuan|rmb|cny|元|块|圆)(?![a-z])/;

/** Where a text (lower case) names an amount in English words, and its value. */
export function findNumberWordAmounts(text: string): { start: number; end: number; yuan: number; scale: number }[] {
  const found: { start: number; end: number; yuan: number; scale: number }[] = [];
  for (const m of text.matchAll(NUMBER_WORD_RUN)) {
    // Glue words at the edges belong to the sentence, not the number: "lost [half a million] of".
    const words = [...m[0].matchAll(/[a-z]+/g)];
    let first = 0;
    let last = words.length - 1;
    while (first <= last && ['and', 'of'].includes(words[first]![0])) first++;
    while (last >= first && GLUE.includes(words[last]![0])) last--;
    if (first > last) continue;
    const start = m.index + words[first]!.index!;
    const end = m.index + words[last]!.index! + words[last]![0].length;
    const list = words.slice(first, last + 1).map((w) => w[0]);
    const value = numberWordsValue(list);
    if (value === null) continue;
    const scale = Math.max(1, ...list.map((w) => SCALES[w] ?? 1));
    if (scale === 1 && !CURRENCY_AFTER.test(text.slice(end))) continue;
    // Hyperbole: "thanks a million", "one in a million", "a thousand questions".
    const bare = list.length === 2 && (list[0] === 'a' || list[0] === 'an');
    if (bare && (/(?:thanks|thank you|one in)\s+$/.test(text.slice(0, start)) || /^\s+(?!dollars|bucks)[a-z]+s(?![a-z])/.test(text.slice(end)))) continue;
    found.push({ start, end, yuan: value, scale });
  }
  return found;
}

function numeralsForNumberWords(s: string): string {
  let out = '';
  let at = 0;
  for (const a of findNumberWordAmounts(s)) {
    const word = a.scale >= 1e3 ? Object.keys(SCALES).find((k) => SCALES[k] === a.scale)! : '';
    const number = word === '' ? a.yuan : Number((a.yuan / a.scale).toFixed(6));
    out += `${s.slice(at, a.start)}${number}${word === '' ? '' : ` ${word}`}`;
    at = a.end;
  }
  return out + s.slice(at);
}

/**
 * The value of number words, or null when they are not one number: a cardinal ("two hundred and
 * fifty thousand", "a million"), "half a million", "a quarter of a million", "three quarters of a
 * million", "one and a half million", "a million and a half".
 */
export function numberWordsValue(words: string[]): number | null {
  const w = [...words];
  // "a million and a half", "two million and a half": half of the last scale more.
  if (w.length >= 4 && w.slice(-3).join(' ') === 'and a half') {
    const base = cardinal(w.slice(0, -3));
    const scale = SCALES[w.at(-4)!];
    return base === null || scale === undefined ? null : base + scale / 2;
  }
  // "one and a half million", "two and a half thousand".
  const andAHalf = w.findIndex((x, i) => x === 'and' && w[i + 1] === 'a' && w[i + 2] === 'half');
  if (andAHalf > 0) {
    const base = cardinal(w.slice(0, andAHalf));
    const scale = scaleOf(w.slice(andAHalf + 3));
    return base === null || scale === null || base >= 1000 ? null : (base + 0.5) * scale;
  }
  // "half a million", "a half million", "a quarter of a million", "three quarters of a million".
  const fraction = w.findIndex((x) => FRACTIONS.includes(x));
  if (fraction >= 0) {
    const head = w.slice(0, fraction);
    const article = head.length === 1 && (head[0] === 'a' || head[0] === 'an');
    let share: number;
    if (w[fraction] === 'half') {
      if (head.length > 0 && !article) return null;
      share = 0.5;
    } else {
      const count = head.length === 0 || article ? 1 : cardinal(head);
      if (count === null || count > 3 || (w[fraction] === 'quarters') !== count > 1) return null;
      share = count / 4;
    }
    let rest = w.slice(fraction + 1);
    if (rest[0] === 'of') rest = rest.slice(1);
    if (rest[0] === 'a' || rest[0] === 'an') rest = rest.slice(1);
    const scale = scaleOf(rest);
    return scale === null ? null : share * scale;
  }
  return cardinal(w);
}

/** "million" → 1e6, "hundred thousand" → 1e5; null unless every word is a scale word. */
function scaleOf(words: string[]): number | null {
  if (words.length === 0 || !words.every((x) => x in SCALES)) return null;
  return words.reduce((product, x) => product * SCALES[x]!, 1);
}

/** "two hundred and fifty thousand", "a million", "eighty": English cardinal numbers. */
function cardinal(words: string[]): number | null {
  if (words.length === 0) return null;
  let total = 0;
  let group: number | null = null; // below 1000
  let lastScale = Infinity;
  let sawNumber = false;
  for (let i = 0; i < words.length; i++) {
    const x = words[i]!;
    if (x === 'a' || x === 'an') {
      // "a" stands for one only before a scale word: "a hundred", "a million".
      if (group !== null || !(words[i + 1]! in SCALES)) return null;
      group = 1;
    } else if (x === 'and') {
      if (group === null && total === 0) return null;
    } else if (x in ONES) {
      const n = ONES[x]!;
      if (group !== null) {
        const tens = group % 100;
        // "two hundred [and] fifty", "twenty-five", "two hundred fifty-five"; not "one two".
        const fits = group > 0 && n > 0 && ((tens === 0 && n < 100) || (tens >= 20 && tens % 10 === 0 && n < 10));
        if (!fits) return null;
      }
      group = (group ?? 0) + n;
      sawNumber = true;
    } else if (x === 'hundred') {
      if (group === null || group === 0 || group >= 100) return null;
      group *= 100;
    } else if (x in SCALES) {
      const scale = SCALES[x]!;
      if (group === null || group === 0 || scale >= lastScale) return null;
      total += group * scale;
      group = null;
      lastScale = scale;
    } else return null;
  }
  if (!sawNumber && !words.some((x) => x === 'a' || x === 'an')) return null;
  return total + (group ?? 0);
}

function valueOf(span: string, mult: string | undefined): number | null {
  const tokens = tokenize(span);
  if (tokens === null) return null;
  let value = evaluate(tokens);
  if (value === null) return null;
  if (mult !== undefined) {
    // "8万k" is not a way anyone writes money.
    if (tokens.length !== 1) return null;
    value *= EN_MULTIPLIERS[mult]!;
  }
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : null;
}

type Token =
  | { kind: 'num'; value: number; singleDigit: boolean }
  | { kind: 'zero' }
  | { kind: 'unit'; value: number }
  | { kind: 'big'; value: number };

const ARABIC = /(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/y;

function tokenize(span: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < span.length) {
    ARABIC.lastIndex = i;
    const arabic = ARABIC.exec(span);
    if (arabic) {
      tokens.push({ kind: 'num', value: Number(arabic[0].replaceAll(',', '')), singleDigit: arabic[0].length === 1 });
      i += arabic[0].length;
      continue;
    }
    const ch = span[i]!;
    if (ch in DIGITS) tokens.push({ kind: 'num', value: DIGITS[ch]!, singleDigit: true });
    else if (ZEROS.includes(ch)) tokens.push({ kind: 'zero' });
    else if (ch in SMALL_UNITS) tokens.push({ kind: 'unit', value: SMALL_UNITS[ch]! });
    else if (ch in BIG_UNITS) tokens.push({ kind: 'big', value: BIG_UNITS[ch]! });
    else if (ch === '点') {
      // 一点五万 = 1.5万: the digits after 点 are the fraction of the number before it.
      const prev = tokens.at(-1);
      let fraction = '';
      for (i++; i < span.length; i++) {
        const c = span[i]!;
        const digit = /\d/.test(c) ? Number(c) : ZEROS.includes(c) ? 0 : DIGITS[c];
        if (digit === undefined) break;
        fraction += String(digit);
      }
      if (prev?.kind !== 'num' || !Number.isInteger(prev.value) || fraction === '') return null;
      prev.value = Number(`${prev.value}.${fraction}`);
      prev.singleDigit = false;
      continue;
    } else return null;
    i++;
  }
  return tokens;
}

// Chinese numeral grammar: digits times units (十百千) make a section below 万; sections times
// 万/亿 add up, largest first. 零 marks a skipped place (五十万零一 = 500,001). A lone digit
// right after a unit is the next place down (4万9 = 49,000, 一千五 = 1,500), as people say it.
function evaluate(tokens: Token[]): number | null {
  if (tokens.length === 1 && tokens[0]!.kind === 'zero') return 0;
  let total = 0;
  let section = 0;
  let current: { value: number; singleDigit: boolean } | null = null;
  let lastUnit = Infinity;
  let lastBig = Infinity;
  let previousMagnitude = 0; // value of the unit token just before `current`, 0 if none
  let afterZero = false;
  for (const tok of tokens) {
    switch (tok.kind) {
      case 'num':
        if (current !== null) return null; // two numbers side by side: "一二", "80 000"
        current = tok;
        break;
      case 'zero':
        if (current !== null || (section === 0 && total === 0)) return null;
        afterZero = true;
        previousMagnitude = 0;
        break;
      case 'unit': {
        const n: number | null = current?.value ?? (tok.value === 10 ? 1 : null); // 十五 = 15
        if (n === null || tok.value >= lastUnit) return null;
        section += n * tok.value;
        lastUnit = tok.value;
        previousMagnitude = tok.value;
        current = null;
        afterZero = false;
        break;
      }
      case 'big': {
        const sectionValue = section + (current?.value ?? 0);
        if (sectionValue === 0 || tok.value >= lastBig) return null; // "万" alone, "8万万"
        total += sectionValue * tok.value;
        section = 0;
        lastUnit = Infinity;
        lastBig = tok.value;
        previousMagnitude = tok.value;
        current = null;
        afterZero = false;
        break;
      }
    }
  }
  if (current !== null) {
    const colloquial = !afterZero && current.singleDigit && previousMagnitude >= 100;
    section += colloquial ? (current.value * previousMagnitude) / 10 : current.value;
  }
  return total + section;
}
