// A local stand-in for Azure AI Language's synchronous REST API, speaking the protocol that
// @azure/ai-language-text 1.1.0 uses:
//   POST {endpoint}/language/:analyze-text?api-version=2023-04-01
//   header Ocp-Apim-Subscription-Key
//   body {"kind":"SentimentAnalysis"|"PiiEntityRecognition","analysisInput":{"documents":[{id,text,language}]},
//         "parameters":{"loggingOptOut":…,"opinionMining":…,"stringIndexType":…,"piiCategories":[…]}}
// It answers in the service's own shapes (results.documents/errors/modelVersion, sentences with
// targets/assessments and JSON-pointer relations, Azure's error envelope), with a crude keyword
// sentiment and regex PII of its own. Behaviour is programmable per test through `mode`.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeAzureMode = 'ok' | 'slow' | 'documentError' | 'unauthorized' | 'serverError';

export interface FakeAzureRequest {
  kind: string;
  apiVersion: string | null;
  documents: { id: string; text: string; language?: string }[];
  parameters: Record<string, unknown>;
}

export interface FakeAzureLanguage {
  readonly endpoint: string;
  readonly key: string;
  mode: FakeAzureMode;
  /** How long 'slow' waits before answering normally. Default 1000 ms. */
  delayMs: number;
  /** HTTP requests received (every one, rejected or not). */
  requests: number;
  /** The parsed bodies of the requests that passed the key check. */
  readonly received: FakeAzureRequest[];
  reset(): void;
  close(): Promise<void>;
}

export const FAKE_AZURE_KEY = 'fake-azure-language-key-0123456789';
const API_VERSIONS = new Set(['2022-05-01', '2023-04-01', '2023-11-15-preview']);

// ── sentiment ────────────────────────────────────────────────────────────────────────────────────
const NEGATIVE_WORDS = ['太差', '很差', '差', '太慢', '慢', '骗子', '垃圾', '失望', '恶劣', '气死', 'terrible', 'slow', 'rude', 'awful', 'scam', 'bad', 'useless'];
const POSITIVE_WORDS = ['满意', '谢谢', '不错', '很好', '专业', 'great', 'good', 'helpful', 'thanks', 'excellent'];
const TARGET_WORDS = ['客服', '服务', '态度', '理赔', '速度', 'App', 'APP', 'service', 'agent', 'claim', 'staff', 'app'];

interface Span {
  text: string;
  offset: number; // UTF-16
  length: number; // UTF-16
}

function findWords(text: string, words: string[]): Span[] {
  const spans: Span[] = [];
  const sorted = [...words].sort((a, b) => b.length - a.length);
  let i = 0;
  while (i < text.length) {
    const w = sorted.find((word) => text.startsWith(word, i) && !/[A-Za-z]/.test(text[i - 1] ?? '') && !/[A-Za-z]/.test(text[i + word.length] ?? ''));
    if (w) {
      spans.push({ text: w, offset: i, length: w.length });
      i += w.length;
    } else i++;
  }
  return spans;
}

function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(/[^。！？!?.\n]+[。！？!?.\n]*/g)) {
    if (m[0].trim() !== '') spans.push({ text: m[0], offset: m.index, length: m[0].length });
  }
  return spans;
}

type Scores = { positive: number; neutral: number; negative: number };
const SCORES: Record<'positive' | 'neutral' | 'negative', Scores> = {
  negative: { positive: 0.02, neutral: 0.08, negative: 0.9 },
  positive: { positive: 0.9, neutral: 0.08, negative: 0.02 },
  neutral: { positive: 0.05, neutral: 0.9, negative: 0.05 },
};

/** Offsets in the unit the client asked for (the service's default is TextElements_v8). */
function indexer(text: string, stringIndexType: unknown): (utf16Offset: number, utf16Length: number) => { offset: number; length: number } {
  if (stringIndexType === 'Utf16CodeUnit') return (offset, length) => ({ offset, length });
  const units = (s: string) =>
    stringIndexType === 'UnicodeCodePoint' ? [...s].length : [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(s)].length;
  return (offset, length) => ({ offset: units(text.slice(0, offset)), length: units(text.slice(offset, offset + length)) });
}

