// Text preparation for triage: normalisation, clauses, and words. Chinese is segmented by jieba
// (@node-rs/jieba, loaded once, on first use); everything else is split into words. A token keeps
// its offsets in the clause so that signal matches can be checked against word boundaries.
import { createRequire } from 'node:module';
import { toSimplified } from '../text-analysis/chinese-script';

type JiebaModule = typeof import('@node-rs/jieba');
type JiebaInstance = InstanceType<JiebaModule['Jieba']>;

let jieba: JiebaInstance | undefined;

function segmenter(): JiebaInstance {
  if (jieba === undefined) {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as JiebaModule;
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

/** Loads the Chinese dictionary now (about 0.25 s) instead of in the first complaint's turn. */
export function warmUpSegmenter(): void {
  segmenter();
}

// dont, cant, wont, isnt… , im, ive without their apostrophe (never a word in a complaint otherwise).
const CONTRACTION = /(?<![\p{L}'])(?:dont|doesnt|didnt|isnt|arent|wasnt|werent|havent|hasnt|hadnt|wouldnt|couldnt|shouldnt|cant|wont|im|ive)(?![\p{L}'])/gu;

/**
 * Traditional Chinese to Simplified (我已經找了律師 → 我已经找了律师), NFKC (full-width digits, letters
 * and punctuation to ASCII), lower case, one kind of apostrophe, single spaces. Offsets in triage
 * refer to this form.
 */
export function normalizeText(text: string): string {
  return toSimplified(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    // Chat English drops the apostrophe (i dont want to live, cant take it): read as written properly.
    .replace(CONTRACTION, (w) => (w === 'cant' ? "can't" : w === 'wont' ? "won't" : w === 'im' ? "i'm" : w === 'ive' ? "i've" : `${w.slice(0, -1)}'t`))
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[ \t\u00a0\u3000]+/g, ' ')
    .trim();
}

export interface Clause {
  text: string;
  /** Offset of the clause in the normalised text. */
  start: number;
  /** Which sentence (0, 1, …) the clause is part of: sentences end where clauses do, except at commas. */
  sentence: number;
}

// Clauses end at ，。；！？ , . ; ! ? and line breaks — but not at the comma of 600,000 or the point
// of 1.5 million.
const CLAUSE_END = /[。;!?\n…]+|(?<!\d),|,(?!\d{3}(?!\d))|\.(?!\d)/g;

export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  let sentence = 0;
  for (const m of text.matchAll(CLAUSE_END)) {
    push(text.slice(start, m.index), start);
    if (m[0] !== ',') sentence++;
    start = m.index + m[0].length;
  }
  push(text.slice(start), start);
  return clauses;

  function push(raw: string, at: number) {
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t !== '') clauses.push({ text: t, start: at + lead, sentence });
  }
}

export interface Token {
  text: string;
  start: number;
  end: number;
  han: boolean;
}

const HAN_RUN = /\p{Script=Han}+/gu;
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;

/** The words of a clause: jieba tokens for Chinese runs, letter/digit words elsewhere. */
export function tokenize(clause: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const run of clause.matchAll(HAN_RUN)) {
    words(clause.slice(last, run.index), last);
    let at = run.index;
    for (const piece of segmenter().cut(run[0], false)) {
      // jieba returns pieces that concatenate to its input; find() guards against any surprise.
      const found = clause.indexOf(piece, at);
      if (found < 0 || piece.trim() === '') continue;
      tokens.push({ text: piece, start: found, end: found + piece.length, han: true });
      at = found + piece.length;
    }
    last = run.index + run[0].length;
  }
  words(clause.slice(last), last);
  return tokens;

  function words(part: string, offset: number) {
    for (const w of part.matchAll(WORD)) tokens.push({ text: w[0], start: offset + w.index, end: offset + w.index + w[0].length, han: false });
  }
}

export function hasHan(s: string): boolean {
  return /\p{Script=Han}/u.test(s);
}
