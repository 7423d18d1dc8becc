// The analyzer the app uses: Azure AI Language with the local analyzer as fallback when
// AZURE_LANGUAGE_ENDPOINT/KEY are configured, the local analyzer alone otherwise.
import type { AppConfig } from '../config';
import { createAzureAnalyzer } from './azure-analyzer';
import { createAnalyzerWithFallback, type AnalyzerLog, type BreakerOptions } from './fallback-analyzer';
import { createLocalAnalyzer } from './local-analyzer';
import type { TextAnalyzer } from './text-analysis';

export function createTextAnalyzer(
  config: Pick<AppConfig, 'azureLanguage'>,
  log?: AnalyzerLog,
  breaker?: Omit<BreakerOptions, 'timeoutMs'>,
): TextAnalyzer {
  const local = createLocalAnalyzer();
  const azure = config.azureLanguage;
  if (!azure) return local;
  return createAnalyzerWithFallback({
    primary: createAzureAnalyzer(azure),
    fallback: local,
    breaker: { ...breaker, timeoutMs: azure.timeoutMs },
    log,
  });
}
