// Forwarding steps the system completes itself: a supervisor acknowledging the intake alert meets
// "to the supervisor", so that deadline neither warns nor breaches afterwards.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { acknowledgeAlert } from '../../services/alerts/acknowledge-alert';
import { randomMobile, testDb, testDesk } from '../support/app';

const db = testDb();
beforeAll(() => seedDemoData(db));
afterAll(() => db.$disconnect());

describe('forwarding to the supervisor', () => {
  it('is met when the supervisor acknowledges the level-2 intake alert, once', async () => {
    const filed = await testDesk(db).fileComplaint({
      draft: { businessLine: 'insurance', type: 'claims_dispute', description: '理赔少赔了不少，请核实', name: '孙九', phone: randomMobile(), feedbackMethod: 'phone', claimedLossYuan: 80_000 },
      user: { channelId: 'test-forwarding', channelUserId: randomUUID() },
      locale: 'zh-CN',
      reference: { channelId: 'test-forwarding', serviceUrl: 'https://test.com', conversation: { id: randomUUID() } },
      consent: { noticeVersion: 'test' },
      submissionId: randomUUID(),
    });
    expect(filed.tier).toBe('L2');
    const alert = await db.alert.findFirstOrThrow({ where: { complaintId: filed.id, kind: 'triage.l2' } });
    const before = await db.complaintDeadline.findUniqueOrThrow({ where: { complaintId_kind: { complaintId: filed.id, kind: 'to_supervisor' } } });
    expect(before.metAt).toBeNull();

    await acknowledgeAlert({ db, alertId: alert.id, via: 'api', now: new Date() });
    await acknowledgeAlert({ db, alertId: alert.id, via: 'api', now: new Date() });

    const after = await db.complaintDeadline.findUniqueOrThrow({ where: { complaintId_kind: { complaintId: filed.id, kind: 'to_supervisor' } } });
    expect(after.metAt).not.toBeNull();
    const met = await db.complaintEvent.findMany({ where: { complaintId: filed.id, type: 'deadline.met' } });
    expect(met.map((e) => e.payload)).toEqual([expect.objectContaining({ kind: 'to_supervisor', late: false })]);
  });
});
