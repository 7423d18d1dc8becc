// Helpers for the SLA tests: a private migrated database (the reconciler reads every deadline, so it
// must not see — or fire — other test files' complaints), uniquely named queues obliterated after
// each test, a policy with windows in seconds, and complaints filed through the desk.
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { vi } from 'vitest';
import { createDatabase, type Database } from '../../services/db/client';
import { migrate } from '../../services/db/migrate';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { createLogger } from '../../services/logger';
import { DEFAULT_POLICY, type ComplaintPolicy } from '../../services/policy/policy';
import type { DeadlineKindName } from '../../services/deadlines/compute-deadlines';
import { startSlaRuntime, type SlaRuntime, type SlaRuntimeOptions } from '../../services/sla/sla-runtime';
import type { SlaRedisOptions } from '../../services/sla/sla-jobs';
import { createTestDatabase } from '../support/database';
import { randomMobile, testCalendar, testDesk } from '../support/app';

export const TEST_REDIS: SlaRedisOptions = { url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
export const silentLog = createLogger({ level: 'silent' });

/** The shipped policy with the L1 climb after `leadershipAfterSeconds` and warnings at half the window. */
export function fastPolicy(leadershipAfterSeconds = 2): ComplaintPolicy {
  return {
    ...DEFAULT_POLICY,
    alertLadder: { ...DEFAULT_POLICY.alertLadder, l1: { ...DEFAULT_POLICY.alertLadder.l1, leadershipAfterMinutes: leadershipAfterSeconds / 60 } },
    sla: { warnAtPercent: 50, reconcileIntervalMinutes: 60 },
  };
}

export interface PrivateDatabase {
  url: string;
  db: Database;
  drop(): Promise<void>;
}

export async function privateDatabase(): Promise<PrivateDatabase> {
  const created = await createTestDatabase();
  await migrate({ databaseUrl: created.url });
  const db = createDatabase({ databaseUrl: created.url, poolSize: 10 });
  await seedDemoData(db);
  return {
    url: created.url,
    db,
    drop: async () => {
      await db.$disconnect();
      await created.drop();
    },
  };
}

export function newQueueName(): string {
  return `sla-test-${Date.now()}-${randomBytes(4).toString('hex')}`;
}

export async function obliterateQueue(name: string, redis: SlaRedisOptions = TEST_REDIS): Promise<void> {
  const queue = new Queue(name, { connection: redis });
  try {
    await queue.obliterate({ force: true });
    // obliterate leaves keys BullMQ does not know: the time of the last full reconcile.
    await (await queue.getBackend().client).del(queue.toKey('sla-reconciled-at'));
  } finally {
    await queue.close();
  }
}

/** Runtimes and queues of one test, closed and obliterated by `cleanUp()` (afterEach). */
export class SlaTestBench {
  readonly queueName = newQueueName();
  readonly runtimes: SlaRuntime[] = [];
  private inspector?: Queue;

  constructor(readonly db: Database, readonly policy: ComplaintPolicy = fastPolicy()) {}

  async start(options: Partial<SlaRuntimeOptions> = {}): Promise<SlaRuntime & { notified: string[] }> {
    const notified: string[] = [];
    const runtime = await startSlaRuntime({
      db: this.db, redis: TEST_REDIS, policy: this.policy, calendar: testCalendar(), log: silentLog,
      notify: (alertId) => void notified.push(alertId),
      queueName: this.queueName, reconcileOnStart: false, reconcileIntervalMs: 3_600_000,
      worker: { lockDuration: 1_000, stalledInterval: 500 },
      ...options,
    });
    this.runtimes.push(runtime);
    return Object.assign(runtime, { notified });
  }

  /** A queue handle of the test's own, for looking into Redis. */
  get queue(): Queue {
    this.inspector ??= new Queue(this.queueName, { connection: TEST_REDIS });
    return this.inspector;
  }

  async cleanUp(): Promise<void> {
    await Promise.allSettled(this.runtimes.map((r) => r.close()));
    await this.inspector?.close();
    await obliterateQueue(this.queueName);
  }
}

export type Tier = 'L1' | 'L3';

/** Files a complaint the way the bot does: L1 (a lawyer and 80万) or L3 (calm, 3千). */
export async function fileComplaint(db: Database, tier: Tier): Promise<{ id: string; acceptedAt: Date }> {
  const description = tier === 'L1' ? '理赔被拒，我已经请了律师，准备起诉你们公司' : '理赔材料交了两周还没有消息，请帮忙催一下';
  const filed = await testDesk(db).fileComplaint({
    draft: {
      businessLine: 'insurance', type: 'claims_dispute', description, claimedLossYuan: tier === 'L1' ? 800_000 : 3_000,
      name: '测试客户', phone: randomMobile(), feedbackMethod: 'phone',
    },
    user: { channelId: 'sla-test', channelUserId: randomUUID() },
    locale: 'zh-CN',
    reference: { channelId: 'sla-test', serviceUrl: 'https://sla.test', conversation: { id: randomUUID() } },
    consent: { noticeVersion: 'test' },
    submissionId: randomUUID(),
  });
  if (filed.tier !== tier) throw new Error(`test setup: expected a ${tier} complaint, triage said ${filed.tier}`);
  return { id: filed.id, acceptedAt: filed.acceptedAt };
}

/** Moves one deadline to `ms` after the complaint's acceptance; returns its id. */
export async function dueAfter(db: Database, complaint: { id: string; acceptedAt: Date }, kind: DeadlineKindName, ms: number): Promise<string> {
  const row = await db.complaintDeadline.update({
    where: { complaintId_kind: { complaintId: complaint.id, kind } },
    data: { dueAt: new Date(complaint.acceptedAt.getTime() + ms) },
    select: { id: true },
  });
  return row.id;
}

export async function eventsOf(db: Database, complaintId: string, type?: string) {
  return db.complaintEvent.findMany({ where: { complaintId, ...(type ? { type } : {}) }, orderBy: { id: 'asc' } });
}

export async function alertsOf(db: Database, complaintId: string, kind?: string) {
  return db.alert.findMany({ where: { complaintId, ...(kind ? { kind } : {}) }, orderBy: { createdAt: 'asc' } });
}

/** Polls `check` until it returns something truthy, and returns that. */
export function waitUntil<T>(check: () => Promise<T | null | undefined | false>, timeout = 8_000): Promise<T> {
  return vi.waitFor(async () => {
    const value = await check();
    if (!value) throw new Error('not yet');
    return value as T;
  }, { timeout, interval: 100 });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
