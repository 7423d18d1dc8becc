import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AzureLanguageError,
  createAzureAnalyzer,
  mapAzurePiiCategory,
} from '../../services/text-analysis/azure-analyzer';
import { closedPortEndpoint, startFakeAzureLanguage, type FakeAzureLanguage } from '../support/fake-azure-language';

let fake: FakeAzureLanguage;
beforeAll(async () => {
  fake = await startFakeAzureLanguage();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const analyzer = () => createAzureAnalyzer({ endpoint: fake.endpoint, key: fake.key, timeoutMs: 2000 });

async function failure(promise: Promise<unknown>): Promise<AzureLanguageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AzureLanguageError);
  return error as AzureLanguageError;
}

describe('Azure analyzer against the local stand-in', () => {
  it('sends one SentimentAnalysis and one PiiEntityRecognition request in the real protocol', async () => {
    await analyzer().analyze('客服态度太差。');
    expect(fake.requests).toBe(2);
    const byKind = Object.fromEntries(fake.received.map((r) => [r.kind, r]));
    expect(Object.keys(byKind).sort()).toEqual(['PiiEntityRecognition', 'SentimentAnalysis']);
    for (const r of fake.received) {
      expect(r.apiVersion).toBe('2023-04-01');
      expect(r.documents).toEqual([{ id: '0', text: '客服态度太差。', language: 'zh-hans' }]);
      expect(r.parameters.stringIndexType).toBe('Utf16CodeUnit');
    }
    expect(byKind.SentimentAnalysis!.parameters).toMatchObject({ opinionMining: true, loggingOptOut: true });
    expect(byKind.PiiEntityRecognition!.parameters.piiCategories).toEqual(
      expect.arrayContaining(['PhoneNumber', 'Email', 'CNResidentIdentityCardNumber', 'CreditCardNumber']),
    );
  });

  it('maps sentiment, opinions and PII', async () => {
    const text = '客服态度太差，理赔太慢了。我的电话13800138000，邮箱zhang.san@example.com，身份证11010519491231002X。';
    const a = await analyzer().analyze(text);
    expect(a.analyzer).toBe('azure');
    expect(a.fallbackReason).toBeUndefined();
    expect(a.language).toBe('zh');
    expect(a.sentiment.label).toBe('negative');
    expect(a.sentiment.negative).toBeGreaterThan(0.5);
    expect(a.sentiment.positive + a.sentiment.neutral + a.sentiment.negative).toBeCloseTo(1, 5);
    expect(a.opinions).toEqual(
      expect.arrayContaining([
        { target: '客服', sentiment: 'negative', assessments: ['太差', '太慢'] },
        { target: '理赔', sentiment: 'negative', assessments: ['太差', '太慢'] },
      ]),
    );
    expect(a.pii).toEqual([
      { category: 'PhoneNumber', sourceCategory: 'PhoneNumber', offset: text.indexOf('13800138000'), length: 11 },
      { category: 'Email', sourceCategory: 'Email', offset: text.indexOf('zhang.san'), length: 'zhang.san@example.com'.length },
      { category: 'ChineseIdCard', sourceCategory: 'CNResidentIdentityCardNumber', offset: text.indexOf('110105'), length: 18 },
    ]);
    expect(a.redactedText).toHaveLength(text.length);
    for (const v of ['13800138000', 'zhang.san@example.com', '11010519491231002X']) expect(a.redactedText).not.toContain(v);
  });

  it('merges a target seen in several sentences, and reports mixed feelings', async () => {
    const a = await analyzer().analyze('The agent was helpful. But the agent was slow!');
    expect(a.language).toBe('en');
    expect(fake.received[0]!.documents[0]!.language).toBe('en');
    expect(a.sentiment.label).toBe('mixed');
    expect(a.opinions).toEqual([{ target: 'agent', sentiment: 'mixed', assessments: ['helpful', 'slow'] }]);
  });

  it('maps Azure bank card categories, and anything unknown to Other', () => {
    expect(mapAzurePiiCategory('CreditCardNumber')).toBe('BankCard');
    expect(mapAzurePiiCategory('InternationalBankingAccountNumber')).toBe('BankCard');
    expect(mapAzurePiiCategory('CNResidentIdentityCardNumber')).toBe('ChineseIdCard');
    expect(mapAzurePiiCategory('Person')).toBe('Other');
  });

  it('asks for UTF-16 offsets, so redaction lands right after emoji', async () => {
    const a = await analyzer().analyze('😡😡😡气死了，电话13800138000');
    // 6 code units of emoji (3 graphemes) before: Azure's default TextElements_v8 would say 9.
    expect(a.pii).toEqual([{ category: 'PhoneNumber', sourceCategory: 'PhoneNumber', offset: 12, length: 11 }]);
    expect(a.redactedText).toBe('😡😡😡气死了，电话***********');
  });

  it('uses the language hint only when the text cannot tell', async () => {
    await analyzer().analyze('13800138000', { languageHint: 'en' });
    expect(fake.received[0]!.documents[0]!.language).toBe('en');
  });

  it('throws, saying so, on a per-document error', async () => {
    fake.mode = 'documentError';
    const e = await failure(analyzer().analyze('理赔太慢'));
    expect(e.kind).toBe('document');
    expect(e.reason).toBe('azure per-document error: InvalidDocument');
    expect(e.message).toContain('per-document error');
  });

  it('throws "azure answered 401" on a bad key, without the key anywhere', async () => {
    const key = 'wrong-key-that-must-not-leak-0123456789';
    const e = await failure(createAzureAnalyzer({ endpoint: fake.endpoint, key, timeoutMs: 2000 }).analyze('理赔太慢'));
    expect(e).toMatchObject({ kind: 'http', reason: 'azure answered 401', details: { status: 401 } });
    expect(JSON.stringify(e)).not.toContain(key);
    expect(String(e.stack)).not.toContain(key);
    expect(e.cause).toBeUndefined();
  });

  it('does not retry a server error', async () => {
    fake.mode = 'serverError';
    const e = await failure(analyzer().analyze('理赔太慢'));
    expect(e.reason).toBe('azure answered 500');
    // At most one request per analysis kind (the second may be cancelled once the first failed).
    expect(fake.requests).toBeGreaterThanOrEqual(1);
    expect(fake.requests).toBeLessThanOrEqual(2);
    expect(new Set(fake.received.map((r) => r.kind)).size).toBe(fake.received.length);
  });

  it('aborts after timeoutMs', async () => {
    fake.mode = 'slow';
    fake.delayMs = 1000;
    const started = Date.now();
    const e = await failure(createAzureAnalyzer({ endpoint: fake.endpoint, key: fake.key, timeoutMs: 150 }).analyze('理赔太慢'));
    expect(Date.now() - started).toBeLessThan(800);
    expect(e).toMatchObject({ kind: 'timeout', reason: 'azure timed out after 150 ms' });
  });

  it('reports an unreachable endpoint', async () => {
    const e = await failure(createAzureAnalyzer({ endpoint: await closedPortEndpoint(), key: 'k', timeoutMs: 2000 }).analyze('理赔太慢'));
    expect(e).toMatchObject({ kind: 'network', reason: 'azure unreachable: ECONNREFUSED' });
  });

  it('does not send empty or over-long text', async () => {
    expect((await failure(analyzer().analyze('   '))).kind).toBe('input');
    expect((await failure(analyzer().analyze('慢'.repeat(5121)))).reason).toMatch(/too long/);
    expect(fake.requests).toBe(0);
  });
});
