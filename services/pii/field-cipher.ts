// Field-level encryption of personal data: AES-256-GCM, a fresh 96-bit IV per value, and the table and
// column as associated data, so a value copied into another column (or edited) fails to decrypt
// instead of reading as something else. Stored as self-describing text:
//   enc:v1:<keyId>:<iv base64>:<ciphertext+tag base64>
// A value without the prefix is a legacy plaintext row (before encryption was switched on): it reads
// as it is until `npm run pii:encrypt` (or keys:rotate) rewrites it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { PiiKeyring } from './pii-keys';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a value lives: bound into the ciphertext as associated data. */
export interface FieldLocation {
  table: string;
  column: string;
}

/** Thrown for a value that claims to be encrypted but cannot be read; never carries the value. */
export class PiiDecryptError extends Error {
  constructor(readonly location: FieldLocation, reason: string) {
    super(`cannot decrypt ${location.table}.${location.column}: ${reason}`);
    this.name = 'PiiDecryptError';
  }
}

function associatedData({ table, column }: FieldLocation): Buffer {
  return Buffer.from(`${PREFIX}${table}.${column}`, 'utf8');
}

export function isEncrypted(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The key id a stored value was written under; null for plaintext. */
export function keyIdOf(stored: string): string | null {
  if (!isEncrypted(stored)) return null;
  const end = stored.indexOf(':', PREFIX.length);
  return end < 0 ? null : stored.slice(PREFIX.length, end);
}

export function encryptField(keyring: PiiKeyring, location: FieldLocation, plaintext: string): string {
  return encryptFieldBytes(keyring, location, Buffer.from(plaintext, 'utf8'));
}

/** As encryptField, for a value that is bytes (compressed data). */
export function encryptFieldBytes(keyring: PiiKeyring, location: FieldLocation, plaintext: Buffer): string {
  const key = keyring.keys.get(keyring.currentKeyId)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(location));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${keyring.currentKeyId}:${iv.toString('base64')}:${body.toString('base64')}`;
}

/** The plaintext of a stored value (legacy plaintext passes through); PiiDecryptError if it was tampered with. */
export function decryptField(keyring: PiiKeyring, location: FieldLocation, stored: string): string {
  if (!isEncrypted(stored)) return stored;
  return decryptFieldBytes(keyring, location, stored).toString('utf8');
}

/** The bytes an encryptFieldBytes value holds; PiiDecryptError if it is not one or was tampered with. */
export function decryptFieldBytes(keyring: PiiKeyring, location: FieldLocation, stored: string): Buffer {
  if (!isEncrypted(stored)) throw new PiiDecryptError(location, 'malformed value');
  const parts = stored.slice(PREFIX.length).split(':');
  if (parts.length !== 3) throw new PiiDecryptError(location, 'malformed value');
  const [keyId, ivText, bodyText] = parts as [string, string, string];
  const key = keyring.keys.get(keyId);
  if (!key) throw new PiiDecryptError(location, `key "${keyId}" is not configured (PII_KEYS / PII_KEY_FILE)`);
  const iv = Buffer.from(ivText, 'base64');
  const body = Buffer.from(bodyText, 'base64');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new PiiDecryptError(location, 'malformed value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(location));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new PiiDecryptError(location, 'authentication failed (tampered, moved from another column, or a different key)');
  }
}

/** Whether a stored value needs rewriting to be under the current key (plaintext included). */
export function needsReencryption(keyring: PiiKeyring, stored: string | null): boolean {
  return stored !== null && keyIdOf(stored) !== keyring.currentKeyId;
}
