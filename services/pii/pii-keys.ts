// The keys that encrypt personal data at rest (AES-256-GCM, 32 bytes each), by key id. Several ids may
// be known at once so values written under an older key can still be read while `npm run keys:rotate`
// moves them to the current one. Parsed by services/config.ts from PII_KEYS / PII_KEY_CURRENT or a
// key file (PII_KEY_FILE); these functions are pure so the rules are tested without an environment.
import { createHash } from 'node:crypto';

export interface PiiKeyring {
  /** New values are written under this key id. */
  readonly currentKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Key ids end up inside every stored value (`enc:v1:<keyId>:…`): short and without separators. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * `id:base64,id:base64` (PII_KEYS) or the JSON of a key file `{"current":"k2","keys":{"k1":"…","k2":"…"}}`.
 * Returns the keyring or the problems found, each naming the key id but never a key.
 */
export function parsePiiKeys(source: { keys: Record<string, string>; current?: string }, origin: string): { keyring?: PiiKeyring; problems: string[] } {
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  for (const [id, encoded] of Object.entries(source.keys)) {
    if (!KEY_ID_PATTERN.test(id)) {
      problems.push(`${origin}: key id "${id.slice(0, 40)}" must be 1-32 letters, digits, _ or -`);
      continue;
    }
    const key = Buffer.from(encoded.trim(), 'base64');
    if (key.length !== 32 || key.toString('base64') !== encoded.trim()) {
      problems.push(`${origin}: key "${id}" must be 32 random bytes in base64 (openssl rand -base64 32)`);
      continue;
    }
    keys.set(id, key);
  }
  if (Object.keys(source.keys).length === 0) problems.push(`${origin}: no keys given`);
  const ids = [...keys.keys()];
  const given = Object.keys(source.keys);
  const current = source.current ?? (given.length === 1 ? given[0] : undefined);
  if (current === undefined && given.length > 1) problems.push(`${origin}: several keys given, name the current one (PII_KEY_CURRENT or "current")`);
  else if (current !== undefined && !keys.has(current) && problems.length === 0) problems.push(`${origin}: the current key id "${current}" is not among the keys (${ids.join(', ')})`);
  if (problems.length > 0 || current === undefined) return { problems };
  return { keyring: { currentKeyId: current, keys }, problems };
}

/** `k1:base64,k2:base64` → `{ k1: base64, k2: base64 }` (base64 never contains `:` or `,`). */
export function splitKeyList(list: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const entry of list.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const at = entry.indexOf(':');
    if (at <= 0) keys[entry.slice(0, 40)] = '';
    else keys[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return keys;
}

/**
 * The development keyring (NODE_ENV other than production, no keys configured): derived from a fixed
 * phrase, so a developer's database stays readable between runs; never accepted in production.
 */
export function developmentPiiKeyring(): PiiKeyring {
  const key = createHash('sha256').update('complaint-bot development PII key, not for production').digest();
  return { currentKeyId: 'dev', keys: new Map([['dev', key]]) };
}
