// Transcript rows stored before redaction existed still hold phones, ID and account numbers:
// `npm run pii:encrypt` runs this once over them. Keyset batches by id; each row rewritten by
// compare-and-set (a row changed meanwhile is left alone); redaction is idempotent, so a re-run (or
// an interrupted run started again) only rewrites what still holds personal data. Counts, never text.
import type { Database } from '../db/client';
import { redactPersonalData } from './redact-personal-data';

export async function redactStoredTranscripts({ db, batchSize = 1000 }: { db: Database; batchSize?: number }): Promise<{ examined: number; redacted: number }> {
  let after = 0n;
  let examined = 0;
  let redacted = 0;
  for (;;) {
    const rows = await db.$queryRaw<{ id: bigint; text: string }[]>`
      SELECT id, text FROM transcript_message WHERE id > ${after} ORDER BY id LIMIT ${batchSize}`;
    if (rows.length === 0) break;
    for (const row of rows) {
      examined++;
      const clean = redactPersonalData(row.text);
      if (clean === row.text) continue;
      redacted += await db.$executeRaw`UPDATE transcript_message SET text = ${clean} WHERE id = ${row.id} AND text = ${row.text}`;
    }
    after = rows[rows.length - 1]!.id;
  }
  return { examined, redacted };
}
