// Finds the policy's signal words in a complaint (legal dispute, mass incident, reputation damage,
// media threat, regulator, insult, anger, threat, self-harm/violence) and decides for each whether it
// counts: negated and hypothetical mentions do not.
//
// Matching, per clause (the text between ，。；！？ , . ; ! ? and line breaks):
// - Chinese terms must line up with jieba's words: a match may not start inside a word (报告你们 is
//   not 告你们, 马上访问 is not 上访, 13912378456 is not 12378) and a two-character term may not end
//   inside one (还没完成 is not 没完); a term inside a single jieba word counts (律师函, 起诉书,
//   中国证监会) unless the signal's `exclude` phrases say otherwise (记者节, 跳楼价, 联名卡).
//   One-character terms (滚) must be a word of their own.
// - English terms match whole words, case-insensitively; `*` at the end matches any ending, two or
//   more at the end a censored ending (f** = f***, f**king), inside a word a censored letter (f*ck),
//   as a word of its own one to three words (contacting the * post). A group `(a|b)` in any term
//   stands for each alternative. English terms are not tried on a clause without Latin letters.
// - Contextual terms (a signal's `contextual`) count only when one of their context words, not
//   negated, is somewhere in the complaint: 写一篇 by someone who says 我是做自媒体的, 说…不合法 with a
//   律师 in the complaint.
// - Groups (groupMatches): a number of customers, investors, households (三十多户, 十几个客户, a group
//   of fifty investors) at least `massIncident.minGroupSize` is a mass incident; a number of mere
//   people (二十几个人) or a group without a number (一群人, a bunch of us) is one when it acts
//   together (一起, 商量好, together…, not negated) in its clause, or in its sentence if the group
//   includes the complainant (我们…).
//
// Whether a match counts — checked from the start of the longest signal phrase around it, so that
// 没有找记者 negates 记者 as well as 找记者:
// - negated when a negation marker (不, 没有, 不打算, not, won't, no…) stands at most
//   `negation.windowTokens` words before it with only bridging words in between (我不[打算]起诉,
//   I'm not [going to] sue; but 你们不处理我就去找媒体 is not negated: 处理 is no bridge), or a
//   post-negation follows it (起诉就算了). 不得不, 要不要, no choice… are not negations.
//   A signal right after or/nor/and/或/或者/、 shares the negation of the signal before it (I'm not
//   going to sue or go to the press).
// - hypothetical when a condition marker (如果, 要是, 万一, if, what if…) precedes it in the clause
//   with no consequence marker (就, 否则, 我会, I will, then…) in between, or 的话 follows it:
//   如果我起诉能赢吗, 起诉的话要多久, what if a journalist finds out. An ultimatum — 如果再不处理我就去找
//   媒体, if you don't refund me I will sue, if it isn't paid by the 30th I'm taking you to court — is
//   a threat and counts; the consequence marker may not be the word right after the condition marker
//   ("if I'm taking you to court, how long…" is a question). Signals listed in
//   `hypothetical.stillCounts` (self-harm and violence) count even when hypothetical.
// - a reputation-damage word inside a media threat (记者 in 找记者, journalist in "contact a
//   journalist") is only a threat, L2, unless the clause says it already happened (已经, 了, already).
import type { Bilingual, ComplaintPolicy, TriageSignalName } from '../policy/policy-schema';
import { TRIAGE_SIGNAL_NAMES } from '../policy/policy-schema';
import { hasHan, splitClauses, tokenize, type Clause, type Token } from './text';
import { parseAmount } from '../intake/parse-amount';

export interface SignalMatch {
  signal: TriageSignalName;
  /** The words as they appear in the (normalised) text. */
  words: string;
  /** The vocabulary term or pattern that matched. */
  term: string;
  clause: string;
}

export type DiscountReason = 'negated' | 'hypothetical' | 'not_yet_happened';

export interface DiscountedMatch extends SignalMatch {
  why: DiscountReason;
  /** The word that discounted it (不打算, 如果, 找记者…). */
  marker: string;
}

export interface SignalFindings {
  counted: SignalMatch[];
  discounted: DiscountedMatch[];
}

interface RawMatch {
  signal: TriageSignalName;
  start: number;
  end: number;
  term: string;
}

/** A vocabulary ready to match: a signal's, or the togetherness and group phrases of a mass incident. */
interface CompiledVocab {
  zh: string[];
  /** The same terms by their first character (with their place in `zh`): a clause is read once, not once per term. */
  zhByFirst: Map<string, { term: string; index: number }[]>;
  /** Chinese terms with `*` (一起*营业部): up to six characters of the same clause in between. */
  zhPatterns: { term: string; re: RegExp; must: string[] | null }[];
  digits: { term: string; re: RegExp }[];
  /** English terms; `latin`: the term has letters, so a clause without any cannot hold it. */
  en: { term: string; re: RegExp; latin: boolean; must: string[] | null }[];
  exclude: { re: RegExp; must: string[] | null }[];
}

interface CompiledSignal extends CompiledVocab {
  name: TriageSignalName;
  /** Terms that count only when one of the context words is in the complaint (写一篇 + 自媒体). */
  contextual?: { terms: CompiledVocab; context: CompiledVocab };
}

interface PhraseSet {
  set: Set<string>;
  maxTokens: number;
}

interface Compiled {
  signals: CompiledSignal[];
  windowTokens: number;
  negation: PhraseSet;
  bridges: Set<string>;
  notNegation: string[];
  negationAfter: PhraseSet;
  /** Someone else's suggestion (朋友说…) and the customer turning it down (但我觉得没必要). */
  rejected: { reporters: CompiledVocab; rejections: CompiledVocab };
  hypothetical: PhraseSet;
  conditionEnd: PhraseSet;
  consequence: PhraseSet;
  stillCounts: Set<TriageSignalName>;
  perfectiveWords: PhraseSet;
  perfectiveParticles: Set<string>;
  group: { minSize: number; zh: RegExp; en: RegExp; zhNouns: Set<string>; enNouns: Set<string>; phrases: CompiledVocab; together: CompiledVocab };
}

