// Intake and the status life cycle on the real database: what lands in the ledger, the complainant
// table and the append-only history, and how status changes behave under mistakes and races.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../services/db/seed-demo-data';
import type { Database } from '../../services/db/client';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { AppError } from '../../services/errors';
import { createComplaint, type CreateComplaintOptions } from '../../services/complaints/create-complaint';
import { acknowledgeComplaint } from '../../services/complaints/acknowledge-complaint';
import { changeComplaintStatus } from '../../services/complaints/change-complaint-status';
import type { ComplaintDraftInput } from '../../services/complaints/complaint-draft';
import type { ComplaintStatusName } from '../../services/complaints/status-model';
import type { Actor } from '../../services/complaints/record-event';
import { phoneLookupHash } from '../../services/complainants/upsert-complainant';
import { randomMobile, testCalendar, testDb, TEST_PII_HASH_KEY, calmAnalysis } from '../support/app';

const db: Database = testDb(8);
const calendar = testCalendar();

let claimsDepartmentId: string;
beforeAll(async () => {
  await seedDemoData(db);
  claimsDepartmentId = (await db.department.findUniqueOrThrow({ where: { code: 'CLAIMS' } })).id;
});

afterAll(async () => {
  await db.$disconnect();
});

// Mon 28 Sep 2026, 10:00 in Shanghai. Untriaged → L3's 7 working days: Sep 29(1), 30(2), [Oct 1–7 holiday],
// Oct 8(3), 9(4), Sat 10 make-up(5), Mon 12(6), Tue 13(7) → 13 Oct 18:00. Statutory: Sep 28 + 15 = Tue 13 Oct,
// a working day → 24:00 that day.
const ACCEPTED_AT = new Date('2026-09-28T10:00:00+08:00');
const FEEDBACK_DUE = new Date('2026-10-13T18:00:00+08:00');
const STATUTORY_DUE = new Date('2026-10-14T00:00:00+08:00');
const INVESTIGATION_DUE = new Date('2026-10-09T00:00:00+08:00');

const staff: Actor = { type: 'staff', id: 'staff-test', channel: 'console' };

interface Filed {
  id: string;
  number: string;
  draft: ComplaintDraftInput & { phone: string; name: string };
  userId: string;
  userName: string;
  conversationId: string;
}

async function file(overrides: { draft?: Partial<ComplaintDraftInput>; options?: Partial<CreateComplaintOptions> } = {}): Promise<Filed> {
  const unique = randomUUID().slice(0, 8);
  const userId = `user-${randomUUID()}`;
  const userName = `王小明${unique}`;
  const conversationId = `conv-${randomUUID()}`;
  const draft = {
    businessLine: 'insurance' as const,
    type: 'claims_dispute' as const,
    description: `  住院理赔被拒绝，理由是既往症，但投保时已如实告知 ${unique}  `,
    occurredOn: '2026年9月1日',
    referenceNumber: `P${unique}REF`,
    claimedLossYuan: 12345.67,
    name: `张三丰${unique}`,
    phone: randomMobile(),
    email: `z${unique}@example.test`,
    feedbackMethod: 'email' as const,
    ...overrides.draft,
  };
  const created = await createComplaint({
    db,
    analysis: calmAnalysis(),
    draft,
    source: { channelId: 'webchat', channelUserId: userId, locale: 'zh-CN' },
    actor: { type: 'customer', id: userId, channel: 'webchat' },
    conversationReference: {
      channelId: 'webchat',
      serviceUrl: 'https://webchat.example.test/',
      conversation: { id: conversationId, name: `与${userName}的对话`, isGroup: false },
      user: { id: userId, name: userName, role: 'user', aadObjectId: 'aad-secret' },
      bot: { id: 'complaint-bot', name: 'Complaint Bot' },
      activityId: 'act-1',
      locale: 'zh-CN',
    },
    consent: { noticeVersion: 'privacy-2026.1' },
    policy: DEFAULT_POLICY,
    calendar,
    piiHashKey: TEST_PII_HASH_KEY,
    now: ACCEPTED_AT,
    ...overrides.options,
  });
  return { id: created.id, number: created.number, draft, userId, userName, conversationId };
}

async function eventsOf(complaintId: string) {
  return db.complaintEvent.findMany({ where: { complaintId }, orderBy: { id: 'asc' } });
}

