// Bot Framework state rows in PostgreSQL with an ETag per row. Kept free of botbuilder types; the
// botbuilder Storage adapter in bot/postgres-storage.ts sits on top.
import type { Database } from '../db/client';

export type StateWriteCondition = { kind: 'any' } | { kind: 'etag'; etag: string };

export interface StoredState {
  data: Record<string, unknown>;
  etag: string;
}

export async function readBotStates(db: Database, keys: string[]): Promise<Map<string, StoredState>> {
  if (keys.length === 0) return new Map();
  // Raw SQL: read on every turn, and the Prisma model API costs the process about twice the CPU of the
  // same query raw (npm run bench, docs/benchmarks.md).
  const rows = await db.$queryRaw<{ key: string; data: unknown; etag: bigint | number | string }[]>`
    SELECT key, data, etag FROM bot_state WHERE key = ANY(${keys}::text[])`;
  return new Map(rows.map((r) => [r.key, { data: r.data as Record<string, unknown>, etag: r.etag.toString() }]));
}

/**
 * Writes one state row. With an ETag condition the write succeeds only if the row still has that
 * ETag (or does not exist yet); returns null on conflict. Returns the new ETag on success.
 */
export async function writeBotState(db: Database, key: string, data: Record<string, unknown>, condition: StateWriteCondition): Promise<string | null> {
  const json = JSON.stringify(data);
  if (condition.kind === 'any') {
    const rows = await db.$queryRaw<{ etag: bigint }[]>`
      INSERT INTO bot_state (key, data, etag, updated_at) VALUES (${key}, ${json}::jsonb, 1, now())
      ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, etag = bot_state.etag + 1, updated_at = now()
      RETURNING etag`;
    return String(rows[0]!.etag);
  }
  const expected = parseEtag(condition.etag);
  if (expected !== null) {
    const rows = await db.$queryRaw<{ etag: bigint }[]>`
      UPDATE bot_state SET data = ${json}::jsonb, etag = etag + 1, updated_at = now()
      WHERE key = ${key} AND etag = ${expected} RETURNING etag`;
    if (rows[0]) return String(rows[0].etag);
  }
  // No row with that ETag: the write may still go ahead if nobody has created the row yet.
  const inserted = await db.$queryRaw<{ etag: bigint }[]>`
    INSERT INTO bot_state (key, data, etag, updated_at) VALUES (${key}, ${json}::jsonb, 1, now())
    ON CONFLICT (key) DO NOTHING RETURNING etag`;
  return inserted[0] ? String(inserted[0].etag) : null;
}

export async function deleteBotStates(db: Database, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.botState.deleteMany({ where: { key: { in: keys } } });
}

function parseEtag(etag: string): bigint | null {
  return /^\d{1,18}$/.test(etag) ? BigInt(etag) : null;
}
