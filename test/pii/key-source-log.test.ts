// The start-up line about the PII keys: a warning for the built-in development key, the key ids and
// their source otherwise — never a key.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../../services/logger';
import { loadConfig } from '../../services/config';
import { logPiiKeySource } from '../../services/pii/log-key-source';
import { newKey } from './pii-support';

function captured(run: (log: ReturnType<typeof createLogger>) => void): { level: number; msg: string; keyId?: string; keyIds?: string[] }[] {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  run(createLogger({ level: 'info', destination }));
  return lines.map((l) => JSON.parse(l));
}

describe('logPiiKeySource', () => {
  it('warns about the development key', () => {
    const [line] = captured((log) => logPiiKeySource(log, loadConfig({ NODE_ENV: 'development' }).pii));
    expect(line).toMatchObject({ level: 40, keyId: 'dev' });
    expect(line!.msg).toContain('DEVELOPMENT key');
  });

  it('names the key ids and source of configured keys, never the keys', () => {
    const [k1, k2] = [newKey(), newKey()];
    const lines = captured((log) => logPiiKeySource(log, loadConfig({ NODE_ENV: 'development', PII_KEYS: `k1:${k1},k2:${k2}`, PII_KEY_CURRENT: 'k2' }).pii));
    expect(lines[0]).toMatchObject({ level: 30, keyId: 'k2', keyIds: ['k1', 'k2'], source: 'environment' });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(k1);
    expect(text).not.toContain(k2);
    expect(text).not.toContain(Buffer.from(k1, 'base64').toString('hex'));
  });
});