function sentimentDocument(doc: { id: string; text: string }, parameters: Record<string, unknown>, docIndex: number) {
  const at = indexer(doc.text, parameters.stringIndexType);
  const sentences = splitSentences(doc.text).map((s, sentenceIndex) => {
    const neg = findWords(s.text, NEGATIVE_WORDS);
    const pos = findWords(s.text, POSITIVE_WORDS);
    const sentiment = neg.length > pos.length ? 'negative' : pos.length > neg.length ? 'positive' : 'neutral';
    const sentence: Record<string, unknown> = {
      sentiment,
      confidenceScores: SCORES[sentiment],
      ...at(s.offset, s.length),
      text: s.text,
    };
    if (parameters.opinionMining === true) {
      const assessments = [...neg.map((a) => ({ a, sentiment: 'negative' })), ...pos.map((a) => ({ a, sentiment: 'positive' }))]
        .sort((x, y) => x.a.offset - y.a.offset)
        .map(({ a, sentiment: polarity }) => ({
          sentiment: polarity,
          confidenceScores: polarity === 'negative' ? { positive: 0.01, negative: 0.99 } : { positive: 0.99, negative: 0.01 },
          ...at(s.offset + a.offset, a.length),
          text: a.text,
          isNegated: false,
        }));
      const targets = assessments.length === 0 ? [] : findWords(s.text, TARGET_WORDS).map((t) => {
        const polarities = new Set(assessments.map((a) => a.sentiment));
        const targetSentiment = polarities.size > 1 ? 'mixed' : [...polarities][0]!;
        return {
          sentiment: targetSentiment,
          confidenceScores: targetSentiment === 'positive' ? { positive: 0.99, negative: 0.01 } : { positive: 0.01, negative: 0.99 },
          ...at(s.offset + t.offset, t.length),
          text: t.text,
          relations: assessments.map((_, j) => ({ relationType: 'assessment', ref: `#/documents/${docIndex}/sentences/${sentenceIndex}/assessments/${j}` })),
        };
      });
      sentence.targets = targets;
      sentence.assessments = assessments;
    }
    return sentence;
  });
  const counts = { negative: 0, positive: 0, neutral: 0 };
  for (const s of sentences) counts[s.sentiment as keyof typeof counts]++;
  const sentiment =
    counts.negative > 0 && counts.positive > 0 ? 'mixed' : counts.negative > 0 ? 'negative' : counts.positive > 0 ? 'positive' : 'neutral';
  const confidenceScores = sentiment === 'mixed' ? { positive: 0.45, neutral: 0.1, negative: 0.45 } : SCORES[sentiment];
  return { id: doc.id, sentiment, confidenceScores, sentences, warnings: [] };
}

// ── PII ──────────────────────────────────────────────────────────────────────────────────────────
const PII_PATTERNS: { category: string; pattern: RegExp; accept?: (s: string) => boolean }[] = [
  { category: 'Email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { category: 'CNResidentIdentityCardNumber', pattern: /(?<![0-9])\d{17}[0-9Xx](?![0-9A-Za-z])/g },
  { category: 'CreditCardNumber', pattern: /(?<![0-9])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)(?![0-9])/g, accept: luhn },
  { category: 'PhoneNumber', pattern: /(?<![0-9])(?:\+86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9])/g },
  { category: 'IPAddress', pattern: /(?<![0-9.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9.])/g },
];