const cache = new WeakMap<ComplaintPolicy, Compiled>();

function compiled(policy: ComplaintPolicy): Compiled {
  let c = cache.get(policy);
  if (c === undefined) {
    c = compile(policy);
    cache.set(policy, c);
  }
  return c;
}

const lower = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function phraseSet(...lists: string[][]): PhraseSet {
  const set = new Set<string>();
  let maxTokens = 1;
  for (const list of lists) {
    for (const raw of list) {
      const p = lower(raw);
      set.add(p);
      maxTokens = Math.max(maxTokens, tokenize(p).length);
    }
  }
  return { set, maxTokens };
}

function both(b: Bilingual): string[] {
  return [...b.zh, ...b.en];
}

/**
 * The terms a vocabulary entry stands for: every `(a|b|…)` group is one of its alternatives
 * (砍(了|死)(你|他) = 砍了你, 砍了他, 砍死你, 砍死他; an empty alternative makes the group optional).
 */
export function expandAlternatives(term: string): string[] {
  const group = /\(([^()]*)\)/.exec(term);
  if (!group) return [term];
  const before = term.slice(0, group.index);
  const after = term.slice(group.index + group[0].length);
  return [...new Set(group[1]!.split('|').flatMap((alt) => expandAlternatives(`${before}${alt}${after}`)))];
}

/** Above this many alternatives a Chinese term is matched as a regular expression. */
const MAX_EXPANDED = 40;

function compileVocab(v: { zh: string[]; en: string[]; exclude?: string[] | undefined }): CompiledVocab {
  const zh: string[] = [];
  const zhPatterns: { term: string; re: RegExp; must: string[] | null }[] = [];
  const digits: string[] = [];
  const ZH_GAP = '[^,。;!?\\n]{0,6}?';
  for (const raw of v.zh.map(lower)) {
    if (raw.includes('*')) {
      zhPatterns.push({ term: raw, re: new RegExp(groupsToRegex(raw, (t) => t.split('*').map(escapeRe).join(ZH_GAP)), 'gu'), must: requiredText(raw) });
      continue;
    }
    // Plain terms are looked up as strings, one per alternative (砍(了|)(你|他) → 砍了你, 砍你, …);
    // a term standing for many alternatives is one regular expression instead (same matches, faster).
    const alternatives = expandAlternatives(raw);
    if (alternatives.length > MAX_EXPANDED && !alternatives.some((t) => /^[\d.·]+$/.test(t))) {
      zhPatterns.push({ term: raw, re: new RegExp(groupsToRegex(raw, escapeRe), 'gu'), must: requiredText(raw) });
      continue;
    }
    for (const term of alternatives) {
      if (/^[\d.·]+$/.test(term)) digits.push(term);
      else zh.push(term);
    }
  }
  const en = v.en.map((raw) => {
    const term = lower(raw);
    if (/^\d+$/.test(term)) return { term, re: new RegExp(`(?<!\\d)${term}(?!\\d)`, 'gu'), latin: false, must: [term] };
    // Whole words: no Latin letter or digit may touch them (a Chinese character may: sb客服).
    const re = new RegExp(`(?<![\\p{Script=Latin}\\p{N}])${groupsToRegex(term, englishPattern)}(?![\\p{Script=Latin}\\p{N}])`, 'gu');
    return { term, re, latin: /\p{Script=Latin}/u.test(term), must: requiredText(term) };
  });
  const EXCLUDE_GAP = '[^,。;!?\\n]{0,12}';
  const exclude = (v.exclude ?? []).map((raw) => ({
    re: new RegExp(groupsToRegex(lower(raw), (t) => t.split('*').map(escapeRe).join(EXCLUDE_GAP)), 'gu'),
    must: requiredText(lower(raw)),
  }));
  const zhByFirst = new Map<string, { term: string; index: number }[]>();
  zh.forEach((term, index) => {
    if (term === '') return;
    const list = zhByFirst.get(term[0]!) ?? [];
    list.push({ term, index });
    zhByFirst.set(term[0]!, list);
  });
  const digitTerms = digits.map((term) => ({ term, re: new RegExp(`(?<![\\d.·])${escapeRe(term)}(?![\\d.·])`, 'g') }));
  return { zh, zhByFirst, zhPatterns, digits: digitTerms, en, exclude };
}

/**
 * Texts one of which every match of a term contains: its longest run outside `(…)` groups, `*`
 * wildcards and spaces (at least two Latin characters, or one of another script); for a term of groups
 * only, those of its first group's alternatives; null when there is none (the pattern always runs). A
 * clause without any cannot match, so the term's regular expression is not run — nor compiled: V8
 * drops compiled regular expressions at each full garbage collection, and compiling the ~1 400
 * vocabulary patterns again took the next triage 275 ms.
 */
