// Deadlines in PostgreSQL follow the complaint's clock: pauses for an external appraisal, restarts on
// new facts, extensions and tier changes recompute them, each change an event. Expected due times are
// the hand-worked ones of test/deadlines/deadline-tables.test.ts (November 2026 has no holidays:
// Mon 2, Mon 9, Mon 16, Mon 23 Nov).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../services/db/seed-demo-data';
import type { StaffRole } from '../../services/db/generated/client';
import { pauseForAppraisal, restartClockOnNewFacts, resumeAfterAppraisal } from '../../services/deadlines/complaint-clock';
import { recomputeDeadlines } from '../../services/deadlines/recompute-deadlines';
import { AppError } from '../../services/errors';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { overrideTier } from '../../services/triage/override-tier';
import { randomMobile, testCalendar, testDb, testDesk } from '../support/app';

const db = testDb();
const policy = DEFAULT_POLICY;
const calendar = testCalendar();
const at = (iso: string) => new Date(iso);
const T = (localDateTime: string) => at(`${localDateTime}:00+08:00`).toISOString();
const staff: Record<string, string> = {};

beforeAll(async () => {
  await seedDemoData(db);
  for (const role of ['agent', 'supervisor', 'supervision'] as StaffRole[]) {
    const s = await db.staff.create({ data: { employeeNo: `T-${randomUUID()}`, displayName: `test ${role}`, role } });
    staff[role] = s.id;
  }
  staff.inactive = (await db.staff.create({ data: { employeeNo: `T-${randomUUID()}`, displayName: 'gone', role: 'agent', active: false } })).id;
});
afterAll(() => db.$disconnect());

/** Files a calm complaint (level 3, not urgent) accepted at `acceptedAt`. */
async function fileAt(acceptedAt: string): Promise<{ id: string; number: string }> {
  const filed = await testDesk(db, () => at(acceptedAt)).fileComplaint({
    draft: { businessLine: 'insurance', type: 'claims_dispute', description: '理赔申请提交一个月还没有处理，请尽快处理', name: '测试', phone: randomMobile(), feedbackMethod: 'phone' },
    user: { channelId: 'test-deadlines', channelUserId: randomUUID() },
    locale: 'zh-CN',
    reference: { channelId: 'test-deadlines', serviceUrl: 'https://test.invalid', conversation: { id: randomUUID() } },
    consent: { noticeVersion: 'test' },
    submissionId: randomUUID(),
  });
  const row = await db.complaint.findUniqueOrThrow({ where: { number: filed.number }, select: { id: true, tier: true, urgent: true } });
  expect([row.tier, row.urgent]).toEqual(['L3', false]);
  return { id: row.id, number: filed.number };
}

async function deadlinesOf(complaintId: string) {
  const rows = await db.complaintDeadline.findMany({ where: { complaintId } });
  return Object.fromEntries(rows.map((r) => [r.kind, r.dueAt.toISOString()]));
}

async function rowsOf(complaintId: string) {
  return Object.fromEntries((await db.complaintDeadline.findMany({ where: { complaintId } })).map((r) => [r.kind, r]));
}

async function eventsOf(complaintId: string) {
  return db.complaintEvent.findMany({ where: { complaintId }, orderBy: { id: 'asc' } });
}

