// The sweep that finds alerts nobody delivered: raised just before a crash, a sender that died
// mid-send, a path that failed for a reason a retry can fix. Each case is one alert row in the real
// database; the sweep is asked about it at a chosen time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { findUndeliveredAlerts } from '../../services/alerts/delivery/sweep-undelivered';
import { alertTestDb, createAlertScenario } from '../support/alert-fixtures';

let db: Database;
beforeAll(() => {
  db = alertTestDb();
});
afterAll(async () => {
  await db?.$disconnect();
});

const MINUTE = 60_000;

/** An open alert raised `ageMs` ago (by the real clock, which row timestamps also use), to a supervisor with an e-mail path. */
async function alertRaised(ageMs: number, contact = true): Promise<string> {
  const s = await createAlertScenario(db);
  await db.alert.update({ where: { id: s.alertId }, data: { createdAt: new Date(Date.now() - ageMs) } });
  if (contact) await db.staffContact.create({ data: { staffId: s.staffId, kind: 'email', address: `sup-${s.alertId}@example.com` } });
  return s.alertId;
}

async function swept(alertId: string, now = new Date()): Promise<boolean> {
  return (await findUndeliveredAlerts({ db, now, limit: 100_000 })).includes(alertId);
}

describe('findUndeliveredAlerts', () => {
  it('finds an alert raised before a crash (no delivery row at all) once the grace period is over', async () => {
    const id = await alertRaised(5 * MINUTE);
    expect(await swept(id)).toBe(true);
    const young = await alertRaised(5_000);
    expect(await swept(young)).toBe(false);
  });

  it('leaves alone an alert to someone who cannot be reached, until they can', async () => {
    const id = await alertRaised(5 * MINUTE, false);
    expect(await swept(id)).toBe(false); // no path: it would come back at every sweep
    const alert = await db.alert.findUniqueOrThrow({ where: { id }, select: { recipientStaffId: true } });
    const contact = await db.staffContact.create({ data: { staffId: alert.recipientStaffId!, kind: 'email', address: `late-${id}@example.com`, enabled: false } });
    expect(await swept(id)).toBe(false); // a path turned off is no path
    await db.staffContact.update({ where: { id: contact.id }, data: { enabled: true } });
    expect(await swept(id)).toBe(true);
    await db.staff.update({ where: { id: alert.recipientStaffId! }, data: { active: false } });
    expect(await swept(id)).toBe(false); // left the company
  });

  it('leaves alone an alert delivered by every path tried', async () => {
    const id = await alertRaised(5 * MINUTE);
    await db.alertDelivery.create({ data: { alertId: id, kind: 'chat', status: 'sent', attempts: 1, sentAt: new Date() } });
    await db.alertDelivery.create({ data: { alertId: id, kind: 'email', status: 'sent', attempts: 1, sentAt: new Date() } });
    expect(await swept(id)).toBe(false);
  });

  it('retries the one path that failed although the others got through', async () => {
    const id = await alertRaised(5 * MINUTE);
    await db.alertDelivery.create({ data: { alertId: id, kind: 'chat', status: 'sent', attempts: 1, sentAt: new Date() } });
    await db.alertDelivery.create({ data: { alertId: id, kind: 'webhook', status: 'failed', attempts: 3 } });
    expect(await swept(id, new Date(Date.now() + 2 * MINUTE))).toBe(true);
  });

  it('retries a path that failed for a passing reason, but not straight away', async () => {
    const id = await alertRaised(5 * MINUTE);
    await db.alertDelivery.create({ data: { alertId: id, kind: 'webhook', status: 'failed', attempts: 3, lastError: 'HTTP 503' } });
    expect(await swept(id)).toBe(false); // failed just now
    expect(await swept(id, new Date(Date.now() + 2 * MINUTE))).toBe(true);
  });

  it('does not retry a path that failed for good (a 4xx, a bad address)', async () => {
    const id = await alertRaised(5 * MINUTE);
    await db.alertDelivery.create({ data: { alertId: id, kind: 'webhook', status: 'failed', attempts: 1, permanent: true, lastError: 'HTTP 404' } });
    expect(await swept(id, new Date(Date.now() + 10 * MINUTE))).toBe(false);
  });

  it('gives up on a path after ten tries', async () => {
    const id = await alertRaised(60 * MINUTE);
    await db.alertDelivery.create({ data: { alertId: id, kind: 'email', status: 'failed', attempts: 10 } });
    expect(await swept(id, new Date(Date.now() + 10 * MINUTE))).toBe(false);
  });

  it('takes over a send whose sender died (its lease ran out), not one still under way', async () => {
    const dead = await alertRaised(5 * MINUTE);
    await db.alertDelivery.create({ data: { alertId: dead, kind: 'chat', status: 'pending', claimedUntil: new Date(Date.now() - 1000) } });
    expect(await swept(dead)).toBe(true);
    const busy = await alertRaised(5 * MINUTE);
    await db.alertDelivery.create({ data: { alertId: busy, kind: 'chat', status: 'pending', claimedUntil: new Date(Date.now() + MINUTE) } });
    expect(await swept(busy)).toBe(false);
  });

  it('leaves acknowledged alerts alone', async () => {
    const id = await alertRaised(5 * MINUTE);
    await db.alert.update({ where: { id }, data: { status: 'acknowledged', acknowledgedAt: new Date() } });
    expect(await swept(id)).toBe(false);
  });
});
