// The status check (查询投诉进度) on the real database: the filer sees details on the same channel,
// anyone else must give the last four digits of the phone on file; every look is an event.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import type { ChannelUser } from '../../services/complaint-desk';
import { createComplaint } from '../../services/complaints/create-complaint';
import { findComplaintStatus, verifyAndFindComplaintStatus } from '../../services/complaints/find-complaint-status';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { randomMobile, testCalendar, testDb, testDesk, TEST_PII_HASH_KEY, calmAnalysis } from '../support/app';

const db: Database = testDb(5);

afterAll(async () => {
  await db.$disconnect();
});

// Mon 28 Sep 2026 10:00 Shanghai: feedback due 13 Oct 18:00 (L3 window), statutory 14 Oct 00:00.
const ACCEPTED_AT = new Date('2026-09-28T10:00:00+08:00');
const FEEDBACK_DUE = new Date('2026-10-13T18:00:00+08:00');
const LOOKED_AT = new Date('2026-09-30T15:00:00+08:00');

const desk = testDesk(db, () => LOOKED_AT);

async function fileAs(user: ChannelUser) {
  const phone = randomMobile();
  const filed = await testDesk(db, () => ACCEPTED_AT).fileComplaint({
    draft: { businessLine: 'insurance', type: 'claims_dispute', description: '理赔迟迟未到账', name: '孙七', phone, feedbackMethod: 'phone' },
    user,
    locale: 'zh-CN',
    reference: { channelId: user.channelId, serviceUrl: 'https://chat.example.test/', conversation: { id: `conv-${randomUUID()}` }, user: { id: user.channelUserId ?? undefined } },
    consent: { noticeVersion: 'privacy-2026.1' },
    submissionId: randomUUID(),
  });
  return { ...filed, phone };
}

const someone = (channelId = 'webchat'): ChannelUser => ({ channelId, channelUserId: `user-${randomUUID()}` });

async function eventTypes(complaintId: string): Promise<string[]> {
  const events = await db.complaintEvent.findMany({ where: { complaintId }, orderBy: { id: 'asc' }, select: { type: true } });
  return events.map((e) => e.type);
}

describe('findComplaintStatus', () => {
  it('shows the filer, on the same channel, the status, the holder as a role and the next deadline', async () => {
    const filer = someone();
    const filed = await fileAs(filer);

    const lookup = await desk.findStatus(filed.number, filer);
    expect(lookup).toEqual({
      outcome: 'found',
      view: {
        number: filed.number,
        status: 'received',
        tier: 'L3',
        acceptedAt: ACCEPTED_AT,
        holderRole: 'intake',
        nextDeadline: { kind: 'feedback', dueAt: FEEDBACK_DUE },
        reopenCount: 0,
      },
    });

    const viewed = await db.complaintEvent.findFirstOrThrow({ where: { complaintId: filed.id, type: 'status.viewed' } });
    expect(viewed).toMatchObject({ actorType: 'customer', actorId: filer.channelUserId, channel: 'webchat', payload: { verifiedBy: 'same_channel_user' } });
    expect(viewed.occurredAt.toISOString()).toBe(LOOKED_AT.toISOString());
  });

  it('shows the current status after a change, and the holder only as a role', async () => {
    const filer = someone();
    const filed = await fileAs(filer);
    await desk.acknowledge(filed.id, filer);
    let lookup = await desk.findStatus(filed.number, filer);
    expect(lookup.outcome === 'found' && lookup.view.status).toBe('acknowledged');

    const staffName = `客服${randomUUID().slice(0, 6)}`;
    const agent = await db.staff.create({ data: { employeeNo: `E-${randomUUID()}`, displayName: staffName, role: 'agent' } });
    await db.complaint.update({ where: { id: filed.id }, data: { ownerStaffId: agent.id } });
    lookup = await desk.findStatus(filed.number, filer);
    expect(lookup.outcome === 'found' && lookup.view.holderRole).toBe('agent');
    expect(JSON.stringify(lookup)).not.toContain(staffName);
  });

  it('asks another user on the same channel, or the same user id on another channel, to verify', async () => {
    const filer = someone('webchat');
    const filed = await fileAs(filer);

    expect(await desk.findStatus(filed.number, someone('webchat'))).toEqual({ outcome: 'needs_verification', complaintId: filed.id });
    expect(await desk.findStatus(filed.number, { channelId: 'wechat', channelUserId: filer.channelUserId })).toEqual({
      outcome: 'needs_verification',
      complaintId: filed.id,
    });
    expect(await desk.findStatus(filed.number, { channelId: 'webchat', channelUserId: null })).toEqual({ outcome: 'needs_verification', complaintId: filed.id });
    // Nothing was shown, so nothing was recorded as viewed.
    expect(await eventTypes(filed.id)).not.toContain('status.viewed');
  });

  it('never treats two users without a channel user id as the same person', async () => {
    const filed = await createComplaint({
      db,
      analysis: calmAnalysis(),
      draft: { businessLine: 'securities', type: 'other', description: '账户被冻结', name: '吴八', phone: randomMobile(), feedbackMethod: 'sms' },
      source: { channelId: 'hotline-desk', channelUserId: null, locale: 'zh-CN' },
      actor: { type: 'staff', id: 'staff-1' },
      policy: DEFAULT_POLICY,
      calendar: testCalendar(),
      piiHashKey: TEST_PII_HASH_KEY,
      now: ACCEPTED_AT,
    });
    const lookup = await findComplaintStatus({ db, number: filed.number, requester: { channelId: 'hotline-desk', channelUserId: null }, now: LOOKED_AT });
    expect(lookup).toEqual({ outcome: 'needs_verification', complaintId: filed.id });
  });

  it('reports an unknown number as not_found', async () => {
    expect(await desk.findStatus('TS20991231-999999', someone())).toEqual({ outcome: 'not_found' });
  });
});