const clock = (complaintId: string, now: string, staffId = staff.agent!) => ({ db, complaintId, staffId, policy, calendar, now: at(now) });

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('pause for an external appraisal, then resume', () => {
  it('suspends the pending deadlines while waiting, and moves them by the paused days when the appraisal is back', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    // L3 at acceptance: feedback 7 wd Tue 3 – Wed 11; investigation 12 Nov, statutory 17 Nov, 24:00.
    expect(await deadlinesOf(c.id)).toEqual({ feedback: T('2026-11-11T18:00'), investigation: T('2026-11-13T00:00'), statutory_decision: T('2026-11-18T00:00') });

    const paused = await pauseForAppraisal(clock(c.id, '2026-11-04T15:00:00+08:00'));
    expect(paused.schedule.suspended).toEqual(['investigation', 'feedback', 'statutory_decision']);
    expect(await deadlinesOf(c.id)).toEqual({}); // no due time while the clock stands still: no timers
    const pause = await db.complaintPause.findUniqueOrThrow({ where: { id: paused.pauseId } });
    expect(pause).toMatchObject({ complaintId: c.id, reason: 'external_appraisal', startedBy: staff.agent, endedAt: null, endedBy: null });
    expect(pause.startedAt.toISOString()).toBe(T('2026-11-04T15:00'));

    expect((await errorOf(pauseForAppraisal(clock(c.id, '2026-11-05T10:00:00+08:00')))).code).toBe('CONFLICT');

    const resumed = await resumeAfterAppraisal(clock(c.id, '2026-11-09T11:30:00+08:00', staff.supervisor));
    expect(resumed.pauseId).toBe(paused.pauseId);
    // Working days touched: 4, 5, 6, 9 Nov → feedback Tue 17 Nov 18:00; calendar days touched 4–9 Nov (6) →
    // investigation 18 Nov, statutory 23 Nov, 24:00.
    expect(await deadlinesOf(c.id)).toEqual({ feedback: T('2026-11-17T18:00'), investigation: T('2026-11-19T00:00'), statutory_decision: T('2026-11-24T00:00') });
    expect(await db.complaintPause.findUniqueOrThrow({ where: { id: paused.pauseId } })).toMatchObject({ endedBy: staff.supervisor, endedAt: at('2026-11-09T11:30:00+08:00') });

    expect((await errorOf(resumeAfterAppraisal(clock(c.id, '2026-11-10T10:00:00+08:00')))).code).toBe('CONFLICT');

    const events = (await eventsOf(c.id)).slice(-4);
    expect(events.map((e) => e.type)).toEqual(['clock.paused', 'deadlines.set', 'clock.resumed', 'deadlines.set']);
    const [pausedEvent, whilePaused, resumedEvent, afterResume] = events;
    expect(pausedEvent).toMatchObject({ actorType: 'staff', actorId: staff.agent, channel: 'staff-api', payload: { pauseId: paused.pauseId, reason: 'external_appraisal' } });
    expect(whilePaused!.payload).toMatchObject({
      basis: 'clock paused for an external appraisal', reason: 'pause', pausedSince: T('2026-11-04T15:00'),
      suspended: ['investigation', 'feedback', 'statutory_decision'], pauses: 1, clockStartedAt: T('2026-11-02T10:00'),
    });
    // Wed 4 Nov 15:00 → Mon 9 Nov 11:30 = 4 days 20 h 30 min.
    expect(resumedEvent).toMatchObject({ actorId: staff.supervisor, payload: { pauseId: paused.pauseId, pausedSince: T('2026-11-04T15:00'), pausedMinutes: (4 * 24 + 20) * 60 + 30 } });
    expect(afterResume!.payload).toMatchObject({ basis: 'clock resumed after an external appraisal', reason: 'resume', pausedSince: null, suspended: [], feedback: T('2026-11-17T18:00') });
  });

  it('leaves deadlines met or already due as they are, marks included', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    await overrideTier({ db, number: c.number, tier: 'L2', reason: '客户情绪激动', staffId: staff.supervisor!, policy, calendar, now: at('2026-11-02T10:05:00+08:00') });
    // L2: to_supervisor 14:00; feedback 5 wd → Mon 9 Nov 18:00; investigation 13 Nov, statutory 18 Nov 00:00.
    expect(await deadlinesOf(c.id)).toEqual({
      to_supervisor: T('2026-11-02T14:00'), feedback: T('2026-11-09T18:00'), investigation: T('2026-11-13T00:00'), statutory_decision: T('2026-11-18T00:00'),
    });
    // The SLA side: the supervisor step done in time, the feedback breached, the investigation warned.
    await db.complaintDeadline.update({ where: { complaintId_kind: { complaintId: c.id, kind: 'to_supervisor' } }, data: { metAt: at('2026-11-02T13:00:00+08:00') } });
    await db.complaintDeadline.update({ where: { complaintId_kind: { complaintId: c.id, kind: 'feedback' } }, data: { warnedAt: at('2026-11-09T10:00:00+08:00'), breachedAt: at('2026-11-09T18:00:00+08:00') } });
    await db.complaintDeadline.update({ where: { complaintId_kind: { complaintId: c.id, kind: 'investigation' } }, data: { warnedAt: at('2026-11-11T00:00:00+08:00') } });
    const before = await rowsOf(c.id);

    // Paused Wed 11 Nov 10:00 while the investigation and the statute were pending.
    await pauseForAppraisal(clock(c.id, '2026-11-11T10:00:00+08:00'));
    let rows = await rowsOf(c.id);
    expect(Object.keys(rows).sort()).toEqual(['feedback', 'to_supervisor']);
    expect(rows.to_supervisor).toEqual(before.to_supervisor); // met: untouched
    expect(rows.feedback).toEqual(before.feedback); // due before the pause: same time, same marks (no second breach)

    await resumeAfterAppraisal(clock(c.id, '2026-11-13T10:00:00+08:00'));
    rows = await rowsOf(c.id);
    expect(rows.to_supervisor).toEqual(before.to_supervisor);
    expect(rows.feedback).toEqual(before.feedback);
    // Days touched 11, 12, 13 Nov: investigation → Sun 15 → Mon 16, statutory → Fri 20, 24:00; fresh rows, no marks.
    expect(rows.investigation).toMatchObject({ dueAt: at('2026-11-17T00:00:00+08:00'), warnedAt: null, breachedAt: null, metAt: null });
    expect(rows.statutory_decision!.dueAt.toISOString()).toBe(T('2026-11-21T00:00'));

    // Recomputing without a change touches nothing.
    await recomputeDeadlines({ db, complaintId: c.id, reason: 'resume', policy, calendar, now: at('2026-11-13T10:01:00+08:00') });
    expect(await rowsOf(c.id)).toEqual(rows);
  });

  it('a tier change on a complaint that was paused keeps the pause (override-tier recomputes)', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    await pauseForAppraisal(clock(c.id, '2026-11-04T15:00:00+08:00'));
    await resumeAfterAppraisal(clock(c.id, '2026-11-09T11:30:00+08:00'));
    const result = await overrideTier({ db, number: c.number, tier: 'L1', reason: '客户已委托律师', staffId: staff.supervisor!, policy, calendar, now: at('2026-11-09T12:00:00+08:00') });
    // L1 windows from acceptance, all before the pause: 10:15, 11:00, Tue 3 10:00. Feedback 3 wd: Tue 3 (1),
    // [4, 5, 6, 9 paused], Tue 10 (2), Wed 11 (3). Investigation and statute as after the resume above.
    const expected = {
      first_response: T('2026-11-02T10:15'), forward_to_leadership: T('2026-11-02T11:00'), leadership_meeting: T('2026-11-03T10:00'),
      feedback: T('2026-11-11T18:00'), investigation: T('2026-11-19T00:00'), statutory_decision: T('2026-11-24T00:00'),
    };
    expect(await deadlinesOf(c.id)).toEqual(expected);
    expect(Object.fromEntries(Object.entries(result.deadlines).map(([k, d]) => [k, d!.toISOString()]))).toEqual(expected);
    const last = (await eventsOf(c.id)).at(-1)!;
    expect(last).toMatchObject({ type: 'deadlines.set', actorId: staff.supervisor, payload: { basis: 'tier overridden to L1', reason: 'tier_change', tier: 'L1', pauses: 1 } });
  });
});

