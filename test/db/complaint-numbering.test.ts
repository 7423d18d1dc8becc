// Complaint numbers on the real database: TS + the acceptance day in Asia/Shanghai + a 6-digit daily
// sequence that is unique and gap-free, also under concurrent intakes and failed intakes.
// The days used here (2025-03-12, 2025-07-23, 2025-08-14, 2025-10-09) belong to this file only: test files
// share one database, and these tests assert exact sequence numbers.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { AppError } from '../../services/errors';
import { createComplaint, type CreateComplaintOptions } from '../../services/complaints/create-complaint';
import type { ComplaintDraftInput } from '../../services/complaints/complaint-draft';
import type { ConversationReferenceLike } from '../../services/complaints/conversation-reference';
import { randomMobile, testCalendar, testDb, TEST_PII_HASH_KEY, calmAnalysis } from '../support/app';
import { phoneLookupHash } from '../../services/complainants/upsert-complainant';

const db: Database = testDb(10);
const calendar = testCalendar();

afterAll(async () => {
  await db.$disconnect();
});

function draft(overrides: Partial<ComplaintDraftInput> = {}): ComplaintDraftInput {
  return {
    businessLine: 'insurance',
    type: 'claims_dispute',
    description: '理赔被拒，理由不成立',
    name: '测试用户',
    phone: randomMobile(),
    feedbackMethod: 'phone',
    ...overrides,
  };
}

function reference(): ConversationReferenceLike {
  return {
    channelId: 'webchat',
    serviceUrl: 'https://webchat.example.test/',
    conversation: { id: `conv-${randomUUID()}` },
    user: { id: `user-${randomUUID()}`, name: '测试用户' },
    bot: { id: 'bot', name: 'bot' },
  };
}

function create(now: Date, overrides: Partial<CreateComplaintOptions> = {}) {
  const userId = `user-${randomUUID()}`;
  return createComplaint({
    db,
    analysis: calmAnalysis(),
    draft: draft(),
    source: { channelId: 'webchat', channelUserId: userId, locale: 'zh-CN' },
    actor: { type: 'customer', id: userId, channel: 'webchat' },
    conversationReference: reference(),
    consent: { noticeVersion: 'privacy-2026.1' },
    policy: DEFAULT_POLICY,
    calendar,
    piiHashKey: TEST_PII_HASH_KEY,
    now,
    ...overrides,
  });
}

/** A reference that toStoredReference refuses (no serviceUrl): it throws inside the transaction, after the sequence is taken. */
const brokenReference: ConversationReferenceLike = { channelId: 'webchat', conversation: { id: 'c' } };

const seq = (n: number) => String(n).padStart(6, '0');

async function numbersOfDay(day: string): Promise<string[]> {
  const rows = await db.complaint.findMany({ where: { acceptedDay: day }, select: { number: true }, orderBy: { dailySeq: 'asc' } });
  return rows.map((r) => r.number);
}

describe('complaint numbers', () => {
  it("a day's millionth intake is refused, not given a number that exists: nothing of it is saved", async () => {
    await db.$executeRaw`INSERT INTO complaint_sequence (day, last_value) VALUES ('20251009', 999999)
                         ON CONFLICT (day) DO UPDATE SET last_value = 999999`;
    const phone = randomMobile();
    await expect(create(new Date('2025-10-09T02:00:00Z'), { draft: draft({ phone }) })).rejects.toThrow(/number/);
    expect(await numbersOfDay('20251009')).toEqual([]);
    const [row] = await db.$queryRaw<{ last_value: number }[]>`SELECT last_value FROM complaint_sequence WHERE day = '20251009'`;
    expect(Number(row!.last_value)).toBe(999999);
    expect(await db.complainant.count({ where: { phoneHash: phoneLookupHash(phone, TEST_PII_HASH_KEY) } })).toBe(0);
  });

  it('50 parallel intakes at the same instant get TS<Shanghai day>-000001 … -000050, unique and gap-free', { timeout: 60_000 }, async () => {
    // 17:30 UTC on 11 March is 01:30 on 12 March in Shanghai: the number carries the Shanghai day.
    const now = new Date('2025-03-11T17:30:00Z');
    const created = await Promise.all(Array.from({ length: 50 }, () => create(now)));

    const expected = Array.from({ length: 50 }, (_, i) => `TS20250312-${seq(i + 1)}`);
    expect(created.map((c) => c.number).sort()).toEqual(expected);
    expect(new Set(created.map((c) => c.id)).size).toBe(50);
    // The ledger agrees: exactly these 50 rows for that day, none for the UTC day.
    expect(await numbersOfDay('20250312')).toEqual(expected);
    expect(await numbersOfDay('20250311')).toEqual([]);
    const rows = await db.complaint.findMany({ where: { acceptedDay: '20250312' }, select: { number: true, dailySeq: true, acceptedAt: true } });
    for (const r of rows) {
      expect(r.number).toBe(`TS20250312-${seq(r.dailySeq)}`);
      expect(r.acceptedAt.toISOString()).toBe(now.toISOString());
    }
  });

  it('an intake that fails inside its transaction after taking a number leaves no gap', async () => {
    const now = new Date('2025-07-23T03:00:00Z'); // 11:00 in Shanghai
    const day = '20250723';

    // The very first intake of the day fails: the sequence row it created is rolled back too.
    const failedPhone = randomMobile();
    const firstFailure = await create(now, { draft: draft({ phone: failedPhone }), conversationReference: brokenReference }).catch((e: unknown) => e);
    expect(firstFailure).toBeInstanceOf(Error);
    expect((firstFailure as Error).message).toMatch(/conversation reference/);
    // Nothing of the failed intake was kept, not even its complainant.
    expect(await numbersOfDay(day)).toEqual([]);
    expect(await db.complaintSequence.findUnique({ where: { day } })).toBeNull();
    expect(await db.complainant.count({ where: { phoneHash: phoneLookupHash(failedPhone, TEST_PII_HASH_KEY) } })).toBe(0);

    const first = await create(now);
    expect(first.number).toBe(`TS${day}-000001`);

    await expect(create(now, { conversationReference: brokenReference })).rejects.toThrow(/conversation reference/);
    // A draft that fails validation is refused before any number is taken.
    const invalid = await create(now, { draft: draft({ phone: '12345' }) }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AppError);
    expect((invalid as AppError).code).toBe('INVALID_INPUT');

    const second = await create(now);
    expect(second.number).toBe(`TS${day}-000002`);
    expect(await numbersOfDay(day)).toEqual([`TS${day}-000001`, `TS${day}-000002`]);
    expect(await db.complaintSequence.findUnique({ where: { day } })).toEqual({ day, lastValue: 2 });
  });

  it('failed intakes running in parallel with good ones leave no gap either', { timeout: 60_000 }, async () => {
    const now = new Date('2025-08-14T06:00:00Z');
    const day = '20250814';
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? create(now, { conversationReference: brokenReference }) : create(now))),
    );

    const failed = results.filter((r) => r.status === 'rejected');
    const numbers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.number] : []));
    expect(failed).toHaveLength(10);
    for (const f of failed) expect(String((f as PromiseRejectedResult).reason)).toMatch(/conversation reference/);
    const expected = Array.from({ length: 20 }, (_, i) => `TS${day}-${seq(i + 1)}`);
    expect(numbers.sort()).toEqual(expected);
    expect(await numbersOfDay(day)).toEqual(expected);
  });
});
