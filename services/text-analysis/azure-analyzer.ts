// Azure AI Language (REST api-version 2023-04-01 through @azure/ai-language-text 1.1): sentiment
// with opinion mining, and PII recognition, as two requests sent in parallel.
//
// No LanguageDetection call: both analyses need the language up front, so detection would be a
// third, sequential round trip (roughly doubling latency) to tell apart the two languages the bot
// serves, which the local CJK/Latin guess does reliably for free. The hint only decides when the
// text cannot tell (too short or too mixed); Chinese is the default.
//
// No retries here (the SDK's pipeline retries are switched off): when Azure fails, the caller
// answers with the local analyzer at once instead of waiting (see fallback-analyzer.ts).
import { AzureKeyCredential, TextAnalysisClient, type PiiEntityCategory } from '@azure/ai-language-text';
import { guessLanguage } from './local-language';
import { redactText } from './local-pii';
import type { OpinionTarget, PiiCategory, PiiEntity, SentimentLabel, TextAnalysis, TextAnalyzer } from './text-analysis';

export interface AzureAnalyzerOptions {
  /** e.g. https://my-resource.cognitiveservices.azure.com (http:// only for local stand-ins). */
  endpoint: string;
  key: string;
  /** The whole analysis (both requests) is aborted after this long. */
  timeoutMs: number;
}

/** Azure's synchronous limit per document for sentiment and PII (in characters). */
export const AZURE_MAX_DOCUMENT_CHARACTERS = 5120;

export type AzureFailureKind =
  /** The text was not sent: empty, or longer than Azure accepts. */
  | 'input'
  /** Azure answered, but with an error for the document itself. */
  | 'document'
  | 'http'
  | 'network'
  | 'timeout'
  /** The caller's own signal aborted the call. */
  | 'aborted'
  | 'unexpected';

/** Every failure of the Azure analyzer; `reason` is short, human-readable and free of the text. */
export class AzureLanguageError extends Error {
  constructor(
    readonly kind: AzureFailureKind,
    readonly reason: string,
    readonly details: { status?: number; code?: string } = {},
  ) {
    // No `cause`: the SDK's errors carry the request, headers included, and the key must never
    // reach a log line.
    super(`Azure AI Language: ${reason}`);
    this.name = 'AzureLanguageError';
  }
}

/** The PII categories asked for: what triage and storage need, without Organization/DateTime noise. */
export const AZURE_PII_CATEGORIES: readonly string[] = [
  'PhoneNumber',
  'Email',
  'CNResidentIdentityCardNumber',
  'CreditCardNumber',
  'InternationalBankingAccountNumber',
];

export function mapAzurePiiCategory(category: string): PiiCategory {
  switch (category) {
    case 'PhoneNumber':
      return 'PhoneNumber';
    case 'CNResidentIdentityCardNumber':
      return 'ChineseIdCard';
    case 'CreditCardNumber':
    case 'InternationalBankingAccountNumber':
      return 'BankCard';
    case 'Email':
      return 'Email';
    default:
      return 'Other';
  }
}

const LABELS: readonly SentimentLabel[] = ['positive', 'neutral', 'negative', 'mixed'];

