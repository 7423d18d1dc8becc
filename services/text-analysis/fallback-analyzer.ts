// Azure first, the local analyzer when Azure is slow, failing or known to be down. The primary runs
// through an opossum circuit breaker: after repeated failures the circuit opens and the local
// analyzer answers at once without calling Azure; after `resetTimeoutMs` one call is let through
// (half-open) and a success closes the circuit again.
//
// Failures that say nothing about Azure's health (a per-document error, a text Azure does not take,
// the caller aborting) fall back too but do not count towards opening the circuit.
import CircuitBreaker from 'opossum';
import { AzureLanguageError } from './azure-analyzer';
import type { TextAnalysis, TextAnalyzer } from './text-analysis';

/** pino-compatible; only `warn` is required. */
export interface AnalyzerLog {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export interface BreakerOptions {
  /** The primary's answer is abandoned (and its request aborted) after this long. Default 1500. */
  timeoutMs?: number;
  /** How long the circuit stays open before one trial call. Default 30000. */
  resetTimeoutMs?: number;
  /** Failure percentage in the rolling window above which the circuit opens. Default 50. */
  errorThresholdPercentage?: number;
  /** Calls needed in the rolling window before the circuit may open. Default 3. */
  volumeThreshold?: number;
  /** Length of the rolling statistics window. Default 60000 (the bot's traffic is low). */
  rollingCountTimeoutMs?: number;
}

export interface FallbackAnalyzerOptions {
  primary: TextAnalyzer;
  fallback: TextAnalyzer;
  breaker?: BreakerOptions;
  log?: AnalyzerLog;
  /** How reasons name the primary ("azure timed out after 1500 ms"). Default 'azure'. */
  primaryLabel?: string;
}

export type CircuitState = 'closed' | 'open' | 'halfOpen';

export interface AnalyzerWithFallback extends TextAnalyzer {
  readonly name: 'azure-with-local-fallback';
  circuitState(): CircuitState;
  /** Stops the breaker's timers; later calls go straight to the fallback. */
  shutdown(): void;
}

type AnalyzeOptions = { languageHint?: 'zh' | 'en'; signal?: AbortSignal };

const NOT_AZURE_HEALTH = new Set(['input', 'document', 'aborted']);

export function createAnalyzerWithFallback(options: FallbackAnalyzerOptions): AnalyzerWithFallback {
  const { primary, fallback, log } = options;
  const label = options.primaryLabel ?? 'azure';
  const timeoutMs = options.breaker?.timeoutMs ?? 1500;
  const rollingCountTimeout = options.breaker?.rollingCountTimeoutMs ?? 60_000;

  const breaker = new CircuitBreaker(
    (text: string, analyzeOptions: AnalyzeOptions, controller: AbortController) => {
      const signal = analyzeOptions.signal ? AbortSignal.any([controller.signal, analyzeOptions.signal]) : controller.signal;
      return primary.analyze(text, { ...analyzeOptions, signal });
    },
    {
      name: `${label}-text-analysis`,
      timeout: timeoutMs,
      resetTimeout: options.breaker?.resetTimeoutMs ?? 30_000,
      errorThresholdPercentage: options.breaker?.errorThresholdPercentage ?? 50,
      volumeThreshold: options.breaker?.volumeThreshold ?? 3,
      rollingCountTimeout,
      rollingCountBuckets: 10,
      errorFilter: (err: unknown) => err instanceof AzureLanguageError && NOT_AZURE_HEALTH.has(err.kind),
    },
  );
  breaker.on('open', () => log?.warn({ event: 'text_analysis_circuit', circuit: 'open', primary: label }, `${label} text analysis circuit opened: using the local analyzer`));
  breaker.on('halfOpen', () => log?.info?.({ event: 'text_analysis_circuit', circuit: 'halfOpen', primary: label }, `${label} text analysis circuit half-open: trying ${label} again`));
  breaker.on('close', () => log?.info?.({ event: 'text_analysis_circuit', circuit: 'closed', primary: label }, `${label} text analysis circuit closed`));

  const state = (): CircuitState => (breaker.halfOpen ? 'halfOpen' : breaker.opened ? 'open' : 'closed');

  function describe(error: unknown): string {
    if (error instanceof AzureLanguageError) return error.reason;
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EOPENBREAKER') return `${label} circuit open`;
    if (code === 'ETIMEDOUT' && error instanceof Error && error.message.startsWith('Timed out after')) {
      return `${label} timed out after ${timeoutMs} ms`;
    }
    if (code === 'ESEMLOCKED') return `${label} too busy`;
    if (code === 'ESHUTDOWN' || breaker.isShutdown) return `${label} analyzer shut down`;
    return `${label} failed: ${error instanceof Error ? error.name : 'unknown error'}`;
  }

  return {
    name: 'azure-with-local-fallback',
    circuitState: state,
    shutdown: () => breaker.shutdown(),
    async analyze(text, analyzeOptions = {}) {
      const controller = new AbortController();
      let reason: string;
      try {
        return await breaker.fire(text, analyzeOptions, controller);
      } catch (error) {
        reason = describe(error);
      } finally {
        controller.abort(); // a timed-out request is cancelled rather than left running
      }
      const started = Date.now();
      const result: TextAnalysis = await fallback.analyze(text, analyzeOptions);
      log?.warn(
        { event: 'text_analysis_fallback', primary: label, analyzer: result.analyzer, reason, circuit: state(), fallbackMs: Date.now() - started },
        `text analysis fell back to the ${result.analyzer} analyzer`,
      );
      return { ...result, fallbackReason: reason };
    },
  };
}
