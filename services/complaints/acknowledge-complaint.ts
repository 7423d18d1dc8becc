// The customer has been told the number and the feedback date in the same conversation: the
// complaint moves received → acknowledged. Idempotent, so a retried turn acknowledges once.
//
// One plain-SQL statement on the client's pool (the chat's hot path, services/db/sql.ts): the move
// only from `received` and its `status.changed` event, as changeComplaintStatus writes them. A
// complaint that has moved on (or was never filed) is left as it is.
import { type Database } from '../db/client';
import { pooledSql } from '../db/sql';
import type { Actor } from './record-event';

export async function acknowledgeComplaint({ db, complaintId, actor, now }: { db: Database; complaintId: string; actor: Actor; now: Date }): Promise<boolean> {
  const { rowCount } = await pooledSql(db).query(
    `WITH moved AS (
       UPDATE complaint SET status = 'acknowledged', version = version + 1, updated_at = now()
        WHERE id = $1::uuid AND status = 'received' RETURNING id
     )
     INSERT INTO complaint_event (complaint_id, type, actor_type, actor_id, channel, payload, occurred_at)
     SELECT id, 'status.changed', $2::actor_type, $3::text, $4::text, $5::jsonb, $6::timestamptz FROM moved`,
    [complaintId, actor.type, actor.id ?? null, actor.channel ?? null, JSON.stringify({ from: 'received', to: 'acknowledged', via: actor.channel ?? null }), now.toISOString()],
  );
  return rowCount === 1;
}
