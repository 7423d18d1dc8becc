// The ledger (投诉台账): searchable and exportable, with personal data masked.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchLedger } from '../../services/ledger/search-ledger';
import { ledgerToCsv } from '../../services/ledger/ledger-csv';
import { changeComplaintStatus } from '../../services/complaints/change-complaint-status';
import { randomMobile, testDb, testDesk } from '../support/app';

const db = testDb();
// A day of its own: test files share one database.
const DAY_START = new Date('2025-06-17T00:00:00+08:00');
const NEXT_DAY = new Date('2025-06-18T00:00:00+08:00');
const phones = [randomMobile(), randomMobile(), randomMobile()];
const numbers: string[] = [];

beforeAll(async () => {
  const drafts = [
    { businessLine: 'insurance', type: 'claims_dispute', description: '理赔被拒，理由不成立', name: '欧阳娜娜', feedbackMethod: 'phone', claimedLossYuan: 80_000 },
    { businessLine: 'securities', type: 'securities_trading', description: '委托单延迟两小时成交', name: '赵六', feedbackMethod: 'sms', claimedLossYuan: null },
    { businessLine: 'insurance', type: 'other', description: '保单邮寄地址错误', name: 'Mary Chen', feedbackMethod: 'chat', claimedLossYuan: null },
  ] as const;
  for (const [i, draft] of drafts.entries()) {
    const desk = testDesk(db, () => new Date(DAY_START.getTime() + (10 + i) * 3_600_000));
    const filed = await desk.fileComplaint({
      draft: { ...draft, phone: phones[i]! },
      user: { channelId: 'test-ledger', channelUserId: `u${i}` },
      locale: 'zh-CN',
      reference: { channelId: 'test-ledger', serviceUrl: 'https://test.com', conversation: { id: `ledger-${i}` } },
      consent: { noticeVersion: 'test' },
      submissionId: randomUUID(),
    });
    numbers.push(filed.number);
  }
  await changeComplaintStatus({ db, complaintId: (await db.complaint.findUniqueOrThrow({ where: { number: numbers[0]! } })).id, to: 'acknowledged', actor: { type: 'system' }, now: new Date() });
});
afterAll(() => db.$disconnect());

const period = { acceptedFrom: DAY_START, acceptedBefore: NEXT_DAY };

describe('complaint ledger', () => {
  it('lists a day\'s complaints in number order with their deadlines', async () => {
    const rows = await searchLedger({ db, filter: period });
    expect(rows.map((r) => r.number)).toEqual(numbers);
    expect(rows[0]).toMatchObject({ businessLine: 'insurance', type: 'claims_dispute', tier: 'L2', status: 'acknowledged', claimedLossYuan: 80_000, handler: 'intake queue' });
    // Accepted Tue 17 June 2025; a loss of 80 000 is level 2: 5 working days → Tue 24 June, 18:00 Shanghai.
    expect(rows[0]!.feedbackDueAt).toBe('2025-06-24T10:00:00.000Z');
    // The third (no loss, calm) is level 3: 7 working days → Thu 26 June.
    expect(rows[2]).toMatchObject({ tier: 'L3', feedbackDueAt: '2025-06-26T10:00:00.000Z' });
  });

  it('filters by number, status, business line and type', async () => {
    expect((await searchLedger({ db, filter: { number: numbers[1]!.toLowerCase() } })).map((r) => r.number)).toEqual([numbers[1]]);
    expect((await searchLedger({ db, filter: { ...period, status: 'acknowledged' } })).map((r) => r.number)).toEqual([numbers[0]]);
    expect((await searchLedger({ db, filter: { ...period, businessLine: 'securities' } })).map((r) => r.number)).toEqual([numbers[1]]);
    expect((await searchLedger({ db, filter: { ...period, type: 'other' } })).map((r) => r.number)).toEqual([numbers[2]]);
  });

  it('pages by number', async () => {
    const first = await searchLedger({ db, filter: period, limit: 2 });
    const rest = await searchLedger({ db, filter: period, limit: 2, afterNumber: first[1]!.number });
    expect([...first, ...rest].map((r) => r.number)).toEqual(numbers);
  });

  it('exports CSV that opens in Excel, with names and phones masked', async () => {
    const csv = ledgerToCsv(await searchLedger({ db, filter: period }));
    expect(csv.startsWith('\uFEFF投诉编号 Number,')).toBe(true);
    expect(csv.trim().split('\n')).toHaveLength(4);
    expect(csv).toContain('欧**娜');
    expect(csv).toContain(`${phones[0]!.slice(0, 3)}****${phones[0]!.slice(-4)}`);
    expect(csv).toContain('2025-06-17 10:00');
    for (const phone of phones) expect(csv).not.toContain(phone);
    expect(csv).not.toContain('欧阳娜娜');
    expect(csv).not.toContain('Mary Chen');
  });
});