export function createAzureAnalyzer(options: AzureAnalyzerOptions): TextAnalyzer {
  const client = new TextAnalysisClient(options.endpoint, new AzureKeyCredential(options.key), {
    allowInsecureConnection: /^http:\/\//i.test(options.endpoint),
    retryOptions: { maxRetries: 0 },
  });

  return {
    name: 'azure',
    async analyze(text, analyzeOptions = {}) {
      const characters = [...text].length;
      if (text.trim() === '') throw new AzureLanguageError('input', 'empty text not sent to azure');
      if (characters > AZURE_MAX_DOCUMENT_CHARACTERS) {
        throw new AzureLanguageError('input', `text too long for azure (${characters} > ${AZURE_MAX_DOCUMENT_CHARACTERS} characters)`);
      }
      const guessed = guessLanguage(text);
      const language = guessed !== 'unknown' ? guessed : (analyzeOptions.languageHint ?? 'zh');
      const documents = [{ id: '0', text, language: language === 'zh' ? 'zh-hans' : 'en' }];

      const own = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        own.abort();
      }, options.timeoutMs);
      const abortSignal = analyzeOptions.signal ? AbortSignal.any([own.signal, analyzeOptions.signal]) : own.signal;
      const common = { abortSignal, disableServiceLogs: true, stringIndexType: 'Utf16CodeUnit' } as const;
      try {
        const [sentimentResults, piiResults] = await Promise.all([
          client.analyze('SentimentAnalysis', documents, { ...common, includeOpinionMining: true }),
          client.analyze('PiiEntityRecognition', documents, {
            ...common,
            categoriesFilter: AZURE_PII_CATEGORIES as PiiEntityCategory[],
          }),
        ]);
        const sentiment = sentimentResults[0];
        const pii = piiResults[0];
        if (!sentiment || !pii) throw new AzureLanguageError('unexpected', 'azure returned no result for the document');
        if (sentiment.error) throw documentError(sentiment.error);
        if (pii.error) throw documentError(pii.error);

        const scores = sentiment.confidenceScores;
        const entities: PiiEntity[] = pii.entities
          .map((e) => ({ category: mapAzurePiiCategory(e.category), offset: e.offset, length: e.length, sourceCategory: e.category }))
          .sort((a, b) => a.offset - b.offset);
        return {
          language: guessed !== 'unknown' ? guessed : (analyzeOptions.languageHint ?? 'unknown'),
          sentiment: {
            label: LABELS.includes(sentiment.sentiment) ? sentiment.sentiment : 'neutral',
            positive: scores.positive,
            neutral: scores.neutral,
            negative: scores.negative,
          },
          opinions: mergeOpinions(
            sentiment.sentences.flatMap((s) =>
              s.opinions.map((o) => ({
                target: o.target.text,
                sentiment: o.target.sentiment,
                assessments: o.assessments.map((a) => a.text),
              })),
            ),
          ),
          pii: entities,
          redactedText: redactText(text, entities),
          analyzer: 'azure',
        } satisfies TextAnalysis;
      } catch (error) {
        own.abort(); // the sibling request, if still running
        throw toAzureLanguageError(error, { timedOut, timeoutMs: options.timeoutMs, callerAborted: analyzeOptions.signal?.aborted === true });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function documentError(error: { code: string; message: string }): AzureLanguageError {
  return new AzureLanguageError('document', `azure per-document error: ${error.code}`, { code: error.code });
}

/** The same target mentioned in several sentences becomes one entry ("mixed" if they disagree). */
function mergeOpinions(opinions: OpinionTarget[]): OpinionTarget[] {
  const byTarget = new Map<string, OpinionTarget>();
  for (const o of opinions) {
    const key = o.target.toLowerCase();
    const seen = byTarget.get(key);
    if (!seen) {
      byTarget.set(key, { ...o, assessments: [...o.assessments] });
      continue;
    }
    if (seen.sentiment !== o.sentiment) seen.sentiment = 'mixed';
    for (const a of o.assessments) if (!seen.assessments.includes(a)) seen.assessments.push(a);
  }
  return [...byTarget.values()];
}

function toAzureLanguageError(
  error: unknown,
  context: { timedOut: boolean; timeoutMs: number; callerAborted: boolean },
): AzureLanguageError {
  if (error instanceof AzureLanguageError) return error;
  const e = (error ?? {}) as { name?: string; code?: string; statusCode?: number; message?: string };
  if (context.timedOut) return new AzureLanguageError('timeout', `azure timed out after ${context.timeoutMs} ms`);
  if (e.name === 'AbortError' || context.callerAborted) return new AzureLanguageError('aborted', 'azure call aborted by the caller');
  if (typeof e.statusCode === 'number') {
    return new AzureLanguageError('http', `azure answered ${e.statusCode}`, { status: e.statusCode, code: e.code });
  }
  if ((typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) || e.name === 'RestError') {
    const code = e.code ?? 'no response';
    return new AzureLanguageError('network', `azure unreachable: ${code}`, { code });
  }
  return new AzureLanguageError('unexpected', `azure failed: ${e.name ?? 'unknown error'}`);
}
