// The analyzer that needs nothing: a CJK/Latin language guess, a lexicon sentiment score and
// regex + checksum PII detection. It answers when Azure AI Language is not configured and whenever
// Azure fails (see fallback-analyzer.ts). Pure and synchronous underneath; well under 1 ms for a
// typical complaint.
import { guessLanguage } from './local-language';
import { findLocalPii, redactText } from './local-pii';
import { scoreSentiment } from './local-sentiment';
import type { TextAnalysis, TextAnalyzer } from './text-analysis';

/** The local analysis of a text, synchronously. */
export function analyzeLocally(text: string, options: { languageHint?: 'zh' | 'en' } = {}): TextAnalysis {
  const guessed = guessLanguage(text);
  const pii = findLocalPii(text);
  return {
    // The text decides when it can; the hint only when the text is too short or too mixed to tell.
    language: guessed !== 'unknown' ? guessed : (options.languageHint ?? 'unknown'),
    sentiment: scoreSentiment(text),
    opinions: [],
    pii,
    redactedText: redactText(text, pii),
    analyzer: 'local',
  };
}

export function createLocalAnalyzer(): TextAnalyzer {
  return {
    name: 'local',
    async analyze(text, options) {
      return analyzeLocally(text, options);
    },
  };
}