async function statusOf(complaintId: string) {
  return db.complaint.findUniqueOrThrow({ where: { id: complaintId }, select: { status: true, version: true } });
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function walk(complaintId: string, path: ComplaintStatusName[]): Promise<void> {
  for (const to of path) await changeComplaintStatus({ db, complaintId, to, actor: staff, now: new Date() });
}

describe('createComplaint', () => {
  it('writes every field of the draft to the ledger and the complainant table', async () => {
    const f = await file();
    const c = await db.complaint.findUniqueOrThrow({ where: { id: f.id }, include: { complainant: true } });

    expect(f.number).toBe(`TS20260928-${String(c.dailySeq).padStart(6, '0')}`);
    expect(c).toMatchObject({
      number: f.number,
      acceptedDay: '20260928',
      businessLine: 'insurance',
      type: 'claims_dispute',
      description: f.draft.description.trim(),
      occurredOn: '2026年9月1日',
      referenceNumber: f.draft.referenceNumber,
      feedbackMethod: 'email',
      intakeChannel: 'online_chat',
      channelId: 'webchat',
      channelUserId: f.userId,
      locale: 'zh-CN',
      status: 'received',
      tier: 'L3',
      urgent: false,
      policyVersion: DEFAULT_POLICY.version,
      departmentId: claimsDepartmentId,
      ownerStaffId: null,
      version: 1,
    });
    expect(c.claimedLossYuan?.toString()).toBe('12345.67');
    expect(c.acceptedAt.toISOString()).toBe(ACCEPTED_AT.toISOString());
    expect(c.complainant).toMatchObject({
      name: f.draft.name,
      phone: f.draft.phone,
      email: f.draft.email,
      phoneHash: phoneLookupHash(f.draft.phone, TEST_PII_HASH_KEY),
    });
  });

  it('records the intake channel of a WeChat complaint and stores absent optional fields as null', async () => {
    const userId = `wx-${randomUUID()}`;
    const created = await createComplaint({
      db,
      analysis: calmAnalysis(),
      draft: { businessLine: 'securities', type: 'securities_trading', description: '委托单未成交', name: '李四', phone: randomMobile(), feedbackMethod: 'sms' },
      source: { channelId: 'wechat', channelUserId: userId, locale: 'zh-CN' },
      actor: { type: 'customer', id: userId, channel: 'wechat' },
      policy: DEFAULT_POLICY,
      calendar,
      piiHashKey: TEST_PII_HASH_KEY,
      now: ACCEPTED_AT,
    });
    const c = await db.complaint.findUniqueOrThrow({ where: { id: created.id }, include: { complainant: true, conversationRef: true } });
    expect(c).toMatchObject({ intakeChannel: 'wechat', channelId: 'wechat', occurredOn: null, referenceNumber: null, claimedLossYuan: null, conversationRef: null });
    expect(c.complainant.email).toBeNull();
    // No consent passed: no consent event.
    expect((await eventsOf(created.id)).map((e) => e.type)).toEqual(['complaint.received', 'triage.decided', 'deadlines.set']);
  });

  it('sets the investigation, feedback (L3 window) and statutory deadlines', async () => {
    const f = await file();
    const deadlines = await db.complaintDeadline.findMany({ where: { complaintId: f.id }, orderBy: { kind: 'asc' } });
    expect(deadlines.map((d) => [d.kind, d.dueAt.toISOString(), d.metAt])).toEqual([
      // 10 calendar days from 29 Sep: 8 Oct (a working day after National Day) → 24:00.
      ['investigation', INVESTIGATION_DUE.toISOString(), null],
      ['feedback', FEEDBACK_DUE.toISOString(), null],
      ['statutory_decision', STATUTORY_DUE.toISOString(), null],
    ]);
  });

  it('returns the feedback date it stored', async () => {
    const created = await createComplaint({
      db,
      analysis: calmAnalysis(),
      draft: { businessLine: 'insurance', type: 'other', description: '服务态度差', name: '赵六', phone: randomMobile(), feedbackMethod: 'phone' },
      source: { channelId: 'webchat', channelUserId: `u-${randomUUID()}`, locale: 'en' },
      actor: { type: 'customer' },
      policy: DEFAULT_POLICY,
      calendar,
      piiHashKey: TEST_PII_HASH_KEY,
      now: ACCEPTED_AT,
    });
    expect(created.feedbackDueAt.toISOString()).toBe(FEEDBACK_DUE.toISOString());
    expect(created.acceptedAt.toISOString()).toBe(ACCEPTED_AT.toISOString());
    expect((await db.complaint.findUniqueOrThrow({ where: { id: created.id } })).locale).toBe('en');
  });

  it("stores the conversation reference for proactive messages without the user's name", async () => {
    const f = await file();
    const ref = await db.conversationReference.findUniqueOrThrow({ where: { complaintId: f.id } });
    expect(ref).toMatchObject({ channelId: 'webchat', conversationId: f.conversationId, serviceUrl: 'https://webchat.example.test/' });
    const stored = ref.reference as Record<string, unknown>;
    expect(stored.user).toEqual({ id: f.userId, role: 'user' });
    expect(stored.conversation).toEqual({ id: f.conversationId, isGroup: false });
    expect(stored).toMatchObject({ channelId: 'webchat', serviceUrl: 'https://webchat.example.test/', bot: { id: 'complaint-bot' } });
    const json = JSON.stringify(stored);
    expect(json).not.toContain(f.userName);
    expect(json).not.toContain('aad-secret');
  });

  it('records complaint.received, privacy.consent_given and deadlines.set, with no personal data in the payloads', async () => {
    const f = await file();
    const events = await eventsOf(f.id);
    expect(events.map((e) => e.type)).toEqual(['complaint.received', 'privacy.consent_given', 'triage.decided', 'deadlines.set']);

    const [received, consent, triaged, deadlines] = events;
    expect(triaged).toMatchObject({ actorType: 'system', actorId: 'triage', payload: { tier: 'L3', urgent: false, policyVersion: DEFAULT_POLICY.version, analyzer: 'local' } });
    expect(received).toMatchObject({ actorType: 'customer', actorId: f.userId, channel: 'webchat' });
    expect(received!.occurredAt.toISOString()).toBe(ACCEPTED_AT.toISOString());
    expect(received!.payload).toMatchObject({
      number: f.number,
      businessLine: 'insurance',
      complaintType: 'claims_dispute',
      intakeChannel: 'online_chat',
      feedbackMethod: 'email',
      complainantCreated: true,
      policyVersion: DEFAULT_POLICY.version,
    });
    expect((received!.payload as { fieldsGiven: string[] }).fieldsGiven).toEqual(
      expect.arrayContaining(['name', 'phone', 'email', 'description', 'referenceNumber', 'occurredOn', 'claimedLossYuan']),
    );
    expect(consent).toMatchObject({ actorType: 'customer', payload: { noticeVersion: 'privacy-2026.1' } });
    expect(deadlines).toMatchObject({
      actorType: 'system',
      actorId: 'sla-clock',
      payload: { feedback: FEEDBACK_DUE.toISOString(), statutory_decision: STATUTORY_DUE.toISOString() },
    });

    const payloads = JSON.stringify(events.map((e) => e.payload));
    for (const value of [f.draft.name, f.draft.phone, f.draft.email!, f.draft.referenceNumber!, f.draft.description.trim(), f.userName]) {
      expect(payloads).not.toContain(value);
    }
  });

  it('refuses an invalid draft with INVALID_INPUT and writes nothing', async () => {
    const phone = randomMobile();
    const err = await errorOf(
      file({ draft: { phone, feedbackMethod: 'email', email: null } }), // feedback by e-mail needs an address
    );
    expect(err.code).toBe('INVALID_INPUT');
    expect(await db.complainant.count({ where: { phoneHash: phoneLookupHash(phone, TEST_PII_HASH_KEY) } })).toBe(0);
  });
});

describe('the same complainant twice', () => {
  it('keeps one complainant row and records complainant.updated with the changed field names only', async () => {
    const phone = randomMobile();
    const first = await file({ draft: { phone, name: '陈一', email: null, feedbackMethod: 'phone' } });
    const second = await file({ draft: { phone, name: '陈一一', email: null, feedbackMethod: 'phone' } });

    const complainants = await db.complainant.findMany({ where: { phoneHash: phoneLookupHash(phone, TEST_PII_HASH_KEY) } });
    expect(complainants).toHaveLength(1);
    expect(complainants[0]!.name).toBe('陈一一');
    const owners = await db.complaint.findMany({ where: { id: { in: [first.id, second.id] } }, select: { complainantId: true } });
    expect(owners.map((o) => o.complainantId)).toEqual([complainants[0]!.id, complainants[0]!.id]);

    expect((await eventsOf(first.id)).map((e) => e.type)).not.toContain('complainant.updated');
    const events = await eventsOf(second.id);
    expect(events.map((e) => e.type)).toEqual(['complaint.received', 'privacy.consent_given', 'complainant.updated', 'triage.decided', 'deadlines.set']);
    expect(events[0]!.payload).toMatchObject({ complainantCreated: false });
    expect(events[2]!.payload).toEqual({ fields: ['name'] });
    const payloads = JSON.stringify(events.map((e) => e.payload));
    expect(payloads).not.toContain('陈一');
    expect(payloads).not.toContain(phone);
  });

  it('records no complainant.updated when nothing changed', async () => {
    const phone = randomMobile();
    await file({ draft: { phone, name: '周五', email: null, feedbackMethod: 'phone' } });
    const again = await file({ draft: { phone, name: '周五', email: null, feedbackMethod: 'phone' } });
    expect((await eventsOf(again.id)).map((e) => e.type)).toEqual(['complaint.received', 'privacy.consent_given', 'triage.decided', 'deadlines.set']);
  });
});

describe('acknowledgeComplaint', () => {
  it('moves received → acknowledged once, with one status.changed event', async () => {
    const f = await file();
    const bot: Actor = { type: 'bot', id: 'intake-dialog', channel: 'webchat' };
    const now = new Date(ACCEPTED_AT.getTime() + 60_000);

    expect(await acknowledgeComplaint({ db, complaintId: f.id, actor: bot, now })).toBe(true);
    expect(await statusOf(f.id)).toEqual({ status: 'acknowledged', version: 2 });
    expect(await acknowledgeComplaint({ db, complaintId: f.id, actor: bot, now })).toBe(false);
    expect(await statusOf(f.id)).toEqual({ status: 'acknowledged', version: 2 });

    const changes = (await eventsOf(f.id)).filter((e) => e.type === 'status.changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ actorType: 'bot', actorId: 'intake-dialog', channel: 'webchat', payload: { from: 'received', to: 'acknowledged', via: 'webchat' } });
    expect(changes[0]!.occurredAt.toISOString()).toBe(now.toISOString());
  });

  it('acknowledges once when two turns acknowledge at the same time', async () => {
    const f = await file();
    const bot: Actor = { type: 'bot', id: 'intake-dialog', channel: 'webchat' };
    const results = await Promise.allSettled([
      acknowledgeComplaint({ db, complaintId: f.id, actor: bot, now: new Date() }),
      acknowledgeComplaint({ db, complaintId: f.id, actor: bot, now: new Date() }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === true)).toHaveLength(1);
    // The other one either saw it acknowledged already (false) or lost the race on the version (CONFLICT).
    const other = results.find((r) => !(r.status === 'fulfilled' && r.value === true))!;
    if (other.status === 'fulfilled') expect(other.value).toBe(false);
    else expect((other.reason as AppError).code).toBe('CONFLICT');
    expect((await eventsOf(f.id)).filter((e) => e.type === 'status.changed')).toHaveLength(1);
    expect((await statusOf(f.id)).status).toBe('acknowledged');
  });
});

describe('changeComplaintStatus', () => {
  it('refuses an illegal transition with INVALID_TRANSITION and writes no event', async () => {
    const f = await file();
    await walk(f.id, ['acknowledged']);
    const before = await eventsOf(f.id);

    const err = await errorOf(changeComplaintStatus({ db, complaintId: f.id, to: 'resolved', actor: staff, now: new Date() }));
    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.details).toEqual({ from: 'acknowledged', to: 'resolved' });
    expect(await statusOf(f.id)).toEqual({ status: 'acknowledged', version: 2 });
    expect(await eventsOf(f.id)).toEqual(before);

    // The same status again is not a transition either.
    expect((await errorOf(changeComplaintStatus({ db, complaintId: f.id, to: 'acknowledged', actor: staff, now: new Date() }))).code).toBe('INVALID_TRANSITION');
    expect(await eventsOf(f.id)).toEqual(before);
  });

  it('reports NOT_FOUND for an unknown complaint', async () => {
    const err = await errorOf(changeComplaintStatus({ db, complaintId: randomUUID(), to: 'acknowledged', actor: staff, now: new Date() }));
    expect(err.code).toBe('NOT_FOUND');
  });

  it('follows acknowledged → assigned → investigating → resolved → closed → reopened, one event per step', async () => {
    const f = await file();
    const path: ComplaintStatusName[] = ['acknowledged', 'assigned', 'investigating', 'resolved', 'closed', 'reopened'];
    for (const to of path) {
      const now = new Date();
      await changeComplaintStatus({ db, complaintId: f.id, to, actor: staff, reason: `step ${to}`, now });
    }
    expect(await statusOf(f.id)).toEqual({ status: 'reopened', version: 1 + path.length });

    const changes = (await eventsOf(f.id)).filter((e) => e.type === 'status.changed');
    expect(changes.map((e) => e.payload)).toEqual(
      path.map((to, i) => ({ from: i === 0 ? 'received' : path[i - 1], to, reason: `step ${to}` })),
    );
    for (const e of changes) expect(e).toMatchObject({ actorType: 'staff', actorId: 'staff-test', channel: 'console' });
  });

  it('lets exactly one of two concurrent transitions from the same state win', async () => {
    const f = await file();
    await walk(f.id, ['acknowledged', 'assigned', 'investigating', 'resolved']);
    const eventsBefore = (await eventsOf(f.id)).length;

    // From resolved both closed and reopened are legal. Both callers act on the resolved state they saw
    // (closed → reopened is legal too, so without expectedFrom the later one would legitimately apply).
    const results = await Promise.allSettled(
      (['closed', 'reopened'] as const).map((to) =>
        changeComplaintStatus({ db, complaintId: f.id, to, actor: staff, now: new Date(), expectedFrom: 'resolved' }),
      ),
    );
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(AppError);
    expect(['CONFLICT', 'INVALID_TRANSITION']).toContain((lost[0] as AppError).code);

    expect(await statusOf(f.id)).toEqual({ status: won[0]!.to, version: 6 });
    const events = await eventsOf(f.id);
    expect(events).toHaveLength(eventsBefore + 1);
    expect(events.at(-1)).toMatchObject({ type: 'status.changed', payload: { from: 'resolved', to: won[0]!.to } });
  });

  it('refuses a change made on a status the complaint has since left (a stale screen), leaving no event', async () => {
    const f = await file();
    await walk(f.id, ['acknowledged', 'assigned', 'investigating', 'resolved', 'closed']);
    const before = await eventsOf(f.id);
    const err = await errorOf(changeComplaintStatus({ db, complaintId: f.id, to: 'reopened', actor: staff, now: new Date(), expectedFrom: 'resolved' }));
    expect(err.code).toBe('CONFLICT');
    expect(err.details).toEqual({ expected: 'resolved', actual: 'closed', to: 'reopened' });
    expect(await statusOf(f.id)).toEqual({ status: 'closed', version: 6 });
    expect(await eventsOf(f.id)).toEqual(before);
  });

  it('lets exactly one of two concurrent identical transitions win', async () => {
    const f = await file();
    await walk(f.id, ['acknowledged']);
    const results = await Promise.allSettled([1, 2].map(() => changeComplaintStatus({ db, complaintId: f.id, to: 'assigned', actor: staff, now: new Date() })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['CONFLICT', 'INVALID_TRANSITION']).toContain((rejected.reason as AppError).code);
    expect(await statusOf(f.id)).toEqual({ status: 'assigned', version: 3 });
    expect((await eventsOf(f.id)).filter((e) => e.type === 'status.changed' && (e.payload as { to?: string }).to === 'assigned')).toHaveLength(1);
  });
});

describe('the history is append-only', () => {
  it('refuses UPDATE and DELETE of complaint_event in the database', async () => {
    const f = await file();
    const before = await eventsOf(f.id);
    expect(before.length).toBeGreaterThan(0);

    await expect(db.$executeRaw`UPDATE complaint_event SET type = 'edited', payload = '{}' WHERE complaint_id = ${f.id}::uuid`).rejects.toThrow(
      /append-only/,
    );
    await expect(db.$executeRaw`DELETE FROM complaint_event WHERE complaint_id = ${f.id}::uuid`).rejects.toThrow(/append-only/);
    // Through Prisma's model API too.
    await expect(db.complaintEvent.deleteMany({ where: { complaintId: f.id } })).rejects.toThrow();
    await expect(db.complaintEvent.update({ where: { id: before[0]!.id }, data: { type: 'edited' } })).rejects.toThrow();

    expect(await eventsOf(f.id)).toEqual(before);
  });
});

describe('filing one intake twice', () => {
  it('returns the complaint already filed for the same submission id, also when both arrive at once', async () => {
    const submissionId = randomUUID();
    const first = await file({ options: { submissionId } });
    const again = await file({ options: { submissionId } });
    expect(again.number).toBe(first.number);

    const racing = randomUUID();
    const [a, b] = await Promise.all([file({ options: { submissionId: racing } }), file({ options: { submissionId: racing } })]);
    expect(a.number).toBe(b.number);
    expect(await db.complaint.count({ where: { intakeSubmissionId: { in: [submissionId, racing] } } })).toBe(2);
  });
});