describe('restart on new facts', () => {
  it('counts every pending deadline from the restart; done steps stay done', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    await overrideTier({ db, number: c.number, tier: 'L2', reason: '客户情绪激动', staffId: staff.supervisor!, policy, calendar, now: at('2026-11-02T10:05:00+08:00') });
    await pauseForAppraisal(clock(c.id, '2026-11-04T15:00:00+08:00'));
    await resumeAfterAppraisal(clock(c.id, '2026-11-09T11:30:00+08:00'));
    await db.complaintDeadline.update({ where: { complaintId_kind: { complaintId: c.id, kind: 'to_supervisor' } }, data: { metAt: at('2026-11-02T13:00:00+08:00') } });

    const restarted = await restartClockOnNewFacts(clock(c.id, '2026-11-12T15:00:00+08:00'));
    expect(restarted.schedule.clockStart.toISOString()).toBe(T('2026-11-12T15:00'));
    // As if accepted Thu 12 Nov 15:00 (the pause before it is spent): feedback 5 wd Fri 13 – Thu 19; investigation
    // 22 Nov (Sun) → Mon 23; statutory Fri 27, 24:00. to_supervisor was met: it keeps its 2 Nov 14:00.
    expect(await deadlinesOf(c.id)).toEqual({
      to_supervisor: T('2026-11-02T14:00'), feedback: T('2026-11-19T18:00'), investigation: T('2026-11-24T00:00'), statutory_decision: T('2026-11-28T00:00'),
    });
    expect((await db.complaint.findUniqueOrThrow({ where: { id: c.id } })).clockRestartedAt?.toISOString()).toBe(T('2026-11-12T15:00'));
    const [event, set] = (await eventsOf(c.id)).slice(-2);
    expect(event).toMatchObject({ type: 'clock.restarted', actorId: staff.agent, payload: { reason: 'new_facts', previousStart: T('2026-11-02T10:00') } });
    expect(set).toMatchObject({ type: 'deadlines.set', payload: { reason: 'restart', restarted: true, clockStartedAt: T('2026-11-12T15:00') } });

    // A later restart counts from the later time; one before the current start is refused.
    expect((await errorOf(restartClockOnNewFacts(clock(c.id, '2026-11-12T14:00:00+08:00')))).code).toBe('INVALID_INPUT');
  });
});