function luhn(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function piiDocument(doc: { id: string; text: string }, parameters: Record<string, unknown>) {
  const at = indexer(doc.text, parameters.stringIndexType);
  const wanted = Array.isArray(parameters.piiCategories) ? new Set(parameters.piiCategories as string[]) : undefined;
  const found: { category: string; offset: number; length: number; text: string }[] = [];
  for (const { category, pattern, accept } of PII_PATTERNS) {
    for (const m of doc.text.matchAll(pattern)) {
      if (accept && !accept(m[0])) continue;
      const overlaps = found.some((f) => m.index < f.offset + f.length && f.offset < m.index + m[0].length);
      if (!overlaps) found.push({ category, offset: m.index, length: m[0].length, text: m[0] });
    }
  }
  const entities = found
    .filter((f) => !wanted || wanted.has(f.category))
    .sort((a, b) => a.offset - b.offset);
  let redactedText = doc.text;
  for (const e of entities) redactedText = redactedText.slice(0, e.offset) + '*'.repeat(e.length) + redactedText.slice(e.offset + e.length);
  return {
    redactedText,
    id: doc.id,
    entities: entities.map((e) => ({ text: e.text, category: e.category, ...at(e.offset, e.length), confidenceScore: 0.8 })),
    warnings: [],
  };
}

// ── server ───────────────────────────────────────────────────────────────────────────────────────
function azureError(code: string, message: string, innererror?: { code: string; message: string }) {
  return { error: innererror ? { code, message, innererror } : { code, message } };
}

export async function startFakeAzureLanguage(options: { key?: string } = {}): Promise<FakeAzureLanguage> {
  const key = options.key ?? FAKE_AZURE_KEY;
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'apim-request-id': randomUUID(),
      'x-envoy-upstream-service-time': '12',
    });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    fake.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method !== 'POST' || url.pathname !== '/language/:analyze-text') {
        return send(res, 404, azureError('404', 'Resource not found'));
      }
      if (fake.mode === 'unauthorized' || req.headers['ocp-apim-subscription-key'] !== key) {
        return send(
          res,
          401,
          azureError('401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.'),
        );
      }
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion || !API_VERSIONS.has(apiVersion)) {
        return send(res, 404, azureError('404', 'Resource not found'));
      }
      let body: { kind?: string; analysisInput?: { documents?: FakeAzureRequest['documents'] }; parameters?: Record<string, unknown> };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400, azureError('InvalidRequest', 'Invalid Request.', { code: 'InvalidRequestBodyFormat', message: 'Request body could not be parsed.' }));
      }
      const documents = body.analysisInput?.documents ?? [];
      const parameters = body.parameters ?? {};
      const kind = body.kind ?? '';
      fake.received.push({ kind, apiVersion, documents, parameters });

      if (fake.mode === 'serverError') return send(res, 500, azureError('InternalServerError', 'Internal server error.'));
      if (kind !== 'SentimentAnalysis' && kind !== 'PiiEntityRecognition') {
        return send(res, 400, azureError('InvalidRequest', 'Invalid Request.', { code: 'InvalidParameterValue', message: `Unsupported kind: ${kind}` }));
      }

      const answer = () => {
        const errors: unknown[] = [];
        const results: unknown[] = [];
        documents.forEach((doc) => {
          if (fake.mode === 'documentError' || doc.text.trim() === '') {
            errors.push({
              id: doc.id,
              error: azureError('InvalidArgument', 'Invalid document in request.', {
                code: 'InvalidDocument',
                message: doc.text.trim() === '' ? 'Document text is empty.' : 'A document within the request was invalid.',
              }).error,
            });
          } else {
            results.push(kind === 'SentimentAnalysis' ? sentimentDocument(doc, parameters, results.length) : piiDocument(doc, parameters));
          }
        });
        send(res, 200, {
          kind: kind === 'SentimentAnalysis' ? 'SentimentAnalysisResults' : 'PiiEntityRecognitionResults',
          results: { documents: results, errors, modelVersion: kind === 'SentimentAnalysis' ? '2022-11-01' : '2023-09-01' },
        });
      };
      if (fake.mode === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, fake.delayMs);
        timers.add(timer);
      } else answer();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeAzureLanguage = {
    endpoint: `http://127.0.0.1:${port}`,
    key,
    mode: 'ok',
    delayMs: 1000,
    requests: 0,
    received: [],
    reset() {
      fake.mode = 'ok';
      fake.delayMs = 1000;
      fake.requests = 0;
      fake.received.length = 0;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** A port on 127.0.0.1 that nothing listens on (connections are refused). */
export async function closedPortEndpoint(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
