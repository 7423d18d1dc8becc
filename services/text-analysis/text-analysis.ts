// What triage and transcript storage need to know about a text, whoever computes it: Azure AI
// Language when configured, the local analyzer otherwise or when Azure fails.
export type SentimentLabel = 'positive' | 'neutral' | 'negative' | 'mixed';

export type PiiCategory = 'PhoneNumber' | 'ChineseIdCard' | 'BankCard' | 'Email' | 'Other';

export interface PiiEntity {
  category: PiiCategory;
  /** Offset and length in UTF-16 code units of the analysed text. */
  offset: number;
  length: number;
  /** The analyzer's own category name (e.g. Azure's "CNResidentIdentityCardNumber"). */
  sourceCategory: string;
}

export interface OpinionTarget {
  target: string;
  sentiment: SentimentLabel;
  assessments: string[];
}

export interface TextAnalysis {
  /** ISO 639-1, e.g. "zh", "en"; "unknown" when it cannot tell. */
  language: string;
  sentiment: { label: SentimentLabel; positive: number; neutral: number; negative: number };
  /** Opinion mining (Azure only): what the customer is unhappy about. */
  opinions: OpinionTarget[];
  pii: PiiEntity[];
  /** The text with every PII entity replaced by asterisks of the same length. */
  redactedText: string;
  analyzer: 'azure' | 'local';
  /** Set when Azure was configured but the local analyzer answered: why (timeout, 401, circuit open…). */
  fallbackReason?: string;
}

export interface TextAnalyzer {
  readonly name: 'azure' | 'local' | 'azure-with-local-fallback';
  /** `signal` (optional) cancels an in-flight remote call; the local analyzer ignores it. */
  analyze(text: string, options?: { languageHint?: 'zh' | 'en'; signal?: AbortSignal }): Promise<TextAnalysis>;
}
