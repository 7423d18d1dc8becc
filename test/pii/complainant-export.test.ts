// PIPL access request: GET /api/v1/complainants/export returns everything held about one complainant
// (decrypted contact data, complaints, events, transcript, surveys, file metadata) and nothing of
// anyone else; admin and supervision only; the export is recorded as an event with no values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { appendTranscriptMessage } from '../../services/transcripts/transcript-store';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { startApp, type RunningApp } from '../support/e2e';
import { bearerFor, createStaff, type TestStaff } from '../console/console-support';
import { fileFor, linkTranscript, newPerson } from './pii-support';

let running: RunningApp;
const staff: Record<'admin' | 'supervision' | 'agent', TestStaff> = {} as never;
const alice = newPerson();
const bob = newPerson();
const filed: { alice: string[]; bob: string } = { alice: [], bob: '' };

beforeAll(async () => {
  running = await startApp();
  const db = running.app.db;
  await seedDemoData(db);
  staff.admin = await createStaff(db, 'admin');
  staff.supervision = await createStaff(db, 'supervision', { department: 'SUPERVISION' });
  staff.agent = await createStaff(db, 'agent', { department: 'CLAIMS' });
  const first = await fileFor(db, alice);
  const second = await fileFor(db, { ...alice, referenceNumber: `Q${alice.referenceNumber}` }, { businessLine: 'securities' });
  filed.alice = [first.number, second.number];
  filed.bob = (await fileFor(db, bob)).number;
  const key = { channelId: 'test-export', conversationId: `conv-${randomUUID()}` };
  await appendTranscriptMessage(db, { ...key, direction: 'inbound', actorType: 'customer', text: '理赔三个月还没到账', occurredAt: new Date() });
  await linkTranscript(db, { ...key, complaintId: first.id });
}, 60_000);
afterAll(async () => {
  await running?.app.close();
});

async function exportAs(who: TestStaff | null, query: string) {
  const res = await fetch(`${running.baseUrl}/api/v1/complainants/export?${query}`, { headers: who ? { authorization: bearerFor(who.id) } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('GET /api/v1/complainants/export', () => {
  it('gives an administrator everything about the complainant found by phone, and nothing of another', async () => {
    const { status, body } = await exportAs(staff.admin, `phone=${alice.phone}`);
    expect(status).toBe(200);
    expect(body.complainant).toMatchObject({ name: alice.name, phone: alice.phone, email: alice.email, anonymisedAt: null });
    expect(body.complaints.map((c: any) => c.number)).toEqual(filed.alice);
    const [first, second] = body.complaints;
    expect(first).toMatchObject({ referenceNumber: alice.referenceNumber, businessLine: 'insurance', claimedLossYuan: 8888.5 });
    expect(second).toMatchObject({ referenceNumber: `Q${alice.referenceNumber}`, businessLine: 'securities' });
    expect(first.description).toContain(alice.phone);
    expect(first.events.map((e: any) => e.type)).toContain('complaint.received');
    expect(first.transcript.map((m: any) => m.text)).toEqual(['理赔三个月还没到账']);
    expect(first).toHaveProperty('surveys');
    expect(first).toHaveProperty('files');
    const text = JSON.stringify(body);
    for (const value of [bob.name, bob.phone, bob.email, bob.referenceNumber, filed.bob]) expect(text).not.toContain(value);
    expect(text).not.toMatch(/enc:v1:/);
  });

  it('finds the same person by complaint number and by e-mail address', async () => {
    const byNumber = await exportAs(staff.supervision, `complaint=${filed.alice[1]}`);
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.complaints.map((c: any) => c.number)).toEqual(filed.alice);
    const byEmail = await exportAs(staff.admin, `email=${encodeURIComponent(alice.email.toUpperCase())}`);
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.complainant.phone).toBe(alice.phone);
  });

  it('records each export on the complaints: who and how, never the values', async () => {
    const events = await running.app.db.complaintEvent.findMany({ where: { complaint: { number: filed.alice[0] }, type: 'complainant.exported' }, orderBy: { id: 'asc' } });
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events[0]).toMatchObject({ actorType: 'staff', actorId: staff.admin.id, payload: { lookupBy: 'phone', complaints: 2 } });
    expect(events.map((e) => e.actorId)).toContain(staff.supervision.id);
    expect(JSON.stringify(events.map((e) => e.payload))).not.toMatch(new RegExp(`${alice.phone}|${alice.email}|${alice.name}`));
    expect(await running.app.db.complaintEvent.count({ where: { complaint: { number: filed.bob }, type: 'complainant.exported' } })).toBe(0);
  });

  it('refuses other roles and anonymous callers, and answers bad or unknown look-ups clearly', async () => {
    expect((await exportAs(null, `phone=${alice.phone}`)).status).toBe(401);
    expect((await exportAs(staff.agent, `phone=${alice.phone}`)).status).toBe(403);
    expect((await exportAs(staff.admin, '')).status).toBe(400);
    expect((await exportAs(staff.admin, `phone=${alice.phone}&email=${alice.email}`)).status).toBe(400);
    expect((await exportAs(staff.admin, 'phone=12345')).status).toBe(400);
    expect((await exportAs(staff.admin, 'phone=13700000000')).status).toBe(404);
    expect((await exportAs(staff.admin, 'complaint=TS20261128-999999')).status).toBe(404);
  });
});
