// Extensions of the decision period on the real PostgreSQL: a handler asks with a reason, the role
// the policy names approves (to 30 days the department head, to 60 senior management, never past
// 60), the deadlines move, and the customer is told the new date in their own channel.
// Hand-worked dates (November 2026 has no holidays): accepted Mon 2 Nov 10:00 (Beijing); the day of
// acceptance does not count; 15 days end Tue 17 Nov 24:00; 30 days end Wed 2 Dec 24:00, a working day.
import { renderCustomerNotice } from '../../bot/customer-notifier';
import type { CustomerNotice } from '../../services/extensions/customer-notifier';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { AppError } from '../../services/errors';
import { decideExtension, requestExtension } from '../../services/extensions/extensions';
import type { CustomerNotifier } from '../../services/extensions/customer-notifier';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { randomMobile, testCalendar, testDb, testDesk } from '../support/app';

const db = testDb();
const policy = DEFAULT_POLICY;
const calendar = testCalendar();
const at = (iso: string) => new Date(iso);
const T = (localDateTime: string) => at(`${localDateTime}:00+08:00`).toISOString();
const staff: Record<string, string> = {};

class FakeNotifier implements CustomerNotifier {
  sent: { reference: unknown; text: string }[] = [];
  fail = false;
  async notify(reference: unknown, notice: CustomerNotice): Promise<void> {
    if (this.fail) throw new Error('channel down');
    this.sent.push({ reference, text: renderCustomerNotice(notice) });
  }
}

beforeAll(async () => {
  await seedDemoData(db);
  for (const no of ['A1001', 'S2001', 'S2002', 'L3001', 'V4001']) {
    staff[no] = (await db.staff.findUniqueOrThrow({ where: { employeeNo: no }, select: { id: true } })).id;
  }
});
afterAll(() => db.$disconnect());

async function fileAt(acceptedAt: string, locale: 'zh-CN' | 'en-US' = 'zh-CN'): Promise<{ id: string; number: string; conversationId: string }> {
  const conversationId = randomUUID();
  const filed = await testDesk(db, () => at(acceptedAt)).fileComplaint({
    draft: { businessLine: 'insurance', type: 'claims_dispute', description: '理赔申请提交一个月还没有处理，请尽快处理', name: '测试', phone: randomMobile(), feedbackMethod: 'phone' },
    user: { channelId: 'test-extensions', channelUserId: randomUUID() },
    locale,
    reference: { channelId: 'test-extensions', serviceUrl: 'https://test.invalid', conversation: { id: conversationId } },
    consent: { noticeVersion: 'test' },
    submissionId: randomUUID(),
  });
  const row = await db.complaint.findUniqueOrThrow({ where: { number: filed.number }, select: { id: true } });
  return { id: row.id, number: filed.number, conversationId };
}

async function deadlinesOf(complaintId: string) {
  const rows = await db.complaintDeadline.findMany({ where: { complaintId } });
  return Object.fromEntries(rows.map((r) => [r.kind, r.dueAt.toISOString()]));
}

