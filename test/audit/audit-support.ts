// Complaints with a real history on a private database, and a raw connection that goes past the
// triggers the way a DBA could (session_replication_role = replica disables every trigger).
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createComplaint } from '../../services/complaints/create-complaint';
import { changeComplaintStatus } from '../../services/complaints/change-complaint-status';
import type { Database } from '../../services/db/client';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { calmAnalysis, randomMobile, testCalendar, TEST_PII_HASH_KEY } from '../support/app';

export async function fileComplaintWithHistory(db: Database): Promise<{ id: string; number: string }> {
  const unique = randomUUID().slice(0, 8);
  const userId = `user-${randomUUID()}`;
  const created = await createComplaint({
    db,
    analysis: calmAnalysis(),
    draft: {
      businessLine: 'insurance', type: 'claims_dispute', description: `理赔申请提交一个月还没有处理 ${unique}`,
      occurredOn: '2026年11月1日', name: `审计${unique}`, phone: randomMobile(),
      email: `a${unique}@example.test`, feedbackMethod: 'email',
    },
    source: { channelId: 'webchat', channelUserId: userId, locale: 'zh-CN' },
    actor: { type: 'customer', id: userId, channel: 'webchat' },
    consent: { noticeVersion: 'privacy-2026.1' },
    policy: DEFAULT_POLICY,
    calendar: testCalendar(),
    piiHashKey: TEST_PII_HASH_KEY,
    now: new Date('2026-11-28T02:00:00.123Z'),
  });
  await changeComplaintStatus({
    db, complaintId: created.id, to: 'acknowledged', actor: { type: 'staff', id: 'staff-audit', channel: 'console' },
    now: new Date('2026-11-28T02:10:00.456Z'),
  });
  return { id: created.id, number: created.number };
}

/** Runs `sql` with every trigger off (as a DBA tampering with the history would). */
export async function tamper(databaseUrl: string, sql: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

export async function eventIds(databaseUrl: string, complaintId: string): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('SELECT id::text AS id FROM complaint_event WHERE complaint_id = $1 ORDER BY seq', [complaintId]);
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}