function requiredText(term: string): string[] | null {
  let outside = term;
  for (let prev = ''; prev !== outside; ) {
    prev = outside;
    outside = outside.replace(/\([^()]*\)/g, ' ');
  }
  const longest = outside.split(/[\s*]+/).reduce((a, b) => (b.length > a.length ? b : a), '');
  // Two Latin letters, or one character of any other script (a Han character is selective enough).
  if (longest.length >= 2 || (longest.length === 1 && !/[\x00-\x7f]/.test(longest))) return [longest];
  // Only groups: a match starts with one of the first group's alternatives, each with text of its own.
  const first = /^\s*\(/.exec(term) ? topLevelGroup(term) : null;
  if (!first) return null;
  const each = first.map(requiredText);
  return each.every((r) => r !== null) ? [...new Set(each.flatMap((r) => r!))] : null;
}

/** The alternatives of the term's first `(…)` group, when it opens the term (else null). */
function topLevelGroup(term: string): string[] | null {
  const open = term.indexOf('(');
  const alternatives: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open; i < term.length; i++) {
    const c = term[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      alternatives.push(term.slice(from, i));
      return alternatives;
    } else if (c === '|' && depth === 1) {
      alternatives.push(term.slice(from, i));
      from = i + 1;
    }
  }
  return null;
}

/** Whether the clause holds one of the texts every match needs (null: no such text, always try). */
const mayMatch = (s: string, must: string[] | null) => must === null || must.some((m) => s.includes(m));

/**
 * A vocabulary term as a regular expression: each `(a|b|…)` group an alternation (longest
 * alternative first, so 你们 is tried before 你), the text between groups through `literal`.
 */
function groupsToRegex(term: string, literal: (text: string) => string): string {
  let i = 0;
  const sequence = (): string => {
    let out = '';
    let text = '';
    while (i < term.length && term[i] !== '|' && term[i] !== ')') {
      if (term[i] !== '(') {
        text += term[i++];
        continue;
      }
      out += literal(text);
      text = '';
      i++;
      const alternatives: { raw: string; re: string }[] = [];
      for (;;) {
        const from = i;
        const re = sequence();
        alternatives.push({ raw: term.slice(from, i), re });
        if (term[i] === '|') i++;
        else if (term[i] === ')') {
          i++;
          break;
        } else throw new Error(`unbalanced "(" in vocabulary term ${JSON.stringify(term)}`);
      }
      alternatives.sort((a, b) => b.raw.length - a.raw.length);
      out += `(?:${alternatives.map((a) => a.re).join('|')})`;
    }
    return out + literal(text);
  };
  const re = sequence();
  if (i < term.length) throw new Error(`unbalanced "${term[i]}" in vocabulary term ${JSON.stringify(term)}`);
  return re;
}

/** The matches of a vocabulary in a clause (Chinese ones lined up with jieba's words), exclusions removed. */
function vocabMatches(s: string, tokens: Token[], starts: Map<number, number>, ends: Map<number, number>, v: CompiledVocab, signal: TriageSignalName): RawMatch[] {
  const found: RawMatch[] = [];
  // Every place a term occurs, found in one pass over the clause, then in the order of the terms
  // (and of the places for each term) — the order a scan term by term gives.
  const hits: { index: number; at: number; term: string }[] = [];
  for (let at = 0; at < s.length; at++) {
    const candidates = v.zhByFirst.get(s[at]!);
    if (candidates) for (const { term, index } of candidates) if (s.startsWith(term, at)) hits.push({ index, at, term });
  }
  if (hits.length > 1) hits.sort((a, b) => a.index - b.index || a.at - b.at);
  for (const { at, term } of hits) {
    if (alignedWithWords(tokens, starts, ends, at, at + term.length, term)) found.push({ signal, start: at, end: at + term.length, term });
  }
  for (const { term, re, must } of v.zhPatterns) {
    if (!mayMatch(s, must)) continue;
    for (const m of s.matchAll(re)) {
      if (alignedWithWords(tokens, starts, ends, m.index, m.index + m[0].length, m[0])) found.push({ signal, start: m.index, end: m.index + m[0].length, term });
    }
  }
  for (const { term, re } of v.digits) {
    if (!s.includes(term)) continue;
    for (const m of s.matchAll(re)) found.push({ signal, start: m.index, end: m.index + m[0].length, term });
  }
  const latin = /\p{Script=Latin}/u.test(s);
  for (const { term, re, latin: needsLatin, must } of v.en) {
    if (needsLatin && !latin) continue;
    if (!mayMatch(s, must)) continue;
    for (const m of s.matchAll(re)) found.push({ signal, start: m.index, end: m.index + m[0].length, term });
  }
  return withoutExcluded(s, found, v);
}

function withoutExcluded(s: string, found: RawMatch[], v: CompiledVocab): RawMatch[] {
  if (found.length === 0 || v.exclude.length === 0) return found;
  const excluded = v.exclude.flatMap(({ re, must }) => (mayMatch(s, must) ? [...s.matchAll(re)] : []).map((m) => [m.index, m.index + m[0].length] as const));
  return found.filter((m) => !excluded.some(([xs, xe]) => xs <= m.start && m.end <= xe));
}

const CENSOR = '[*#@$%]';

/**
 * English text as a pattern: words separated by any space; a `*` at the end of a word matches any
 * ending (lawyer* = lawyers), a run of two or more at the end a censored ending (f** = f**, f***,
 * f**king, f***ing; s** = s**t), a `*` inside a word stands for the symbols people censor a word with
 * (f*ck = f*ck, f**ck, f#ck — not "feedback"; the plain word is a term of its own), and a `*` as a
 * word of its own for one to three words (contact the * post = contact the South China Morning Post).
 */
function englishPattern(text: string): string {
  return text
    .split(' ')
    .map((w) => {
      if (w === '') return '';
      if (w === '*') return "[\\p{L}\\p{N}'-]+(?:\\s+[\\p{L}\\p{N}'-]+){0,2}";
      if (/^[^*]+\*{2,}$/.test(w)) return `${w.replace(/\*+$/, '').split(/\*+/).map(escapeRe).join(`${CENSOR}+`)}${CENSOR}{2,}\\p{L}*`;
      const ending = w.endsWith('*') && !/^\*+$/.test(w);
      const inner = (ending ? w.replace(/\*+$/, '') : w)
        .split(/\*+/)
        .map(escapeRe)
        .join(`${CENSOR}+`);
      return ending ? `${inner}[\\p{L}\\p{N}*']*` : inner;
    })
    .join('\\s+');
}

