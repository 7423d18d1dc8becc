// The PII keys as an operator configures them: PII_KEYS / PII_KEY_CURRENT or a key file, validated at
// boot with readable problems that never echo a key; the built-in key only outside production; the
// look-up hash key separate from the encryption keys.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../services/config';
import { newKey } from './pii-support';

const PROD = { NODE_ENV: 'production', PII_HASH_KEY: 'h'.repeat(40), STAFF_TOKEN_SECRET: 's'.repeat(40) };
const dir = mkdtempSync(join(tmpdir(), 'pii-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
}

describe('PII key configuration', () => {
  it('uses the built-in development key outside production only', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).pii).toMatchObject({ source: 'development', keyring: { currentKeyId: 'dev' } });
    expect(problemsOf(PROD)).toEqual(['PII_KEYS or PII_KEY_FILE: required in production (keys that encrypt personal data at rest; see .env.example)']);
  });

  it('reads several keys from PII_KEYS with PII_KEY_CURRENT naming the one new values go under', () => {
    const [k1, k2] = [newKey(), newKey()];
    const config = loadConfig({ ...PROD, PII_KEYS: `k1:${k1}, k2:${k2}`, PII_KEY_CURRENT: 'k2' });
    expect(config.pii.source).toBe('environment');
    expect(config.pii.keyring.currentKeyId).toBe('k2');
    expect([...config.pii.keyring.keys.keys()]).toEqual(['k1', 'k2']);
    expect(config.pii.keyring.keys.get('k1')!.toString('base64')).toBe(k1);
    expect(loadConfig({ ...PROD, PII_KEYS: `only:${k1}` }).pii.keyring.currentKeyId).toBe('only');
  });

  it('lists every problem readably and never echoes a key', () => {
    const short = Buffer.from('too short').toString('base64');
    const good = newKey();
    const problems = problemsOf({ ...PROD, PII_KEYS: `k1:${short},bad id:${good},k2:${good}`, PII_KEY_CURRENT: 'k9' });
    expect(problems).toEqual([
      'PII_KEYS: key "k1" must be 32 random bytes in base64 (openssl rand -base64 32)',
      'PII_KEYS: key id "bad id" must be 1-32 letters, digits, _ or -',
    ]);
    expect(problemsOf({ ...PROD, PII_KEYS: `k1:${good},k2:${newKey()}` })).toEqual(['PII_KEYS: several keys given, name the current one (PII_KEY_CURRENT or "current")']);
    expect(problemsOf({ ...PROD, PII_KEYS: `k1:${good}`, PII_KEY_CURRENT: 'k2' })).toEqual(['PII_KEYS: the current key id "k2" is not among the keys (k1)']);
    expect(JSON.stringify(problems)).not.toContain(good);
    expect(JSON.stringify(problems)).not.toContain(short);
  });

  it('refuses a look-up hash key equal to an encryption key', () => {
    const key = newKey();
    expect(problemsOf({ ...PROD, PII_HASH_KEY: key, PII_KEYS: `k1:${key}` })).toEqual(['PII_HASH_KEY: must differ from the encryption key "k1"']);
  });

  it('reads a key file, and says what is wrong with one', () => {
    const [k1, k2] = [newKey(), newKey()];
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ current: 'k1', keys: { k1, k2 } }));
    const config = loadConfig({ ...PROD, PII_KEY_FILE: file });
    expect(config.pii).toMatchObject({ source: 'file', keyring: { currentKeyId: 'k1' } });
    expect(loadConfig({ ...PROD, PII_KEY_FILE: file, PII_KEY_CURRENT: 'k2' }).pii.keyring.currentKeyId).toBe('k2');
    expect(problemsOf({ ...PROD, PII_KEY_FILE: join(dir, 'missing.json') })).toEqual([`PII_KEY_FILE: cannot read ${join(dir, 'missing.json')} (ENOENT)`]);
    writeFileSync(join(dir, 'bad.json'), 'k1=abc');
    expect(problemsOf({ ...PROD, PII_KEY_FILE: join(dir, 'bad.json') })).toEqual([`PII_KEY_FILE: cannot read ${join(dir, 'bad.json')} (not JSON)`]);
    expect(problemsOf({ ...PROD, PII_KEY_FILE: file, PII_KEYS: `k1:${k1}` })).toEqual(['PII_KEYS / PII_KEY_FILE: set one of them, not both']);
  });
});