async function eventTypes(complaintId: string) {
  return (await db.complaintEvent.findMany({ where: { complaintId }, orderBy: { id: 'asc' } })).map((e) => e.type);
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const ask = (number: string, toDays: number, staffId: string, now: string, reason = '需要调取第三方鉴定材料') =>
  requestExtension({ db, complaintNumber: number, toDays, reason, staffId, policy, now: at(now) });
const decide = (extensionId: string, approve: boolean, staffId: string, now: string, notifier?: CustomerNotifier) =>
  decideExtension({ db, extensionId, approve, note: approve ? '同意' : '材料不足', staffId, policy, calendar, now: at(now), notifier });

describe('extension to 30 days', () => {
  it('an agent asks, the claims supervisor approves: statutory and feedback move to 2 Dec 24:00 and the customer is told', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    expect((await deadlinesOf(c.id)).statutory_decision).toBe(T('2026-11-18T00:00'));

    const req = await ask(c.number, 30, staff.A1001!, '2026-11-05T10:00:00+08:00');
    expect(req).toMatchObject({ number: c.number, fromDays: 15, toDays: 30, status: 'requested' });
    const row = await db.deadlineExtension.findUniqueOrThrow({ where: { id: req.extensionId } });
    expect(row).toMatchObject({ complaintId: c.id, requestedDays: 30, reason: '需要调取第三方鉴定材料', requestedBy: staff.A1001, status: 'requested', decidedBy: null });

    const notifier = new FakeNotifier();
    const decided = await decide(req.extensionId, true, staff.S2002!, '2026-11-06T09:00:00+08:00', notifier);
    expect(decided).toMatchObject({ status: 'approved', decisionDays: 30, customerNotice: 'sent' });
    expect(decided.statutoryDecision!.toISOString()).toBe(T('2026-12-03T00:00'));
    expect(decided.feedback!.toISOString()).toBe(T('2026-12-03T00:00'));
    const deadlines = await deadlinesOf(c.id);
    expect(deadlines.statutory_decision).toBe(T('2026-12-03T00:00'));
    expect(deadlines.feedback).toBe(T('2026-12-03T00:00'));
    expect(deadlines.investigation).toBe(T('2026-12-03T00:00'));
    expect((await db.complaint.findUniqueOrThrow({ where: { id: c.id } })).extendedDecisionDays).toBe(30);
    expect(await db.deadlineExtension.findUniqueOrThrow({ where: { id: req.extensionId } })).toMatchObject({ status: 'approved', decidedBy: staff.S2002, decisionNote: '同意' });

    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]!.reference).toMatchObject({ conversation: { id: c.conversationId } });
    expect(notifier.sent[0]!.text).toContain(c.number);
    expect(notifier.sent[0]!.text).toContain('2026年12月3日');
    expect(notifier.sent[0]!.text).toContain('需要调取第三方鉴定材料');

    const types = await eventTypes(c.id);
    expect(types.slice(-4)).toEqual(['extension.requested', 'extension.approved', 'deadlines.set', 'customer.notified']);
    const notified = await db.complaintEvent.findFirstOrThrow({ where: { complaintId: c.id, type: 'customer.notified' } });
    expect(JSON.stringify(notified.payload)).not.toContain('测试');
    expect(JSON.stringify(notified.payload)).not.toContain('鉴定');
  });

  it('tells an English-speaking customer in English, Beijing time', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00', 'en-US');
    const req = await ask(c.number, 30, staff.A1001!, '2026-11-05T10:00:00+08:00', 'we are waiting for an expert report');
    const notifier = new FakeNotifier();
    await decide(req.extensionId, true, staff.L3001!, '2026-11-06T09:00:00+08:00', notifier);
    expect(notifier.sent[0]!.text).toContain(`your complaint ${c.number}`);
    expect(notifier.sent[0]!.text).toContain('3 December 2026');
    expect(notifier.sent[0]!.text).toContain('(Beijing time)');
    expect(notifier.sent[0]!.text).toContain('we are waiting for an expert report');
  });

  it('a supervisor of another department, an agent or supervision may not approve; a refusal is recorded', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    const req = await ask(c.number, 30, staff.A1001!, '2026-11-05T10:00:00+08:00');
    for (const who of ['S2001', 'A1001', 'V4001']) {
      expect((await errorOf(decide(req.extensionId, true, staff[who]!, '2026-11-06T09:00:00+08:00'))).code).toBe('FORBIDDEN');
    }
    const refused = await decide(req.extensionId, false, staff.S2002!, '2026-11-06T09:00:00+08:00');
    expect(refused).toMatchObject({ status: 'refused', decisionDays: 15 });
    expect((await deadlinesOf(c.id)).statutory_decision).toBe(T('2026-11-18T00:00'));
    expect((await eventTypes(c.id)).slice(-2)).toEqual(['extension.requested', 'extension.refused']);
    expect((await errorOf(decide(req.extensionId, true, staff.S2002!, '2026-11-06T10:00:00+08:00'))).code).toBe('CONFLICT');
  });

  it('a hotline complaint (no conversation) records the notice as pending with the feedback method', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    await db.conversationReference.delete({ where: { complaintId: c.id } });
    const req = await ask(c.number, 30, staff.A1001!, '2026-11-05T10:00:00+08:00');
    const notifier = new FakeNotifier();
    const decided = await decide(req.extensionId, true, staff.S2002!, '2026-11-06T09:00:00+08:00', notifier);
    expect(decided.customerNotice).toBe('pending');
    expect(notifier.sent).toHaveLength(0);
    const pending = await db.complaintEvent.findFirstOrThrow({ where: { complaintId: c.id, type: 'customer.notify_pending' } });
    expect(pending.payload).toMatchObject({ subject: 'extension', feedbackMethod: 'phone', cause: 'no_conversation' });
  });

  it('a channel failure is recorded, the approval stands', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    const req = await ask(c.number, 30, staff.A1001!, '2026-11-05T10:00:00+08:00');
    const notifier = new FakeNotifier();
    notifier.fail = true;
    const decided = await decide(req.extensionId, true, staff.S2002!, '2026-11-06T09:00:00+08:00', notifier);
    expect(decided).toMatchObject({ status: 'approved', customerNotice: 'failed' });
    expect((await eventTypes(c.id)).at(-1)).toBe('customer.notify_failed');
  });
});