function compile(policy: ComplaintPolicy): Compiled {
  const t = policy.triage;
  const signals = TRIAGE_SIGNAL_NAMES.map((name): CompiledSignal => {
    const v = t.signals[name];
    const contextual = v.contextual
      ? { terms: compileVocab({ zh: v.contextual.zh, en: v.contextual.en, exclude: v.exclude }), context: compileVocab(v.contextual.context) }
      : undefined;
    return { name, ...compileVocab(v), contextual };
  });

  const nouns = t.massIncident.groupNouns;
  const zhNouns = nouns.zh.map(lower).filter((n) => n !== '户');
  const enNouns = nouns.en.map(lower);
  const zhNounAlt = [...zhNouns, '人'].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
  const enNounAlt = [...enNouns, 'people', 'persons', 'us'].sort((a, b) => b.length - a.length).map(englishPattern).join('|');
  const zhNumber = '好几十|好几百|好几千|十几|几十|数十|上百|近百|几百|数百|上千|近千|几千|数千|\\d+|[一二两三四五六七八九十百千]+';
  const enNumber = `\\d+|a\\s+dozen|dozens|hundreds|scores|thousands|a\\s+hundred|one\\s+hundred|${Object.keys(EN_NUMBERS).join('|')}`;

  return {
    signals,
    windowTokens: t.negation.windowTokens,
    negation: phraseSet(both(t.negation.markers)),
    bridges: new Set(both(t.negation.bridges).map(lower)),
    notNegation: both(t.negation.notNegation).map(lower),
    negationAfter: phraseSet(both(t.negation.after)),
    rejected: { reporters: compileVocab(t.negation.rejectedSuggestion.reporters), rejections: compileVocab(t.negation.rejectedSuggestion.rejections) },
    hypothetical: phraseSet(both(t.hypothetical.markers)),
    conditionEnd: phraseSet(both(t.hypothetical.conditionEnd)),
    consequence: phraseSet(both(t.hypothetical.consequence)),
    stillCounts: new Set(t.hypothetical.stillCounts),
    perfectiveWords: phraseSet(both(t.perfective).map(lower).filter((p) => [...p].length > 1 || !hasHan(p))),
    perfectiveParticles: new Set(t.perfective.zh.map(lower).filter((p) => [...p].length === 1 && hasHan(p))),
    group: {
      minSize: t.massIncident.minGroupSize,
      // 三十多户 · 十几个客户 · 上百名投资者 · 二十多人 · 十多位 · 一百多号人 — 户 stands alone; 个/家 need
      // a noun; 位/名/号人 without one are people (not 五位数, 第十名次).
      zh: new RegExp(
        `(?<num>${zhNumber})(?:多|余|来|几)?(?:(?<hu>户)(?![口型籍头名主])|(?:个|名|位|家)?(?<noun>${zhNounAlt})|(?<cls>号人|位|名)(?![数置子次额单字列])|(?<jia>家)(?:人家|人)?(?!${NOT_HOUSEHOLD}))`,
        'gu',
      ),
      en: new RegExp(
        `(?<![\\p{L}\\p{N}])(?<num>${enNumber})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?(?:\\s+of)?(?:\\s+(?:other|more|fellow|angry|elderly|retired|affected|local|different))?\\s+(?<noun>${enNounAlt})(?![\\p{L}\\p{N}])`,
        'gu',
      ),
      zhNouns: new Set(zhNouns),
      enNouns: new Set(enNouns),
      phrases: compileVocab(t.massIncident.groupPhrases),
      together: compileVocab(t.massIncident.togetherness),
    },
  };
}

// 十几家 are households — unless they are companies, banks or shops (问了十几家保险公司).
const NOT_HOUSEHOLD =
  '(?:公司|银行|保险|券商|证券|基金|机构|店|医院|平台|单位|网点|营业部|门店|企业|app|餐厅|饭店|超市|商场|酒店|中介|律所|媒体|报社|电视台|网站|工厂|厂|银|分行|支行|代理|经纪|同行|竞品|产品|[a-z])';
// A place people live or work together before 十几家: 我们村十几家, 小区里二十来家, 单位里好几家.
const COMMUNITY_BEFORE = /(?:村|村里|村子里|村上|屯|寨|小区|小区里|楼里|楼上楼下|单位|单位里|厂里|街上|镇上|乡里|社区|我们|咱们|俺们|邻居|亲戚)(?:的|里|里的|就有|有|一共|总共|前后|至少|足足)?$/u;

const EN_NUMBERS: Record<string, number> = {
  five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14,
  fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40,
  fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, two: 2, three: 3, four: 4,
};

function groupSize(num: string): number | null {
  const n = num.replace(/\s+/g, ' ');
  const vague: Record<string, number> = {
    好几十: 20, 好几百: 200, 好几千: 2000, 十几: 10, 几十: 20, 数十: 20, 上百: 100, 近百: 90, 几百: 200, 数百: 200, 上千: 1000, 近千: 900, 几千: 2000, 数千: 2000,
    'a dozen': 12, dozens: 24, hundreds: 200, scores: 40, thousands: 2000, 'a hundred': 100, 'one hundred': 100,
  };
  if (n in vague) return vague[n]!;
  if (n in EN_NUMBERS) return EN_NUMBERS[n]!;
  if (/^\d+$/.test(n)) return Number(n);
  // 七八户, 五六个客户, 二三十户: a range of neighbouring numerals counts at its lower bound.
  const pair = /^(?<pre>.*?)(?<a>[一二两三四五六七八九])[二三四五六七八九](?<post>十?)$/u.exec(n);
  if (pair?.groups) {
    const low = parseAmount(`${pair.groups.pre}${pair.groups.a}${pair.groups.post}`);
    if (low.kind === 'amount') return low.yuan;
  }
  const parsed = parseAmount(n);
  return parsed.kind === 'amount' ? parsed.yuan : null;
}

