// A JSON document encrypted at rest as one value (the conversation state, the self-hosted chat's
// activities): stored as {"encz": "enc:v1:<keyId>:…"} — the document's JSON compressed (deflate, level
// 1) and then AES-256-GCM-encrypted (field-cipher.ts), the location bound in as associated data, so a
// document copied to another row or column does not decrypt. Compressed first because ciphertext does
// not compress: a document of about 2 kB, encrypted and in base64, goes over PostgreSQL's TOAST
// threshold (about 2 kB a row) and is written out of line, in extra rows; compressed it stays in its row.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decryptFieldBytes, encryptFieldBytes, PiiDecryptError, type FieldLocation } from './field-cipher';
import type { PiiKeyring } from './pii-keys';

/** No document of ours comes near this; a larger inflated one is refused rather than read. */
const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

/**
 * Deflate's level 1 with a 4 kB window and a small hash table: the documents are a few kB, so they
 * compress as well as with the defaults (a 32 kB window, ten times the memory), and each call sets up
 * and touches about 30 kB instead of about 300 kB — under load that was most of the compression's cost.
 * Inflate reads any window up to its default 32 kB, so documents sealed with the defaults still open.
 */
const DEFLATE_OPTIONS = { level: 1, windowBits: 12, memLevel: 5 } as const;

/** The stored form of `doc` (JSON text for a jsonb column). */
export function sealDocument(keyring: PiiKeyring, location: FieldLocation, doc: unknown): string {
  return sealJson(keyring, location, JSON.stringify(doc));
}

/** sealDocument for a document whose JSON text the caller already has. */
export function sealJson(keyring: PiiKeyring, location: FieldLocation, json: string): string {
  return JSON.stringify({ encz: encryptFieldBytes(keyring, location, deflateRawSync(json, DEFLATE_OPTIONS)) });
}

/** The sealed value of a stored document, or null when it is not one (stored before encryption). */
export function sealedValueOf(stored: unknown): string | null {
  const doc = stored as Record<string, unknown> | null;
  return doc && typeof doc === 'object' && typeof doc.encz === 'string' && Object.keys(doc).length === 1 ? doc.encz : null;
}

/** The document a sealed value holds; PiiDecryptError when it was tampered with, moved or is unreadable. */
export function openSealedValue(keyring: PiiKeyring, location: FieldLocation, sealed: string): unknown {
  return JSON.parse(openSealedJson(keyring, location, sealed)) as unknown;
}

/** The JSON text of the document a sealed value holds (openSealedValue without the parse). */
export function openSealedJson(keyring: PiiKeyring, location: FieldLocation, sealed: string): string {
  try {
    return inflateRawSync(decryptFieldBytes(keyring, location, sealed), { maxOutputLength: MAX_DOCUMENT_BYTES }).toString('utf8');
  } catch (err) {
    if (err instanceof PiiDecryptError) throw err;
    throw new PiiDecryptError(location, 'the decrypted document does not inflate');
  }
}

/** A stored document, opened; a document stored before encryption reads as it is. */
export function openDocument(keyring: PiiKeyring, location: FieldLocation, stored: unknown): unknown {
  const sealed = sealedValueOf(stored);
  return sealed === null ? stored : openSealedValue(keyring, location, sealed);
}
