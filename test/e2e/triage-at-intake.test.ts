// Triage in the conversation: the tier is set when the complaint is confirmed, a level-1 or urgent
// complaint is acknowledged as such in the same reply as its number, and the responsible
// department's supervisor gets an alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { ChatSession, LocalConnector, fileZhComplaint, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp } from '../support/e2e';

let running: RunningApp;
let connector: LocalConnector;

beforeAll(async () => {
  running = await startApp();
  connector = await LocalConnector.start();
  await seedDemoData(running.app.db);
});
afterAll(async () => {
  await connector.close();
  await running.app.close();
});

function session() {
  return new ChatSession({ botUrl: running.botUrl, connector, userId: randomId('u'), conversationId: randomId('c') });
}

async function file(description: string, amount: string, phone = newZhComplaint().phone) {
  const chat = session();
  const complaint = { ...newZhComplaint(), description, amount, phone };
  const turns = await fileZhComplaint((text) => chat.say(text), complaint);
  const last = turnText(turns[turns.length - 1]!);
  const number = numberIn(last);
  const saved = await running.app.db.complaint.findUniqueOrThrow({
    where: { number },
    include: { events: { orderBy: { id: 'asc' } }, deadlines: true, alerts: { include: { recipientStaff: true } }, department: true },
  });
  return { last, saved };
}

describe('triage when a complaint is confirmed', () => {
  it('makes "已经请了律师" with a loss of 80万 level 1, acknowledges it as urgent in the same reply, and alerts the claims supervisor', async () => {
    const { last, saved } = await file('理赔被拒，我已经请了律师，准备起诉你们公司', '80万');
    expect(last).toContain('投诉编号：TS');
    expect(last).toContain('紧急投诉');
    const firstResponse = saved.deadlines.find((d) => d.kind === 'first_response');
    expect(firstResponse).toBeDefined();
    // Level 1: a person within 15 minutes, around the clock.
    expect(firstResponse!.dueAt.getTime() - saved.acceptedAt.getTime()).toBe(15 * 60_000);

    expect(saved).toMatchObject({ tier: 'L1', urgent: true });
    expect(saved.department?.code).toBe('CLAIMS');
    const triage = saved.events.find((e) => e.type === 'triage.decided');
    const rules = (triage?.payload as { reasons: { rule: string }[] }).reasons.map((r) => r.rule);
    expect(rules).toEqual(expect.arrayContaining(['l1.amount_above_l1', 'l1.legal_dispute']));
    expect(triage?.payload).toMatchObject({ policyVersion: '2026.2', analyzer: 'local' });

    // Every supervisor of the claims department (other test files add their own to the shared database).
    expect(saved.alerts.map((a) => a.recipientStaff?.employeeNo)).toContain('S2002');
    for (const a of saved.alerts) expect([a.kind, a.recipientRole]).toEqual(['triage.l1', 'supervisor']);
    expect(saved.events.map((e) => e.type)).toContain('alert.raised');
  });

  it('gives a calm complaint with a small loss level 3: no urgent line, no alert', async () => {
    const { last, saved } = await file('理赔材料交了两周还没有消息，请帮忙催一下', '3千块');
    expect(last).not.toContain('紧急');
    expect(last).not.toContain('重点投诉');
    expect(saved).toMatchObject({ tier: 'L3', urgent: false });
    expect(saved.alerts).toEqual([]);
  });

  it('marks a threat of self-harm urgent, points to emergency help, and alerts at once', async () => {
    const { last, saved } = await file('理赔一直不给钱，我真的不想活了', '没有');
    expect(saved.urgent).toBe(true);
    expect(['L1', 'L2']).toContain(saved.tier);
    expect(last).toContain('紧急投诉');
    expect(last).toContain('120');
    expect(saved.alerts.length).toBeGreaterThan(0);
    for (const a of saved.alerts) expect(a.kind).toBe(saved.tier === 'L1' ? 'triage.l1' : 'triage.urgent');
  });

  it('raises a repeat complaint (same complainant, same matter, within 30 days) one tier', async () => {
    const phone = newZhComplaint().phone;
    const first = await file('理赔材料交了两周还没有消息，请帮忙催一下', '3千块', phone);
    expect(first.saved.tier).toBe('L3');
    const second = await file('还是没有消息，上次投诉也没人理', '3千块', phone);
    expect(second.saved.tier).toBe('L2');
    const triage = second.saved.events.find((e) => e.type === 'triage.decided');
    expect(triage?.payload).toMatchObject({ repeatOf: first.saved.number });
    expect(second.last).toContain('重点投诉');
  });
});