interface PreparedClause {
  clause: Clause;
  tokens: Token[];
  starts: Map<number, number>;
  ends: Map<number, number>;
  /** Togetherness words in the clause that are not negated (一起, 商量好, together…). */
  together: string[];
}

/** Every signal in the text, split into those that count and those that were discounted (and why). */
export function findSignals(text: string, policy: ComplaintPolicy): SignalFindings {
  const c = compiled(policy);
  const findings: SignalFindings = { counted: [], discounted: [] };
  const clauses = splitClauses(withoutCompanyQuotes(text)).map((clause): PreparedClause => {
    const tokens = tokenize(clause.text);
    const starts = new Map(tokens.map((t, i) => [t.start, i]));
    const ends = new Map(tokens.map((t, i) => [t.end, i]));
    return { clause, tokens, starts, ends, together: togetherIn(clause.text, tokens, starts, ends, c) };
  });
  // A group that includes the complainant (我们二十几个人…) acts together when its sentence says so,
  // even in another clause: 我们二十几个人都被误导了，大家商量好一起来找你们.
  const sentenceTogether = new Map<number, string[]>();
  for (const p of clauses) sentenceTogether.set(p.clause.sentence, [...(sentenceTogether.get(p.clause.sentence) ?? []), ...p.together]);
  const contexts = contextsIn(clauses, c);
  clauses.forEach((p, i) =>
    scanClause(p, clauses.slice(i + 1, i + 3), sentenceTogether.get(p.clause.sentence) ?? [], contexts, c, findings, othersCounterfactual(clauses, i)),
  );
  return findings;
}

