// acknowledgeAlert: open → acknowledged once, with one event (who, how, when), however often and
// however concurrently it is called; by alert id (API, e-mail link) or by complaint number (chat).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeAlert } from '../../services/alerts/acknowledge-alert';
import { findStaffByChat } from '../../services/alerts/delivery/find-staff-by-chat';
import { saveStaffContact } from '../../services/alerts/delivery/save-staff-contact';
import { AppError } from '../../services/errors';
import type { Database } from '../../services/db/client';
import { alertTestDb, createAlertScenario, eventsOf } from '../support/alert-fixtures';

const NOW = new Date('2026-11-28T06:05:00Z');

describe('acknowledgeAlert', () => {
  let db: Database;
  beforeAll(() => {
    db = alertTestDb(10);
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it('acknowledges once; repeating it changes nothing and adds no event', async () => {
    const s = await createAlertScenario(db);

    const first = await acknowledgeAlert({ db, alertId: s.alertId, via: 'email_link', now: NOW });
    const second = await acknowledgeAlert({ db, alertId: s.alertId, via: 'email_link', now: new Date(NOW.getTime() + 60_000) });

    expect(first).toEqual({ acknowledged: [s.alertId], alreadyAcknowledged: [] });
    expect(second).toEqual({ acknowledged: [], alreadyAcknowledged: [s.alertId] });
    expect(await db.alert.findUniqueOrThrow({ where: { id: s.alertId } })).toMatchObject({ status: 'acknowledged', acknowledgedAt: NOW });
    const events = await eventsOf(db, s.complaintId, 'alert.acknowledged');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorType: 'staff', actorId: s.staffId, channel: 'email_link', occurredAt: NOW,
      payload: { alertId: s.alertId, kind: 'triage.l1', via: 'email_link', staffId: s.staffId, acknowledgedAt: NOW.toISOString() },
    });
  });

  it('acknowledges once under concurrent calls', async () => {
    const s = await createAlertScenario(db);

    const results = await Promise.all(Array.from({ length: 6 }, () => acknowledgeAlert({ db, alertId: s.alertId, staffId: s.staffId, via: 'api', now: NOW })));

    expect(results.flatMap((r) => r.acknowledged)).toEqual([s.alertId]);
    expect(await eventsOf(db, s.complaintId, 'alert.acknowledged')).toHaveLength(1);
  });

  it('acknowledges by complaint number for the staff member who replied in chat', async () => {
    const s = await createAlertScenario(db);
    const conversation = { channelId: 'msteams', conversationId: `a:conv-${s.staffId}`, userId: `29:user-${s.staffId}` };
    await saveStaffContact({
      db, staffId: s.staffId,
      contact: { kind: 'chat', reference: { channelId: 'msteams', serviceUrl: 'https://smba.example.net/', conversation: { id: conversation.conversationId }, user: { id: conversation.userId, name: '王主管' } } },
    });
    // Someone else in the same conversation is nobody we know.
    expect(await findStaffByChat({ db, ...conversation, userId: '29:someone-else' })).toBeNull();
    const staffId = await findStaffByChat({ db, ...conversation });
    expect(staffId).toBe(s.staffId);
    const typed = s.complaintNumber.toLowerCase().replace('-', ' ');

    const result = await acknowledgeAlert({ db, complaintNumber: typed, staffId: staffId!, via: 'chat', now: NOW });

    expect(result.acknowledged).toEqual([s.alertId]);
    const [event] = await eventsOf(db, s.complaintId, 'alert.acknowledged');
    expect(event).toMatchObject({ actorId: s.staffId, channel: 'chat', payload: { via: 'chat' } });
    expect((await acknowledgeAlert({ db, complaintNumber: s.complaintNumber, staffId: s.staffId, via: 'chat', now: NOW })).acknowledged).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown alert, someone else\'s complaint, or garbage', async () => {
    const s = await createAlertScenario(db);
    const other = await createAlertScenario(db);
    const notFound = { code: 'NOT_FOUND' };
    await expect(acknowledgeAlert({ db, alertId: '00000000-0000-4000-8000-000000000000', via: 'api', now: NOW })).rejects.toMatchObject(notFound);
    await expect(acknowledgeAlert({ db, alertId: 'not-a-uuid', via: 'api', now: NOW })).rejects.toBeInstanceOf(AppError);
    await expect(acknowledgeAlert({ db, complaintNumber: s.complaintNumber, staffId: other.staffId, via: 'chat', now: NOW })).rejects.toMatchObject(notFound);
    await expect(acknowledgeAlert({ db, complaintNumber: 'TS123', staffId: s.staffId, via: 'chat', now: NOW })).rejects.toMatchObject(notFound);
    expect((await db.alert.findUniqueOrThrow({ where: { id: s.alertId } })).status).toBe('open');
  });
});
