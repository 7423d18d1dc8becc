// Key phrases for cause analysis: Azure AI Language's key phrase extraction when configured (here a
// local stand-in speaking its REST protocol), the local jieba segmentation otherwise or when Azure
// fails. Azure only ever sees redacted text.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractKeyPhrases } from '../../services/reports/key-phrases';

interface Received { kind: string; documents: { id: string; text: string; language: string }[] }
const received: Received[] = [];
let server: http.Server;
let endpoint: string;
const KEY = 'key-phrase-stand-in-key';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.headers['ocp-apim-subscription-key'] !== KEY) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: '401', message: 'Access denied due to invalid subscription key.' } }));
        return;
      }
      const parsed = JSON.parse(body) as { kind: string; analysisInput: { documents: Received['documents'] } };
      received.push({ kind: parsed.kind, documents: parsed.analysisInput.documents });
      // The stand-in's "model": the words it knows, found in the text.
      const known = ['理赔', '医疗险', '交易系统', '服务态度'];
      const documents = parsed.analysisInput.documents.map((d) => ({ id: d.id, keyPhrases: known.filter((k) => d.text.includes(k)), warnings: [] }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'KeyPhraseExtractionResults', results: { documents, errors: [], modelVersion: '2022-10-01' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

const TEXTS = [
  '医疗险理赔拖延，我的电话13812345678',
  '理赔被拒绝',
  '交易系统卡顿',
  ...Array.from({ length: 12 }, (_v, i) => `营业厅服务态度差 ${i}`),
];

describe('key phrases', () => {
  it('with Azure configured: counts the complaints per phrase, ten documents a request, phones never sent', async () => {
    const figures = await extractKeyPhrases(TEXTS, { endpoint, key: KEY, timeoutMs: 5000 });
    expect(figures.analyzer).toBe('azure');
    expect(figures.sampleSize).toBe(15);
    expect(figures.phrases).toEqual([
      { phrase: '服务态度', complaints: 12 },
      { phrase: '理赔', complaints: 2 },
      { phrase: '交易系统', complaints: 1 },
      { phrase: '医疗险', complaints: 1 },
    ]);
    expect(received.map((r) => [r.kind, r.documents.length])).toEqual([['KeyPhraseExtraction', 10], ['KeyPhraseExtraction', 5]]);
    expect(JSON.stringify(received)).not.toContain('13812345678');
    expect(received[0]!.documents[0]!.language).toBe('zh-hans');
  });

  it('when Azure refuses (bad key), the local segmentation answers and says why', async () => {
    const figures = await extractKeyPhrases(TEXTS, { endpoint, key: 'wrong', timeoutMs: 5000 });
    expect(figures.analyzer).toBe('local');
    expect(figures.fallbackReason).toBe('azure answered 401');
    expect(figures.phrases.map((p) => p.phrase)).toContain('理赔');
  });

  it('without Azure: local segmentation', async () => {
    const figures = await extractKeyPhrases(TEXTS);
    expect(figures.analyzer).toBe('local');
    expect(figures.phrases.find((p) => p.phrase === '服务态度')?.complaints).toBe(12);
  });
});