// Text the company wrote, quoted by the customer: a quotation introduced by the company, its SMS,
// notice, e-mail or agent (收到你们短信："…可拨打12378", 客服说"…", your text said "…"), a
// quotation that opens with an SMS signature (【XX保险】…), and an unquoted SMS from its 【signature】
// to the end of its sentence. Its words are not the customer's: 12378 in the company's own SMS is no
// complaint to the regulator. Masked with spaces, so offsets stay those of the normalised text.
const COMPANY_SOURCE =
  /(?:你们|贵司|贵公司|公司|客服|官方|系统|app|短信|通知|消息|邮件|回复|公告|推送|来信|回函|告知书|页面|条款|合同|业务员|理赔员|经理|坐席|your\s+(?:sms|text|message|email|e-mail|letter|notice|agent|staff|app|website|reply)|(?:the|an?)\s+(?:sms|text message|text|notice|letter|email|e-mail)|customer service|you)(?:[^"「『。!?\n]{0,14}(?:告诉我|跟我说|对我说|说|称|讲|写|写着|写道|写的|显示|提示|表示|回复|告知|通知|内容|如下|里|上|中|said|says|read|reads|stated|states|wrote|told me|replied|sent))?\s*[:,]?\s*$/u;
// …unless the customer is the one speaking: 我跟客服说"…", I told your agent "…" (not 客服回复我说).
const CUSTOMER_SPEAKS = /(?<![复诉跟和对给问叫让])(?:我|我们)[^"「『。!?\n]{0,10}(?:说|讲|告诉|写|回复|问|回)[^"「『。!?\n]{0,4}$|(?<![\p{L}])(?:i|we)\s+(?:said|told|wrote|replied|asked)[^"。!?\n]{0,30}$/u;
const QUOTATION = /"([^"\n]{1,400})"|「([^」\n]{1,400})」|『([^』\n]{1,400})』/gu;
const SMS_SIGNATURE = /【[^】\n]{1,24}】[^"。!?\n]*/gu;

function withoutCompanyQuotes(text: string): string {
  const mask = (s: string) => s.replace(/[^\n]/g, ' ');
  let out = text.replace(QUOTATION, (whole, ...groups: unknown[]) => {
    const at = groups[3] as number;
    const inner = whole.slice(1, -1);
    const before = text.slice(Math.max(0, at - 40), at);
    const company = inner.trimStart().startsWith('【') || (COMPANY_SOURCE.test(before) && !CUSTOMER_SPEAKS.test(before));
    return company ? whole[0] + mask(inner) + whole[whole.length - 1] : whole;
  });
  out = out.replace(SMS_SIGNATURE, mask);
  return out;
}

// What would have happened to someone else (要是换成网红，这种事估计早上热搜了吧; if it had been a
// celebrity, it would have been trending) — a counterfactual in an earlier clause of the sentence
// makes the clauses after it hypothetical, unless the customer states an action of their own there
// (要是换成别人，我就去找媒体了 is the customer's threat).
const OTHERS_COUNTERFACTUAL =
  /(?:换成|换作|换做|换了|换个|假如是|如果是|要是是|要是|如果|假如|若是)(?:是)?(?:个|一个|那些)?(?:网红|明星|名人|大v|领导|有钱人|有关系的人?|有背景的人?|当官的|富人|大客户|vip客户|vip|别人|别的人|其他人|别的客户|一般人|有名的人|公众人物)|(?<![\p{L}])(?:if|had)\s+(?:it|this|they|that)\s+(?:were|was|had been|been|happened to)\s+(?:a|an|some)?\s*(?:celebrity|influencer|famous person|someone famous|someone important|somebody famous|vip|big client|official|anyone else|someone else|somebody else)/u;
const OWN_ACTION = /我(?:们)?(?:就|会|要|马上|明天|一定|肯定|早就|已经)|(?<![\p{L}])(?:i|we)(?:'ll| will| am| have|'ve|'m)(?![\p{L}])/u;

function othersCounterfactual(clauses: PreparedClause[], i: number): string | null {
  const here = clauses[i]!;
  if (OWN_ACTION.test(here.clause.text)) return null;
  for (let j = i; j >= 0 && clauses[j]!.clause.sentence === here.clause.sentence; j--) {
    const m = OTHERS_COUNTERFACTUAL.exec(clauses[j]!.clause.text);
    if (m && (j < i || m.index + m[0].length < here.clause.text.length)) return m[0];
  }
  return null;
}

/**
 * For each signal with contextual terms, the first context word in the complaint that is not
 * negated (自媒体 in 我是做自媒体的, followers in "I have 50k followers").
 */
function contextsIn(clauses: PreparedClause[], c: Compiled): Map<TriageSignalName, string> {
  const found = new Map<TriageSignalName, string>();
  for (const sig of c.signals) {
    if (!sig.contextual) continue;
    for (const p of clauses) {
      const s = p.clause.text;
      const hit = vocabMatches(s, p.tokens, p.starts, p.ends, sig.contextual.context, sig.name).find((m) => negatedBy(s, p.tokens, m.start, m.end, c) === null);
      if (hit) {
        found.set(sig.name, s.slice(hit.start, hit.end));
        break;
      }
    }
  }
  return found;
}

function togetherIn(s: string, tokens: Token[], starts: Map<number, number>, ends: Map<number, number>, c: Compiled): string[] {
  return vocabMatches(s, tokens, starts, ends, c.group.together, 'massIncident')
    .filter((m) => negatedBy(s, tokens, m.start, m.end, c) === null)
    .map((m) => s.slice(m.start, m.end));
}

function scanClause(
  p: PreparedClause,
  following: PreparedClause[],
  sentenceTogether: string[],
  contexts: Map<TriageSignalName, string>,
  c: Compiled,
  out: SignalFindings,
  counterfactual: string | null = null,
): void {
  const s = p.clause.text;
  const { tokens, starts, ends } = p;
  const raw: RawMatch[] = [];

  for (const sig of c.signals) {
    const found = vocabMatches(s, tokens, starts, ends, sig, sig.name);
    if (sig.name === 'massIncident') found.push(...withoutExcluded(s, groupMatches(p, sentenceTogether, c), sig));
    const context = contexts.get(sig.name);
    if (sig.contextual && context !== undefined) {
      for (const m of vocabMatches(s, tokens, starts, ends, sig.contextual.terms, sig.name)) found.push({ ...m, term: `${m.term} (with ${context})` });
    }
    raw.push(...found);
  }
  if (raw.length === 0) return;

  // The phrase around each match: the union of the matches that overlap or touch it (去法院起诉).
  const extent = (m: RawMatch) => {
    let start = m.start;
    let end = m.end;
    for (let changed = true; changed; ) {
      changed = false;
      for (const o of raw) {
        if (o.start <= end && start <= o.end && (o.start < start || o.end > end)) {
          start = Math.min(start, o.start);
          end = Math.max(end, o.end);
          changed = true;
        }
      }
    }
    return { start, end };
  };

  // A coordinated list shares its negation: I'm not going to sue or go to the press, 我不会起诉或者找媒体
  // — the signal before 或/or that is negated negates the one after it (and the next, and so on).
  const negatedThroughList = (start: number, depth: number): string | null => {
    if (depth > 3) return null;
    for (const o of raw) {
      if (o.end > start) continue;
      if (!COORDINATOR.test(s.slice(o.end, start))) continue;
      const before = extent(o);
      const marker = negatedBy(s, tokens, before.start, before.end, c) ?? negatedThroughList(before.start, depth + 1);
      if (marker) return marker;
    }
    return null;
  };

  const seen = new Set<string>();
  for (const m of raw) {
    const key = `${m.signal}:${m.start}:${m.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const match: SignalMatch = { signal: m.signal, words: s.slice(m.start, m.end), term: m.term, clause: s };
    const phrase = extent(m);
    const negation = negatedBy(s, tokens, phrase.start, phrase.end, c) ?? negatedThroughList(phrase.start, 0);
    if (negation) {
      out.discounted.push({ ...match, why: 'negated', marker: negation });
      continue;
    }
    if (!c.stillCounts.has(m.signal)) {
      const turnedDown = rejectedSuggestion(p, following, phrase.start, phrase.end, c);
      if (turnedDown) {
        out.discounted.push({ ...match, why: 'negated', marker: turnedDown });
        continue;
      }
      const condition = hypotheticalBy(s, tokens, phrase.start, phrase.end, c) ?? counterfactual;
      if (condition) {
        out.discounted.push({ ...match, why: 'hypothetical', marker: condition });
        continue;
      }
    }
    if (m.signal === 'reputationDamage') {
      const threat = raw.find((o) => o.signal === 'mediaThreat' && o.start <= m.start && m.end <= o.end);
      if (threat && !alreadyHappened(s, tokens, threat, c)) {
        out.discounted.push({ ...match, why: 'not_yet_happened', marker: s.slice(threat.start, threat.end) });
        continue;
      }
    }
    out.counted.push(match);
  }
}

// What joins two items of a list: or, nor, and, 或, 或者, 还是, 和, 、 (with spaces or a comma).
const COORDINATOR = /^(?:\s*,?\s*(?:or|nor|and|or even|and then)\s+|\s*[,，、]\s*|(?:或|或者|或是|还是|和|跟|以及|甚至|也不|、))$/u;

function alignedWithWords(tokens: Token[], starts: Map<number, number>, ends: Map<number, number>, s: number, e: number, term: string): boolean {
  const length = [...term].length;
  const inOneWord = tokens.some((t) => t.start <= s && e <= t.end);
  if (length === 1) return starts.has(s) && ends.has(e) && starts.get(s) === ends.get(e);
  if (inOneWord) return true;
  return starts.has(s) && (ends.has(e) || length >= 3);
}

// Whether a group includes the complainant: 我们二十几个人, 咱们这些人, "a bunch of us", "we are 30 people".
const US_BEFORE = /(?:我们|咱们|大家|大伙儿?)(?:村|小区|单位|公司|群里|这边|这里|这些|这帮|一共|总共|共|有|都是|足足)?$|(?<![\p{L}])we(?:'re| are| were)?\s+(?:about\s+|over\s+|nearly\s+|almost\s+|around\s+)?$/u;
const US_INSIDE = /我们|咱们|大家|大伙|(?<![\p{L}])(?:us|we)(?![\p{L}])/u;

/**
 * Groups of people in a clause. A number of customers, investors, households… (三十多户, 十几个客户,
 * fifty investors, 40 of us) is a mass incident by itself. A number of mere people (二十几个人, 十多位,
 * twenty people) or a group without a number (一群人, 好多客户, 我们这些人, a bunch of us —
 * `massIncident.groupPhrases`) is one only when they act together: a togetherness word (一起, 商量好,
 * 去…营业部, together, we're all going…) that is not negated, in the same clause — or anywhere in the
 * same sentence when the group includes the complainant (我们…, …of us).
 */
function groupMatches(p: PreparedClause, sentenceTogether: string[], c: Compiled): RawMatch[] {
  const g = c.group;
  const s = p.clause.text;
  const out: RawMatch[] = [];
  const starts = new Set(p.tokens.map((t) => t.start));
  const actsTogether = (start: number, words: string): string | null => {
    if (p.together.length > 0) return p.together[0]!;
    const us = US_INSIDE.test(words) || US_BEFORE.test(s.slice(0, start));
    return us && sentenceTogether.length > 0 ? sentenceTogether[0]! : null;
  };
  const push = (start: number, end: number, what: string, alone: boolean) => {
    const words = s.slice(start, end);
    const together = alone ? null : actsTogether(start, words);
    if (!alone && together === null) return;
    out.push({ signal: 'massIncident', start, end, term: together === null ? what : `${what} acting together (${together})` });
  };
  for (const m of s.matchAll(g.zh)) {
    const size = groupSize(m.groups!.num!);
    if (size === null || size < g.minSize) continue;
    // The number must begin a word: 第三十户 is "household no. 30", not thirty households.
    if (!starts.has(m.index)) continue;
    const noun = m.groups!.noun;
    // 十几家 in a village or a block of flats are households (by themselves a mass incident);
    // elsewhere a number of 家 counts only when they act together.
    const households = m.groups!.jia !== undefined && COMMUNITY_BEFORE.test(s.slice(0, m.index));
    const alone = m.groups!.hu !== undefined || households || (noun !== undefined && g.zhNouns.has(noun));
    push(m.index, m.index + m[0].length, `(group of ${size})`, alone);
  }
  for (const m of s.matchAll(g.en)) {
    const size = groupSize(m.groups!.num!.replace(/\s+/g, ' '));
    if (size === null || size < g.minSize) continue;
    const noun = m.groups!.noun!.replace(/\s+/g, ' ');
    push(m.index, m.index + m[0].length, `(group of ${size})`, g.enNouns.has(noun) || noun === 'us');
  }
  for (const m of vocabMatches(s, p.tokens, p.starts, p.ends, g.phrases, 'massIncident')) push(m.start, m.end, m.term, false);
  return out;
}

/** The phrase of `set` that starts at token i (longest first), or null. */
function phraseAt(s: string, tokens: Token[], i: number, set: PhraseSet): { text: string; last: number } | null {
  for (let j = Math.min(tokens.length - 1, i + set.maxTokens - 1); j >= i; j--) {
    const text = s.slice(tokens[i]!.start, tokens[j]!.end);
    if (set.set.has(text)) return { text, last: j };
  }
  return null;
}

/** The phrase of `set` that ends at token j (longest first), or null. */
function phraseEndingAt(s: string, tokens: Token[], j: number, set: PhraseSet): { text: string; first: number } | null {
  for (let i = Math.max(0, j - set.maxTokens + 1); i <= j; i++) {
    const text = s.slice(tokens[i]!.start, tokens[j]!.end);
    if (set.set.has(text)) return { text, first: i };
  }
  return null;
}

function firstTokenAtOrAfter(tokens: Token[], offset: number): number {
  const i = tokens.findIndex((t) => t.end > offset);
  return i < 0 ? tokens.length : i;
}

function negatedBy(s: string, tokens: Token[], start: number, end: number, c: Compiled): string | null {
  const first = firstTokenAtOrAfter(tokens, start);
  const markers = c.negation;

  // A negation glued to the signal inside one jieba word (不起诉 as one word).
  const host = tokens[first];
  if (host && host.start < start) {
    const prefix = s.slice(host.start, start);
    if (markers.set.has(prefix)) return prefix;
  }
  let steps = 0;
  for (let j = first - 1; j >= 0 && steps < c.windowTokens; j--) {
    const marker = phraseEndingAt(s, tokens, j, markers);
    if (marker) {
      if (isNotNegation(s, tokens[marker.first]!.start, tokens[j]!.end, c.notNegation)) return null;
      // 非…不可 is a double negation: 我非揍他一顿不可 (I will certainly…).
      if (marker.text === '非' && /不可|不行|不罢休|不成/u.test(s.slice(end))) return null;
      return marker.text;
    }
    if (!isBridge(tokens[j]!, c.bridges)) return null;
    steps++;
  }
  // After the signal: 起诉就算了, 律师就不必了 — past a filler that closes the topic (起诉什么的我没想过).
  let next = firstTokenAtOrAfter(tokens, end);
  while (next < tokens.length && TOPIC_FILLERS.has(tokens[next]!.text)) next++;
  for (let i = next; i < Math.min(tokens.length, next + 2); i++) {
    const after = phraseAt(s, tokens, i, c.negationAfter);
    if (after) return after.text;
  }
  return null;
}

// What may follow a rejection for it to be one: nothing, a break, or what is being turned down
// (但我不想[这样]; 但我不想再等了 turns down the waiting, not the suggestion).
const REJECTION_ENDS =
  /^(?:$|[\s,，。;；!！?？…~：:]|(?:这样|这么做|这么干|那样|那么做|走到|走那|闹|搞|打官司|麻烦|折腾|去|找|请|了|的|吧|啊|呢|哈)|(?:\s*[,.;!?])|\s+(?:to\s+(?:do|go|take|involve|make|get|hire|sue|bring|escalate|use)|that|it|this|so|one|either|necessary|it's|that's|any|the\s+(?:lawyer|press|media|court)))/u;

/**
 * A signal inside someone else's suggestion (朋友说可以找律师, 本来想起诉, my friend said I should get a
 * lawyer) that the customer turns down in the rest of the clause or the next two (但我觉得没必要, but I
 * don't want to): the reporter and the rejection, or null.
 */
function rejectedSuggestion(p: PreparedClause, following: PreparedClause[], start: number, end: number, c: Compiled): string | null {
  const s = p.clause.text;
  const reporter = vocabMatches(s, p.tokens, p.starts, p.ends, c.rejected.reporters, 'legalDispute')
    // The reporter may carry the signal in its own words (一个做律师的朋友说可以起诉: 说…可以起诉 starts
    // inside 朋友说): it only has to begin before the signal.
    .filter((m) => m.start < start)
    .sort((a, b) => b.end - a.end)[0];
  if (!reporter) return null;
  const places = [{ q: p, from: end }, ...following.map((q) => ({ q, from: 0 }))];
  for (const { q, from } of places) {
    const t = q.clause.text;
    const rejection = vocabMatches(t, q.tokens, q.starts, q.ends, c.rejected.rejections, 'legalDispute')
      .filter((m) => m.start >= from && REJECTION_ENDS.test(t.slice(m.end)))
      .sort((a, b) => a.start - b.start || b.end - a.end)[0];
    if (rejection) return `${s.slice(reporter.start, reporter.end)} … ${t.slice(rejection.start, rejection.end)}`;
  }
  return null;
}

// Words that close a topic before its comment: 起诉[什么的]我没想过, 律师[这种事]就算了.
const TOPIC_FILLERS = new Set(['什么', '什么的', '之类', '之类的', '啥的', '这些', '那些', '这种', '这种事', '这类', '这事', '的', '啊', '呢', '嘛', '吧', '呀', '么']);

/** A bridging word, or a jieba word made only of bridging words (想走到 = 想 + 走到). */
function isBridge(token: Token, bridges: Set<string>): boolean {
  if (bridges.has(token.text)) return true;
  if (!token.han) return false;
  const chars = [...token.text];
  const ok: boolean[] = [true];
  for (let end = 1; end <= chars.length; end++) {
    ok[end] = false;
    for (let start = 0; start < end && !ok[end]; start++) ok[end] = ok[start]! && bridges.has(chars.slice(start, end).join(''));
  }
  return ok[chars.length]!;
}

/** Is the marker at [from, to) part of a phrase such as 不得不, 要不要 or "no choice"? */
function isNotNegation(s: string, from: number, to: number, phrases: string[]): boolean {
  for (const phrase of phrases) {
    for (let at = s.indexOf(phrase); at >= 0; at = s.indexOf(phrase, at + 1)) {
      if (at < to && from < at + phrase.length) return true;
    }
  }
  return false;
}

function hypotheticalBy(s: string, tokens: Token[], start: number, end: number, c: Compiled): string | null {
  const first = firstTokenAtOrAfter(tokens, start);
  let condition: { text: string; at: number } | null = null;
  for (let i = 0; i < first; i++) {
    const m = phraseAt(s, tokens, i, c.hypothetical);
    if (m && m.last < first) condition = { text: m.text, at: m.last };
  }
  if (condition) {
    // The consequence (就, I will, I'm…) follows the condition's own words: "if I'm taking you to
    // court…" is still the condition, "if you don't pay I'm taking you to court" an ultimatum.
    let ultimatum = false;
    for (let i = condition.at + 2; i < first && !ultimatum; i++) {
      ultimatum = phraseAt(s, tokens, i, c.consequence) !== null || phraseAt(s, tokens, i, c.conditionEnd) !== null;
    }
    if (!ultimatum) return condition.text;
  }
  // 起诉的话… : the signal is the condition (的话 right after it; 律师说的话 is "what the lawyer said").
  const next = firstTokenAtOrAfter(tokens, end);
  const m = next < tokens.length ? phraseAt(s, tokens, next, c.conditionEnd) : null;
  return m ? m.text : null;
}

function alreadyHappened(s: string, tokens: Token[], threat: RawMatch, c: Compiled): boolean {
  const last = firstTokenAtOrAfter(tokens, threat.end);
  for (let i = 0; i < last; i++) if (phraseAt(s, tokens, i, c.perfectiveWords)) return true;
  // 找记者了 / 找过记者: a particle right after the threat or inside it.
  const inside = tokens.filter((t) => t.start >= threat.start && t.end <= threat.end);
  const after = tokens[last];
  return [...inside, ...(after ? [after] : [])].some((t) => c.perfectiveParticles.has(t.text));
}