describe('verifyAndFindComplaintStatus', () => {
  it('refuses wrong last four digits and records status.verification_failed', async () => {
    const filed = await fileAs(someone());
    const stranger = someone('wechat');
    const wrong = filed.phone.endsWith('0000') ? '1111' : '0000';

    expect(await desk.verifyStatus(filed.id, wrong, stranger)).toBeNull();
    expect(await desk.verifyStatus(filed.id, filed.phone.slice(-5), stranger)).toBeNull(); // five digits are not four
    expect(await desk.verifyStatus(filed.id, '', stranger)).toBeNull();

    const failures = await db.complaintEvent.findMany({ where: { complaintId: filed.id, type: 'status.verification_failed' }, orderBy: { id: 'asc' } });
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({ actorType: 'customer', actorId: stranger.channelUserId, channel: 'wechat' });
    expect(failures[0]!.occurredAt.toISOString()).toBe(LOOKED_AT.toISOString());
    expect(JSON.stringify(failures.map((f) => f.payload))).not.toContain(wrong);
    expect(await eventTypes(filed.id)).not.toContain('status.viewed');
  });

  it('shows the status for the right last four digits (also typed full-width) and records the view', async () => {
    const filed = await fileAs(someone());
    const stranger = someone('wechat');

    const view = await desk.verifyStatus(filed.id, filed.phone.slice(-4), stranger);
    expect(view).toEqual({
      number: filed.number,
      status: 'received',
      tier: 'L3',
      acceptedAt: ACCEPTED_AT,
      holderRole: 'intake',
      nextDeadline: { kind: 'feedback', dueAt: FEEDBACK_DUE },
      reopenCount: 0,
    });
    const fullWidth = filed.phone.slice(-4).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect(await desk.verifyStatus(filed.id, ` ${fullWidth} `, stranger)).toEqual(view);

    const viewed = await db.complaintEvent.findMany({ where: { complaintId: filed.id, type: 'status.viewed' } });
    expect(viewed).toHaveLength(2);
    expect(viewed[0]).toMatchObject({ actorId: stranger.channelUserId, channel: 'wechat', payload: { verifiedBy: 'phone_last_four' } });
    expect(await eventTypes(filed.id)).not.toContain('status.verification_failed');
  });

  it('returns null for an unknown complaint id', async () => {
    expect(await verifyAndFindComplaintStatus({ db, complaintId: randomUUID(), phoneLastFour: '1234', requester: someone(), now: LOOKED_AT })).toBeNull();
  });
});
