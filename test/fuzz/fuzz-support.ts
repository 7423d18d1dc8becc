// Shared pieces of the HTTP fuzzers: how many runs (FUZZ_RUNS; small and seeded in CI, `npm run fuzz`
// for a long run), one request with a hard timeout, and generators of hostile values.
import fc from 'fast-check';
import { expect } from 'vitest';

/** Runs per fuzzer: the CI default keeps the whole suite to ~20 s; FUZZ_RUNS=5000 for a long run. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 60);
/** Fixed in CI so a failure reproduces; FUZZ_SEED to replay or vary. Long runs pick a random seed. */
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? Date.now() : 20261128;
export const REQUEST_TIMEOUT_MS = 5_000;

export interface FuzzRequest {
  method: string; path: string; body?: string | Buffer; headers?: Record<string, string>;
  /** A 5xx the protocol prescribes (e.g. 501 for a Bot Framework invoke no handler takes). */
  allowed5xx?: number[];
}

/** Sends one request; fails on a 5xx or when no answer comes within REQUEST_TIMEOUT_MS (a hang). */
export async function send(baseUrl: string, r: FuzzRequest): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${r.path}`, { method: r.method, headers: r.headers, body: r.body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw new Error(`${r.method} ${r.path.slice(0, 200)}: no answer (${(err as Error).name}: ${(err as Error).message})`);
  }
  const text = await res.text();
  if (r.allowed5xx?.includes(res.status)) return { status: res.status, text };
  expect(res.status, `${r.method} ${r.path.slice(0, 200)} body ${String(r.body ?? '').slice(0, 300)} → ${text.slice(0, 300)}`).toBeLessThan(500);
  return { status: res.status, text };
}

export function deepNesting(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Strings a parser or a database may choke on. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('\u0000', '\uD800', '\uFEFF', '𠮷'.repeat(5000), 'x'.repeat(60_000), "'; DROP TABLE complaint; --", '{{7*7}}', '<script>alert(1)</script>', '../../etc/passwd', '%00', 'TS20261128-000001', '-1', 'NaN', '1e309'),
);

/** Any JSON value, hostile strings and numbers included. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 0, -1, 1e308, -0, 2 ** 53 + 1, [], {}, [[[]]], { __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }) },
);

/** A JSON body: usually an object, sometimes valid-but-wrong JSON or not JSON at all. */
export const hostileJsonBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'text', 'staffId', 'reason', 'tier', 'status')), hostileValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  { weight: 1, arbitrary: fc.constantFrom(deepNesting(10_000, 'array'), deepNesting(5_000, 'object'), '{"a":1', '\u0000', '', '{"text":"\\ud800"}') },
);

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 5, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', 'application/octet-stream', '*/*', ';;;') },
);
