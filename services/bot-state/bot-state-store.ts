// Bot Framework state rows in PostgreSQL with an ETag per row. Kept free of botbuilder types; the
// botbuilder Storage adapter in bot/postgres-storage.ts sits on top.
//
// A conversation's state holds the intake draft — name, phone, e-mail, policy number — between turns,
// so the whole document is encrypted at rest like the personal-data columns: sealed as one document
// (services/pii/sealed-document.ts: compressed, then encrypted, so it stays in its row), the row's key
// bound in as associated data (a state copied to another conversation does not decrypt). Rows written
// as {"enc": …} (encrypted, not compressed, by earlier releases) and rows written before encryption
// read as they are.
import type { Database } from '../db/client';
import { rawQueryable, type SqlQueryable } from '../db/sql';
import { clientKeyring } from '../pii/encrypting-client';
import { decryptField, needsReencryption, PiiDecryptError, type FieldLocation } from '../pii/field-cipher';
import { openSealedJson, sealJson, sealedValueOf } from '../pii/sealed-document';
import type { PiiKeyring } from '../pii/pii-keys';

/** Where an {"enc": …} state (encrypted, not compressed) was bound. */
const locationOf = (key: string): FieldLocation => ({ table: 'bot_state', column: `data:${key}` });
/** Where a sealed state is bound: the format is part of the associated data too. */
const compressedLocationOf = (key: string): FieldLocation => ({ table: 'bot_state', column: `data+deflate:${key}` });

/** The row's `data` as stored: the whole document sealed, the row's key bound in. */
export function sealStateWith(keyring: PiiKeyring, key: string, data: Record<string, unknown>, json = JSON.stringify(data)): string {
  return sealJson(keyring, compressedLocationOf(key), json);
}

/** The sealed value of a stored `data` (compressed or not), or null for a state written before encryption. */
function stateSealOf(stored: unknown): { value: string; compressed: boolean } | null {
  const compressed = sealedValueOf(stored);
  if (compressed !== null) return { value: compressed, compressed: true };
  const doc = stored as Record<string, unknown> | null;
  return doc && typeof doc.enc === 'string' && Object.keys(doc).length === 1 ? { value: doc.enc, compressed: false } : null;
}

/** The document a stored `data` holds (rows written before encryption read as they are). */
export function openStateWith(keyring: PiiKeyring, key: string, stored: unknown): Record<string, unknown> {
  return openStateTextWith(keyring, key, stored).data;
}

/**
 * openStateWith, with the document's JSON text when the row held it as text (a sealed row): what
 * JSON.stringify gives for `data`, so the turn can compare the state it saves with it without
 * serialising the state it read once more.
 */
export function openStateTextWith(keyring: PiiKeyring, key: string, stored: unknown): { data: Record<string, unknown>; json: string | null } {
  const sealed = stateSealOf(stored);
  if (!sealed) return { data: stored as Record<string, unknown>, json: null }; // written before encryption
  const json = sealed.compressed ? openSealedJson(keyring, compressedLocationOf(key), sealed.value) : decryptField(keyring, locationOf(key), sealed.value);
  return { data: JSON.parse(json) as Record<string, unknown>, json };
}

const sealState = (db: Database, key: string, data: Record<string, unknown>) => sealStateWith(clientKeyring(db), key, data);
const openState = (db: Database, key: string, stored: unknown) => openStateWith(clientKeyring(db), key, stored);

export type StateWriteCondition = { kind: 'any' } | { kind: 'etag'; etag: string };

export interface StoredState {
  data: Record<string, unknown>;
  /** The JSON text `data` was parsed from, when it was read as text (a sealed row). */
  json?: string;
  etag: string;
}

export async function readBotStates(db: Database, keys: string[]): Promise<Map<string, StoredState>> {
  if (keys.length === 0) return new Map();
  // Raw SQL: read on every turn, and the Prisma model API costs the process about twice the CPU of the
  // same query raw (npm run bench, docs/benchmarks.md).
  const rows = await db.$queryRaw<{ key: string; data: unknown; etag: bigint | number | string }[]>`
    SELECT key, data, etag FROM bot_state WHERE key = ANY(${keys}::text[])`;
  return new Map(rows.map((r) => [r.key, { data: openState(db, r.key, r.data), etag: r.etag.toString() }]));
}

