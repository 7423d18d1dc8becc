// Rewrites every encrypted column value that is not under the current key — plaintext rows from before
// encryption and values under an older key alike — for `npm run pii:encrypt` and `npm run keys:rotate`.
// In batches (keyset by id), each row by compare-and-set (`WHERE col = <the value read>`), so:
//  - idempotent and resumable: a re-run finds only what is left and rewrites nothing twice;
//  - safe while the bot runs: a row the bot changed meanwhile is left alone (the bot wrote it under the
//    current key already), never overwritten with the older value.
// Reports counts and row ids, never values.
import type { Database } from '../db/client';
import { encryptedTables } from './encrypted-columns';
import { decryptField, encryptField, needsReencryption, PiiDecryptError } from './field-cipher';
import type { PiiKeyring } from './pii-keys';

export interface ColumnReport {
  table: string;
  column: string;
  /** Values rewritten under the current key, of which `fromPlaintext` had not been encrypted at all. */
  rewritten: number;
  fromPlaintext: number;
}

export interface ReencryptReport {
  currentKeyId: string;
  rowsExamined: number;
  columns: ColumnReport[];
  /** Rows changed by someone else between read and write (left alone; a re-run picks them up if needed). */
  skippedConcurrent: number;
  /** Rows whose value could not be decrypted (a key missing from the configuration, or tampering). */
  failures: { table: string; id: string; column: string; reason: string }[];
}

type Row = { id: string } & Record<string, string | null>;

export async function reencryptColumns({ db, keyring, batchSize = 500, onBatch }: { db: Database; keyring: PiiKeyring; batchSize?: number; onBatch?: (table: string, done: number) => void }): Promise<ReencryptReport> {
  const report: ReencryptReport = { currentKeyId: keyring.currentKeyId, rowsExamined: 0, columns: [], skippedConcurrent: 0, failures: [] };
  const current = `enc:v1:${keyring.currentKeyId}:%`;
  for (const { table, columns } of encryptedTables()) {
    const counts = new Map(columns.map((c) => [c, { table, column: c, rewritten: 0, fromPlaintext: 0 }]));
    // Table and column names come from encrypted-columns.ts, never from input.
    const stale = columns.map((c) => `("${c}" IS NOT NULL AND "${c}" NOT LIKE $2)`).join(' OR ');
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await db.$queryRawUnsafe<Row[]>(
        `SELECT id::text AS id, ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" WHERE id > $1::uuid AND (${stale}) ORDER BY id LIMIT ${Number(batchSize)}`,
        after, current,
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        report.rowsExamined++;
        const changes: { column: string; from: string; to: string }[] = [];
        for (const column of columns) {
          const stored = row[column] ?? null;
          if (!needsReencryption(keyring, stored)) continue;
          try {
            const plain = decryptField(keyring, { table, column }, stored!);
            changes.push({ column, from: stored!, to: encryptField(keyring, { table, column }, plain) });
          } catch (err) {
            if (!(err instanceof PiiDecryptError)) throw err;
            report.failures.push({ table, id: row.id, column, reason: err.message });
          }
        }
        if (changes.length === 0) continue;
        const set = changes.map((c, i) => `"${c.column}" = $${i * 2 + 2}`).join(', ');
        const same = changes.map((c, i) => `"${c.column}" = $${i * 2 + 3}`).join(' AND ');
        const updated = await db.$executeRawUnsafe(`UPDATE "${table}" SET ${set} WHERE id = $1::uuid AND ${same}`, row.id, ...changes.flatMap((c) => [c.to, c.from]));
        if (updated === 0) {
          report.skippedConcurrent++;
          continue;
        }
        for (const c of changes) {
          const count = counts.get(c.column)!;
          count.rewritten++;
          if (!c.from.startsWith('enc:')) count.fromPlaintext++;
        }
      }
      after = rows[rows.length - 1]!.id;
      onBatch?.(table, report.rowsExamined);
    }
    report.columns.push(...counts.values());
  }
  return report;
}

/** Values not under the current key, per column (what a re-run would still rewrite). */
export async function countStaleValues(db: Database, keyring: PiiKeyring): Promise<{ table: string; column: string; stale: number }[]> {
  const out: { table: string; column: string; stale: number }[] = [];
  for (const { table, columns } of encryptedTables()) {
    for (const column of columns) {
      const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE "${column}" IS NOT NULL AND "${column}" NOT LIKE $1`, `enc:v1:${keyring.currentKeyId}:%`);
      out.push({ table, column, stale: Number(row!.n) });
    }
  }
  return out;
}