describe('extension', () => {
  it('recomputes the decision, investigation and feedback to the extended period', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    await db.complaint.update({ where: { id: c.id }, data: { extendedDecisionDays: 30 } });
    const schedule = await recomputeDeadlines({ db, complaintId: c.id, reason: 'extension', policy, calendar, now: at('2026-11-10T10:00:00+08:00') });
    expect(schedule.decisionDays).toBe(30);
    // 2 Nov + 30 = Wed 2 Dec → 24:00.
    expect(await deadlinesOf(c.id)).toEqual({ feedback: T('2026-12-03T00:00'), investigation: T('2026-12-03T00:00'), statutory_decision: T('2026-12-03T00:00') });
    expect((await eventsOf(c.id)).at(-1)).toMatchObject({ type: 'deadlines.set', actorType: 'system', actorId: 'sla-clock', payload: { basis: 'decision period extended to 30 days', decisionDays: 30 } });
  });
});

describe('refusals and guards', () => {
  it('refuses the read-only supervision department, inactive staff, unknown and closed complaints', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    expect((await errorOf(pauseForAppraisal(clock(c.id, '2026-11-04T15:00:00+08:00', staff.supervision)))).code).toBe('FORBIDDEN');
    expect((await errorOf(pauseForAppraisal(clock(c.id, '2026-11-04T15:00:00+08:00', staff.inactive)))).code).toBe('UNAUTHENTICATED');
    expect((await errorOf(pauseForAppraisal(clock(randomUUID(), '2026-11-04T15:00:00+08:00')))).code).toBe('NOT_FOUND');
    expect((await errorOf(recomputeDeadlines({ db, complaintId: randomUUID(), reason: 'pause', policy, calendar, now: new Date() }))).code).toBe('NOT_FOUND');
    expect((await errorOf(pauseForAppraisal(clock(c.id, '2026-11-01T15:00:00+08:00')))).code).toBe('INVALID_INPUT'); // before acceptance
    await db.complaint.update({ where: { id: c.id }, data: { status: 'closed' } });
    expect((await errorOf(restartClockOnNewFacts(clock(c.id, '2026-11-04T15:00:00+08:00')))).code).toBe('INVALID_TRANSITION');
    expect(await db.complaintPause.count({ where: { complaintId: c.id } })).toBe(0);
  });

  it('two pauses at once: exactly one wins', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    const results = await Promise.allSettled([
      pauseForAppraisal(clock(c.id, '2026-11-04T15:00:00+08:00')),
      pauseForAppraisal(clock(c.id, '2026-11-04T15:00:00+08:00', staff.supervisor)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe('CONFLICT');
    expect(await db.complaintPause.count({ where: { complaintId: c.id } })).toBe(1);
    expect((await eventsOf(c.id)).filter((e) => e.type === 'clock.paused')).toHaveLength(1);
  });

  it('the database refuses overlapping pauses and a pause ending before it starts, whoever writes them', async () => {
    const c = await fileAt('2026-11-02T10:00:00+08:00');
    const base = { complaintId: c.id, reason: 'external_appraisal' as const, startedBy: staff.agent! };
    await db.complaintPause.create({ data: { ...base, startedAt: at('2026-11-04T10:00:00+08:00'), endedAt: at('2026-11-05T10:00:00+08:00'), endedBy: staff.agent! } });
    // Touching is fine: [5 Nov 10:00, open).
    await db.complaintPause.create({ data: { ...base, startedAt: at('2026-11-05T10:00:00+08:00') } });
    await expect(db.complaintPause.create({ data: { ...base, startedAt: at('2026-11-06T10:00:00+08:00') } })).rejects.toThrow(/already has a pause/);
    await expect(
      db.complaintPause.create({ data: { ...base, startedAt: at('2026-11-03T10:00:00+08:00'), endedAt: at('2026-11-04T12:00:00+08:00'), endedBy: staff.agent! } }),
    ).rejects.toThrow(/already has a pause/);
    await expect(
      db.complaintPause.create({ data: { ...base, startedAt: at('2026-11-02T12:00:00+08:00'), endedAt: at('2026-11-02T11:00:00+08:00'), endedBy: staff.agent! } }),
    ).rejects.toThrow(/complaint_pause_ends_after_start/);
    expect(await db.complaintPause.count({ where: { complaintId: c.id } })).toBe(2);
  });
});