/**
 * Writes one state row. With an ETag condition the write succeeds only if the row still has that
 * ETag (or does not exist yet); returns null on conflict. Returns the new ETag on success.
 */
export async function writeBotState(db: Database, key: string, data: Record<string, unknown>, condition: StateWriteCondition): Promise<string | null> {
  const json = sealState(db, key, data);
  if (condition.kind === 'any') return upsertState(rawQueryable(db), key, json);
  const expected = parseEtag(condition.etag);
  if (expected !== null) {
    const rows = await db.$queryRaw<{ etag: bigint }[]>`
      UPDATE bot_state SET data = ${json}::jsonb, etag = etag + 1, updated_at = now()
      WHERE key = ${key} AND etag = ${expected} RETURNING etag`;
    if (rows[0]) return String(rows[0].etag);
  }
  return insertFirstState(rawQueryable(db), key, json);
}

/** Writes the state whatever is stored (an unconditional save); the new ETag. */
export async function upsertState(db: SqlQueryable, key: string, sealed: string): Promise<string> {
  const { rows } = await db.query<{ etag: string }>(
    `INSERT INTO bot_state (key, data, etag, updated_at) VALUES ($1, $2::jsonb, 1, now())
     ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, etag = bot_state.etag + 1, updated_at = now()
     RETURNING etag::text AS etag`,
    [key, sealed],
  );
  return rows[0]!.etag;
}

/** No row with the ETag read: the write may still go ahead if nobody has created the row yet; else null. */
export async function insertFirstState(db: SqlQueryable, key: string, sealed: string): Promise<string | null> {
  const { rows } = await db.query<{ etag: string }>(
    `INSERT INTO bot_state (key, data, etag, updated_at) VALUES ($1, $2::jsonb, 1, now())
     ON CONFLICT (key) DO NOTHING RETURNING etag::text AS etag`,
    [key, sealed],
  );
  return rows[0]?.etag ?? null;
}

export async function deleteBotStates(db: Database, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.botState.deleteMany({ where: { key: { in: keys } } });
}

/**
 * For `npm run pii:encrypt` / `keys:rotate`: rewrites every state not under the current key (plaintext
 * included), keeping its ETag, each by compare-and-set on the ETag so a turn that saved meanwhile wins.
 */
export async function reencryptBotStates(db: Database, batchSize = 500): Promise<{ examined: number; rewritten: number; skippedConcurrent: number; unreadable: string[] }> {
  const keyring = clientKeyring(db);
  const report = { examined: 0, rewritten: 0, skippedConcurrent: 0, unreadable: [] as string[] };
  let after = '';
  for (;;) {
    const rows = await db.$queryRaw<{ key: string; data: unknown; etag: bigint }[]>`
      SELECT key, data, etag FROM bot_state WHERE key > ${after} ORDER BY key LIMIT ${batchSize}`;
    if (rows.length === 0) break;
    for (const row of rows) {
      report.examined++;
      // Under the current key already: left as it is (an uncompressed one is compressed by its next turn).
      const current = stateSealOf(row.data);
      if (current && !needsReencryption(keyring, current.value)) continue;
      let sealed: string;
      try {
        sealed = sealState(db, row.key, openState(db, row.key, row.data));
      } catch (err) {
        if (!(err instanceof PiiDecryptError)) throw err;
        report.unreadable.push(row.key); // a key missing from the configuration, or tampering: left as it is
        continue;
      }
      const updated = await db.$executeRaw`UPDATE bot_state SET data = ${sealed}::jsonb WHERE key = ${row.key} AND etag = ${row.etag}`;
      if (updated === 0) report.skippedConcurrent++;
      else report.rewritten++;
    }
    after = rows[rows.length - 1]!.key;
  }
  return report;
}

export function parseEtag(etag: string): bigint | null {
  return /^\d{1,18}$/.test(etag) ? BigInt(etag) : null;
}
