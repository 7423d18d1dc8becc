// Key phrases of complaint texts for cause analysis (R-TRENDS): Azure AI Language's key phrase
// extraction when Azure is configured, jieba's TF-IDF keywords (@node-rs/jieba, the segmenter triage
// already uses) otherwise or when Azure fails. Either way the texts are redacted first (phones, ID
// and card numbers, e-mail) and person names are never counted: jieba's name tags are excluded, and
// Azure sees only redacted text. A phrase's figure is the number of complaints that mention it.
import { createRequire } from 'node:module';
import { AzureKeyCredential, TextAnalysisClient } from '@azure/ai-language-text';
import { findLocalPii, redactText } from '../text-analysis/local-pii';

export interface KeyPhraseFigures {
  analyzer: 'azure' | 'local';
  /** Complaint texts read (the most recent of the period, up to the sample size). */
  sampleSize: number;
  phrases: { phrase: string; complaints: number }[];
  /** Set when Azure was configured but the local segmentation answered. */
  fallbackReason?: string;
}

export interface AzureKeyPhraseOptions {
  endpoint: string;
  key: string;
  timeoutMs: number;
  /** Azure reads at most this many texts per report (10 per request). Default 100. */
  maxDocuments?: number;
}

type JiebaModule = typeof import('@node-rs/jieba');
let jieba: { cut: InstanceType<JiebaModule['Jieba']>; tfidf: InstanceType<JiebaModule['TfIdf']> } | undefined;

function segmenter() {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { Jieba, TfIdf } = require('@node-rs/jieba') as JiebaModule;
    const { dict, idf } = require('@node-rs/jieba/dict') as { dict: Uint8Array; idf: Uint8Array };
    jieba = { cut: Jieba.withDict(dict), tfidf: TfIdf.withDict(idf) };
  }
  return jieba;
}

/** Nouns, verbal nouns, verbs, other proper nouns, adjectives — not person (nr*) or place (ns) names. */
const KEYWORD_POS = ['n', 'vn', 'v', 'nz', 'a', 'an', 'nt', 'l', 'i'];
/** Words that say nothing about a cause in a complaint. */
const STOP_WORDS = new Set(['投诉', '客户', '要求', '问题', '进行', '没有', '公司', '你们', '我们', '他们', '已经', '希望', '处理', '情况', '表示', '现在', '一个', '这个', '时候', '知道', '告诉', '说明']);

export function redactForAnalysis(text: string): string {
  return redactText(text, findLocalPii(text)).replace(/\d{5,}/g, (m) => '*'.repeat(m.length));
}

const PER_TEXT = 5;

export function localKeyPhrases(texts: readonly string[], top = 20): KeyPhraseFigures {
  const { cut, tfidf } = segmenter();
  const counts = new Map<string, number>();
  for (const raw of texts) {
    const text = redactForAnalysis(raw);
    const seen = new Set<string>();
    for (const { keyword } of tfidf.extractKeywords(cut, text, PER_TEXT, KEYWORD_POS)) {
      const phrase = keyword.trim().toLowerCase();
      if (phrase.length < 2 || STOP_WORDS.has(phrase) || /[\d*]/.test(phrase) || seen.has(phrase)) continue;
      seen.add(phrase);
      counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
    }
  }
  return { analyzer: 'local', sampleSize: texts.length, phrases: rank(counts, top) };
}

export async function azureKeyPhrases(texts: readonly string[], options: AzureKeyPhraseOptions, top = 20): Promise<KeyPhraseFigures> {
  const client = new TextAnalysisClient(options.endpoint, new AzureKeyCredential(options.key), {
    allowInsecureConnection: /^http:\/\//i.test(options.endpoint),
    retryOptions: { maxRetries: 0 },
  });
  const sample = texts.slice(0, options.maxDocuments ?? 100).map(redactForAnalysis).map((t) => [...t].slice(0, 5000).join(''));
  const batches: string[][] = [];
  for (let i = 0; i < sample.length; i += 10) batches.push(sample.slice(i, i + 10));
  const counts = new Map<string, number>();
  const abortSignal = AbortSignal.timeout(options.timeoutMs * Math.max(1, Math.ceil(batches.length / 3)));
  // Three requests at a time: polite to the service's rate limit, quick enough for a report.
  for (let i = 0; i < batches.length; i += 3) {
    const results = await Promise.all(
      batches.slice(i, i + 3).map((batch) =>
        client.analyze('KeyPhraseExtraction', batch.map((text, n) => ({ id: String(n), text, language: /[\u4e00-\u9fff]/.test(text) ? 'zh-hans' : 'en' })), { abortSignal, disableServiceLogs: true }),
      ),
    );
    for (const doc of results.flat()) {
      if (doc.error) continue;
      for (const p of new Set(doc.keyPhrases.map((k) => k.trim().toLowerCase()))) {
        if (p.length < 2 || /[\d*]/.test(p)) continue;
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
    }
  }
  return { analyzer: 'azure', sampleSize: sample.length, phrases: rank(counts, top) };
}

/** Azure when configured, falling back to the local segmentation on any failure (said in the figures). */
export async function extractKeyPhrases(texts: readonly string[], azure?: AzureKeyPhraseOptions): Promise<KeyPhraseFigures> {
  if (!azure || texts.length === 0) return localKeyPhrases(texts);
  try {
    return await azureKeyPhrases(texts, azure);
  } catch (err) {
    const e = err as { statusCode?: number; name?: string; code?: string };
    const reason = typeof e.statusCode === 'number' ? `azure answered ${e.statusCode}` : `azure failed: ${e.code ?? e.name ?? 'error'}`;
    return { ...localKeyPhrases(texts), fallbackReason: reason };
  }
}

function rank(counts: Map<string, number>, top: number): KeyPhraseFigures['phrases'] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
    .slice(0, top)
    .map(([phrase, complaints]) => ({ phrase, complaints }));
}
