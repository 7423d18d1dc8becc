import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAzureAnalyzer } from '../../services/text-analysis/azure-analyzer';
import { createAnalyzerWithFallback, type AnalyzerWithFallback, type BreakerOptions } from '../../services/text-analysis/fallback-analyzer';
import { analyzeLocally, createLocalAnalyzer } from '../../services/text-analysis/local-analyzer';
import type { TextAnalyzer } from '../../services/text-analysis/text-analysis';
import { closedPortEndpoint, startFakeAzureLanguage, type FakeAzureLanguage } from '../support/fake-azure-language';

const TEXT = '你们这群骗子！！！气死我了，垃圾公司。电话13800138000';

let fake: FakeAzureLanguage;
beforeAll(async () => {
  fake = await startFakeAzureLanguage();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const created: AnalyzerWithFallback[] = [];
afterEach(() => {
  for (const a of created.splice(0)) a.shutdown();
});

function logger() {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const log = {
    warn: (obj: object, msg: string) => lines.push({ obj: obj as Record<string, unknown>, msg }),
    info: (obj: object, msg: string) => lines.push({ obj: obj as Record<string, unknown>, msg }),
  };
  return { log, lines };
}

function withFallback(options: { endpoint?: string; key?: string; breaker?: BreakerOptions; log?: ReturnType<typeof logger>['log'] } = {}) {
  const analyzer = createAnalyzerWithFallback({
    primary: createAzureAnalyzer({ endpoint: options.endpoint ?? fake.endpoint, key: options.key ?? fake.key, timeoutMs: 5000 }),
    fallback: createLocalAnalyzer(),
    breaker: { timeoutMs: 200, resetTimeoutMs: 400, ...options.breaker },
    log: options.log,
  });
  created.push(analyzer);
  return analyzer;
}

describe('Azure with local fallback', () => {
  it('answers with Azure while Azure is healthy', async () => {
    const analyzer = withFallback();
    expect(analyzer.name).toBe('azure-with-local-fallback');
    const a = await analyzer.analyze(TEXT);
    expect(a.analyzer).toBe('azure');
    expect(a.fallbackReason).toBeUndefined();
  });

  it.each([
    ['unauthorized', 'azure answered 401'],
    ['serverError', 'azure answered 500'],
    ['documentError', 'azure per-document error: InvalidDocument'],
  ] as const)('%s → the local analysis, reason %j', async (mode, reason) => {
    fake.mode = mode;
    const { log, lines } = logger();
    const a = await withFallback({ log }).analyze(TEXT);
    expect(a).toEqual({ ...analyzeLocally(TEXT), fallbackReason: reason });
    expect(a.analyzer).toBe('local');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.obj).toMatchObject({ event: 'text_analysis_fallback', reason, analyzer: 'local' });
    // Never the text (or any part of it) in the log.
    const logged = JSON.stringify(lines);
    for (const fragment of ['骗子', '13800138000', '垃圾']) expect(logged).not.toContain(fragment);
  });

  it('a wrong key → 401 reason', async () => {
    const a = await withFallback({ key: 'not-the-key' }).analyze(TEXT);
    expect(a).toMatchObject({ analyzer: 'local', fallbackReason: 'azure answered 401' });
  });

  it('a slow answer past the timeout → local, within the timeout, and the request is abandoned', async () => {
    fake.mode = 'slow';
    fake.delayMs = 1000;
    const started = Date.now();
    const a = await withFallback({ breaker: { timeoutMs: 200 } }).analyze(TEXT);
    const elapsed = Date.now() - started;
    expect(a).toMatchObject({ analyzer: 'local', fallbackReason: 'azure timed out after 200 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(700);
  });

  it('a dead endpoint → local, "azure unreachable: ECONNREFUSED"', async () => {
    const a = await withFallback({ endpoint: await closedPortEndpoint() }).analyze(TEXT);
    expect(a).toMatchObject({ analyzer: 'local', fallbackReason: 'azure unreachable: ECONNREFUSED' });
  });

  it('opens the circuit after repeated failures, stops calling Azure, and recovers after the reset timeout', async () => {
    const { log, lines } = logger();
    const analyzer = withFallback({ breaker: { timeoutMs: 200, resetTimeoutMs: 400, volumeThreshold: 3, errorThresholdPercentage: 50 }, log });
    fake.mode = 'serverError';
    for (let i = 0; i < 3; i++) {
      expect((await analyzer.analyze(TEXT)).fallbackReason).toBe('azure answered 500');
    }
    expect(analyzer.circuitState()).toBe('open');
    expect(lines.some((l) => l.obj.circuit === 'open' && l.obj.event === 'text_analysis_circuit')).toBe(true);
    // A request cancelled after the first one failed may still be arriving: let it land.
    await new Promise((r) => setTimeout(r, 50));
    const requestsWhenOpened = fake.requests;
    expect(requestsWhenOpened).toBeLessThanOrEqual(6); // at most two requests per analysis, no retries

    // Open: the local analyzer answers at once and Azure hears nothing.
    fake.mode = 'ok';
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const a = await analyzer.analyze(TEXT);
      expect(Date.now() - started).toBeLessThan(50);
      expect(a).toMatchObject({ analyzer: 'local', fallbackReason: 'azure circuit open' });
    }
    expect(fake.requests).toBe(requestsWhenOpened);

    // After the reset timeout one trial call goes through (half-open) and, Azure being healthy, closes it.
    await new Promise((r) => setTimeout(r, 450));
    expect(analyzer.circuitState()).toBe('halfOpen');
    const trial = await analyzer.analyze(TEXT);
    expect(trial.analyzer).toBe('azure');
    expect(trial.fallbackReason).toBeUndefined();
    expect(fake.requests).toBe(requestsWhenOpened + 2);
    expect(analyzer.circuitState()).toBe('closed');
    expect((await analyzer.analyze(TEXT)).analyzer).toBe('azure');
  });

  it('a failed half-open trial opens the circuit again', async () => {
    const analyzer = withFallback({ breaker: { timeoutMs: 200, resetTimeoutMs: 300, volumeThreshold: 2 } });
    fake.mode = 'unauthorized';
    await analyzer.analyze(TEXT);
    await analyzer.analyze(TEXT);
    expect(analyzer.circuitState()).toBe('open');
    await new Promise((r) => setTimeout(r, 350));
    expect((await analyzer.analyze(TEXT)).fallbackReason).toBe('azure answered 401');
    expect(analyzer.circuitState()).toBe('open');
    expect((await analyzer.analyze(TEXT)).fallbackReason).toBe('azure circuit open');
  });

  it('per-document errors and text Azure does not take do not open the circuit', async () => {
    const analyzer = withFallback({ breaker: { volumeThreshold: 2 } });
    fake.mode = 'documentError';
    for (let i = 0; i < 4; i++) await analyzer.analyze(TEXT);
    expect(await analyzer.analyze('')).toMatchObject({ analyzer: 'local', fallbackReason: 'empty text not sent to azure' });
    expect(analyzer.circuitState()).toBe('closed');
    fake.mode = 'ok';
    expect((await analyzer.analyze(TEXT)).analyzer).toBe('azure');
  });

  it('passes the language hint to the fallback, and throws only when the fallback itself fails', async () => {
    fake.mode = 'serverError';
    const analyzer = withFallback();
    expect((await analyzer.analyze('13800138000', { languageHint: 'en' })).language).toBe('en');

    const broken: TextAnalyzer = {
      name: 'local',
      analyze: async () => {
        throw new Error('local broke');
      },
    };
    const both = createAnalyzerWithFallback({
      primary: createAzureAnalyzer({ endpoint: fake.endpoint, key: fake.key, timeoutMs: 1000 }),
      fallback: broken,
    });
    created.push(both);
    await expect(both.analyze(TEXT)).rejects.toThrow('local broke');
  });
});
