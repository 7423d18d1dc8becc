import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../services/config';
import { createLogger } from '../../services/logger';
import { createTextAnalyzer } from '../../services/text-analysis/create-analyzer';
import type { AnalyzerWithFallback } from '../../services/text-analysis/fallback-analyzer';
import { startFakeAzureLanguage, type FakeAzureLanguage } from '../support/fake-azure-language';

const SECRET = 'super-secret-azure-key-value-0123456789';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('Azure Language configuration', () => {
  it('is off by default', () => {
    expect(loadConfig({}).azureLanguage).toBeUndefined();
    expect(loadConfig({ AZURE_LANGUAGE_ENDPOINT: '', AZURE_LANGUAGE_KEY: ' ' }).azureLanguage).toBeUndefined();
  });

  it('reads endpoint, key and timeout (default 1500 ms)', () => {
    expect(loadConfig({ AZURE_LANGUAGE_ENDPOINT: 'https://x.cognitiveservices.azure.com/', AZURE_LANGUAGE_KEY: SECRET }).azureLanguage).toEqual({
      endpoint: 'https://x.cognitiveservices.azure.com',
      key: SECRET,
      timeoutMs: 1500,
    });
    expect(
      loadConfig({ AZURE_LANGUAGE_ENDPOINT: 'http://127.0.0.1:5000', AZURE_LANGUAGE_KEY: SECRET, AZURE_LANGUAGE_TIMEOUT_MS: '800' }).azureLanguage
        ?.timeoutMs,
    ).toBe(800);
  });

  it('requires the key with the endpoint and the endpoint with the key', () => {
    expect(configError({ AZURE_LANGUAGE_ENDPOINT: 'https://x.cognitiveservices.azure.com' }).problems).toContain(
      'AZURE_LANGUAGE_KEY: required when AZURE_LANGUAGE_ENDPOINT is set',
    );
    expect(configError({ AZURE_LANGUAGE_KEY: SECRET }).problems).toContain('AZURE_LANGUAGE_ENDPOINT: required when AZURE_LANGUAGE_KEY is set');
  });

  it('rejects a non-http(s) endpoint and a bad timeout, and never prints the key', () => {
    const e = configError({ AZURE_LANGUAGE_ENDPOINT: 'ftp://x', AZURE_LANGUAGE_KEY: SECRET, AZURE_LANGUAGE_TIMEOUT_MS: 'soon' });
    expect(e.problems.some((p) => p.startsWith('AZURE_LANGUAGE_ENDPOINT'))).toBe(true);
    expect(e.problems.some((p) => p.startsWith('AZURE_LANGUAGE_TIMEOUT_MS'))).toBe(true);
    expect(e.message).not.toContain(SECRET);
  });
});

describe('createTextAnalyzer', () => {
  let fake: FakeAzureLanguage;
  beforeAll(async () => {
    fake = await startFakeAzureLanguage();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('is the local analyzer without Azure configuration', async () => {
    const analyzer = createTextAnalyzer(loadConfig({}));
    expect(analyzer.name).toBe('local');
    expect((await analyzer.analyze('理赔太慢')).analyzer).toBe('local');
  });

  it('is Azure with local fallback when configured', async () => {
    const analyzer = createTextAnalyzer(
      loadConfig({ AZURE_LANGUAGE_ENDPOINT: fake.endpoint, AZURE_LANGUAGE_KEY: fake.key }),
      createLogger({ level: 'silent' }), // a pino logger fits the log parameter
    );
    expect(analyzer.name).toBe('azure-with-local-fallback');
    expect((await analyzer.analyze('理赔太慢')).analyzer).toBe('azure');
    fake.mode = 'unauthorized';
    expect(await analyzer.analyze('理赔太慢')).toMatchObject({ analyzer: 'local', fallbackReason: 'azure answered 401' });
    (analyzer as AnalyzerWithFallback).shutdown();
  });
});
