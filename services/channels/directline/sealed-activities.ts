// The self-hosted chat's activities at rest (bot/channels/directline/activity-log.ts writes and reads
// them): each sealed as one document with its conversation bound in. For `npm run pii:encrypt` /
// `keys:rotate`: every activity not under the current key (plaintext rows from before encryption
// included) is rewritten under it.
import type { Database } from '../../db/client';
import { needsReencryption, PiiDecryptError, type FieldLocation } from '../../pii/field-cipher';
import type { PiiKeyring } from '../../pii/pii-keys';
import { openDocument, sealDocument, sealedValueOf } from '../../pii/sealed-document';

export const activityLocation = (conversationId: string): FieldLocation => ({ table: 'directline_activity', column: `activity:${conversationId}` });

export async function reencryptDirectLineActivities({ db, keyring, batchSize = 500 }: { db: Database; keyring: PiiKeyring; batchSize?: number }): Promise<{ examined: number; rewritten: number; unreadable: number }> {
  const report = { examined: 0, rewritten: 0, unreadable: 0 };
  let after: [string, number] = ['', -1];
  for (;;) {
    const rows = await db.$queryRaw<{ conversation_id: string; seq: number; activity: unknown }[]>`
      SELECT conversation_id, seq, activity FROM directline_activity
      WHERE (conversation_id, seq) > (${after[0]}, ${after[1]}) ORDER BY conversation_id, seq LIMIT ${batchSize}`;
    if (rows.length === 0) return report;
    for (const row of rows) {
      report.examined++;
      const sealed = sealedValueOf(row.activity);
      if (sealed !== null && !needsReencryption(keyring, sealed)) continue;
      const location = activityLocation(row.conversation_id);
      let doc: unknown;
      try {
        doc = openDocument(keyring, location, row.activity);
      } catch (err) {
        if (!(err instanceof PiiDecryptError)) throw err;
        report.unreadable++; // a key missing from the configuration: left as it is (purged with its conversation)
        continue;
      }
      await db.$executeRaw`UPDATE directline_activity SET activity = ${sealDocument(keyring, location, doc)}::jsonb
        WHERE conversation_id = ${row.conversation_id} AND seq = ${row.seq}`;
      report.rewritten++;
    }
    const last = rows[rows.length - 1]!;
    after = [last.conversation_id, last.seq];
  }
}
