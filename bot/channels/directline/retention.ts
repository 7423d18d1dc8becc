// The Direct Line log is transport, not the record (the transcript store and the ledger are): a
// conversation idle for DIRECTLINE_RETENTION_DAYS is deleted with its activities, personal data
// included. Its token can no longer be refreshed by then, so no customer can read it anyway; a later
// proactive message to it fails as "conversation not found" and is recorded as not delivered.
// At most one purge an hour across all instances (a Redis key), started by new conversations.
import type { Redis } from '../../../services/redis';
import type { Logger } from '../../../services/logger';
import { safeErrorFields } from '../../../services/safe-error';
import type { ActivityLog } from './activity-log';

const PURGE_EVERY_MS = 3600_000;

export class ConversationRetention {
  constructor(private readonly deps: { activityLog: ActivityLog; redis: Redis; log: Logger; retentionDays: number; clock: () => Date }) {}

  /** Purges idle conversations unless some instance did within the hour; never throws. */
  maybePurge(): void {
    void this.purgeIfDue().catch((err) => this.deps.log.warn({ ...safeErrorFields(err) }, 'directline: purge of idle conversations failed'));
  }

  private async purgeIfDue(): Promise<void> {
    if ((await this.deps.redis.set('directline:purge-due', '1', 'PX', PURGE_EVERY_MS, 'NX')) !== 'OK') return;
    const before = new Date(this.deps.clock().getTime() - this.deps.retentionDays * 86_400_000);
    const purged = await this.deps.activityLog.purgeIdle(before);
    if (purged > 0) this.deps.log.info({ purged, retentionDays: this.deps.retentionDays }, 'directline: deleted idle conversations');
  }
}