describe('+30 to 60 days and the cap', () => {
  it('needs senior management: the supervisor is FORBIDDEN, leadership approves', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    const first = await ask(c.number, 30, staff.A1001!, '2026-11-05T10:00:00+08:00');
    await decide(first.extensionId, true, staff.S2002!, '2026-11-06T09:00:00+08:00', new FakeNotifier());

    const second = await ask(c.number, 60, staff.S2002!, '2026-11-20T10:00:00+08:00', '案情特别复杂，需要多方核实');
    expect(second).toMatchObject({ fromDays: 30, toDays: 60 });
    expect((await errorOf(decide(second.extensionId, true, staff.S2002!, '2026-11-21T10:00:00+08:00'))).code).toBe('FORBIDDEN');
    const notifier = new FakeNotifier();
    const decided = await decide(second.extensionId, true, staff.L3001!, '2026-11-21T10:00:00+08:00', notifier);
    expect(decided).toMatchObject({ status: 'approved', decisionDays: 60, customerNotice: 'sent' });
    expect(decided.statutoryDecision!.getTime()).toBeGreaterThanOrEqual(at(T('2027-01-02T00:00')).getTime());
    expect((await db.complaint.findUniqueOrThrow({ where: { id: c.id } })).extendedDecisionDays).toBe(60);
  });

  it('refuses past 60 (INVALID_INPUT and an extension.refused event), not above the current period (CONFLICT), a second open request (CONFLICT)', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    const past = await errorOf(ask(c.number, 90, staff.A1001!, '2026-11-05T10:00:00+08:00'));
    expect(past.code).toBe('INVALID_INPUT');
    const refused = await db.complaintEvent.findFirstOrThrow({ where: { complaintId: c.id, type: 'extension.refused' } });
    expect(refused.payload).toMatchObject({ toDays: 90, cause: 'past_cap', capDays: 60 });
    expect((await errorOf(ask(c.number, 45, staff.A1001!, '2026-11-05T10:00:00+08:00'))).code).toBe('INVALID_INPUT');
    expect((await errorOf(ask(c.number, 30, staff.A1001!, '2026-11-05T10:00:00+08:00', '  '))).code).toBe('INVALID_INPUT');

    const first = await ask(c.number, 30, staff.A1001!, '2026-11-05T10:00:00+08:00');
    expect((await errorOf(ask(c.number, 60, staff.A1001!, '2026-11-05T11:00:00+08:00'))).code).toBe('CONFLICT');
    await decide(first.extensionId, true, staff.S2002!, '2026-11-06T09:00:00+08:00', new FakeNotifier());
    expect((await errorOf(ask(c.number, 30, staff.A1001!, '2026-11-07T10:00:00+08:00'))).code).toBe('CONFLICT');
    expect(await db.deadlineExtension.count({ where: { complaintId: c.id } })).toBe(1);
  });

  it('supervision cannot ask', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    expect((await errorOf(ask(c.number, 30, staff.V4001!, '2026-11-05T10:00:00+08:00'))).code).toBe('FORBIDDEN');
    expect(await db.deadlineExtension.count({ where: { complaintId: c.id } })).toBe(0);
  });
});
