// The product a complaint is about, read from the customer's own words at intake: a product of the
// complaint's business line is recorded when the text names it and names no other product of that
// line (two candidates = not recorded; staff set it on the complaint). Pure: the catalogue comes
// from the policy (reportDimensions.products).
import type { ComplaintPolicy } from '../policy/policy';

type Product = ComplaintPolicy['reportDimensions']['products'][number];

export interface ProductInference {
  product: string | null;
  /** The words that named it, for the event (the regulator may ask why). */
  words: string[];
  /** Products named when more than one was: the reason none was recorded. */
  ambiguous: string[];
}

export function inferProduct(text: string, businessLine: 'insurance' | 'securities', products: readonly Product[]): ProductInference {
  const lower = text.toLowerCase();
  const hits: { code: string; words: string[] }[] = [];
  for (const product of products) {
    if (product.businessLine !== businessLine) continue;
    const words = product.keywords.filter((k) => containsWord(lower, k.toLowerCase()));
    if (words.length > 0) hits.push({ code: product.code, words });
  }
  if (hits.length === 1) return { product: hits[0]!.code, words: hits[0]!.words, ambiguous: [] };
  return { product: null, words: [], ambiguous: hits.length > 1 ? hits.map((h) => h.code) : [] };
}

/** Chinese words match anywhere; Latin words only as whole words ("fund" not in "refund"). */
function containsWord(text: string, word: string): boolean {
  if (!/^[a-z0-9 ]+$/.test(word)) return text.includes(word);
  return new RegExp(`(^|[^a-z0-9])${word.replace(/ /g, '\\s+')}s?($|[^a-z0-9])`).test(text);
}
