// Issue 4's promise in one run: a level-1 complaint filed in chat that nobody acknowledges alerts the
// claims supervisor at once and the leadership group when the (shortened) window runs out — each by
// chat, e-mail and signed webhook — although the worker delivering the leadership alert is killed
// with SIGKILL in mid-send. Another worker picks up: every path arrives, no alert is raised twice,
// and the paths that had gone out before the crash are not sent again.
//
// The bot runs in this process with SLA_MODE=schedule-only (it files, schedules and delivers the
// intake alert); the SLA workers are separate processes (test/support/sla-worker-process.ts: the code
// of `npm run worker` with the L1 climb at LADDER_SECONDS). Private database and queue.
import type { ChildProcess } from 'node:child_process';
import { spawnReadyWorker } from '../support/ready-worker';
import { waitUntil } from '../support/wait-until';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveStaffContact } from '../../services/alerts/delivery/save-staff-contact';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { ChatSession, LocalConnector, fileZhComplaint, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp } from '../support/e2e';
import { startSmtpStandIn, type SmtpStandIn } from '../support/smtp-stand-in';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { newQueueName, obliterateQueue, privateDatabase, type PrivateDatabase } from '../sla/sla-support';

const LADDER_SECONDS = 6;
const queueName = newQueueName();
let database: PrivateDatabase;
let running: RunningApp;
let connector: LocalConnector;
let smtp: SmtpStandIn;
let supervisorHook: WebhookReceiver;
let leadershipHook: WebhookReceiver;
const workers: ChildProcess[] = [];
const chats = { supervisor: randomId('teams-sup'), leadership: randomId('teams-lg') };
const mail = { supervisor: 'claims.supervisor@insurer.example', leadership: 'leadership.group@insurer.example' };
let env: Record<string, string>;

beforeAll(async () => {
  database = await privateDatabase();
  [connector, smtp, supervisorHook, leadershipHook] = await Promise.all([
    LocalConnector.start(), startSmtpStandIn(), startWebhookReceiver(),
    // The leadership group's robot hangs on the first request: the first worker dies waiting for it.
    startWebhookReceiver({ hangFirst: 1 }),
  ]);
  const db = database.db;
  const staff = async (employeeNo: string) => (await db.staff.findUniqueOrThrow({ where: { employeeNo } })).id;
  const reference = (conversationId: string) => ({
    channelId: 'msteams', serviceUrl: connector.serviceUrl, conversation: { id: conversationId }, bot: { id: 'bot' }, user: { id: `${conversationId}-user` },
  });
  for (const [who, employeeNo, hook] of [['supervisor', 'S2002', supervisorHook], ['leadership', 'L3001', leadershipHook]] as const) {
    const id = await staff(employeeNo);
    await saveStaffContact({ db, staffId: id, contact: { kind: 'chat', reference: reference(chats[who]) } });
    await saveStaffContact({ db, staffId: id, contact: { kind: 'email', address: mail[who] } });
    await saveStaffContact({ db, staffId: id, contact: { kind: 'webhook', url: hook.url } });
  }
  env = {
    DATABASE_URL: database.url, SMTP_URL: smtp.url, ALERT_MAIL_FROM: 'alerts@insurer.example',
    // A sender that dies holds its path for 3 s; the robot's hang must outlast the first worker.
    ALERT_DELIVERY_LEASE_SECONDS: '3', ALERT_WEBHOOK_TIMEOUT_MS: '60000', ALERT_WEBHOOK_ATTEMPTS: '1',
  };
  const ladder = { ...DEFAULT_POLICY.alertLadder, l1: { ...DEFAULT_POLICY.alertLadder.l1, leadershipAfterMinutes: LADDER_SECONDS / 60 } };
  running = await startApp({ ...env, SLA_MODE: 'schedule-only' }, { slaQueueName: queueName, policy: { ...DEFAULT_POLICY, alertLadder: ladder } });
  await running.app.startBackground();
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await running?.app.close();
  await Promise.allSettled([connector?.close(), smtp?.close(), supervisorHook?.close(), leadershipHook?.close()]);
  await obliterateQueue(queueName);
  await database?.drop();
});

function startWorker(): Promise<ChildProcess> {
  const { child, ready } = spawnReadyWorker('test/support/sla-worker-process.ts', { LOG_LEVEL: 'silent', ...env, TEST_SLA_QUEUE: queueName, TEST_LADDER_SECONDS: String(LADDER_SECONDS) });
  workers.push(child);
  return ready;
}

const until = <T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 30_000) => waitUntil(what, probe, ms);

const chatMessages = (conversationId: string, number: string) => connector.activities(conversationId).filter((a) => (a.text ?? '').includes(number));
const mailsTo = (address: string, number: string) => smtp.messages.filter((m) => m.envelopeTo.includes(address) && `${m.subject}\n${m.text}`.includes(number));
const hooksAbout = (hook: WebhookReceiver, number: string) => hook.requests.filter((r) => r.body.includes(number));

describe('an unanswered level-1 complaint climbs the ladder through a worker crash', () => {
  it('tells the supervisor at once and the leadership group on time, by chat, e-mail and webhook, each once', async () => {
    const customer = new ChatSession({ botUrl: running.botUrl, connector, userId: randomId('u'), conversationId: randomId('c') });
    const turns = await fileZhComplaint((text) => customer.say(text), { ...newZhComplaint(), description: '拒赔理由不成立，我已经请了律师准备起诉', amount: '80万' });
    const number = numberIn(turnText(turns[turns.length - 1]!));
    const filedAt = Date.now();
    const complaint = await database.db.complaint.findUniqueOrThrow({ where: { number } });
    expect(complaint.tier).toBe('L1');

    // At once: the supervisor, on all three paths, before any worker runs.
    await until('the supervisor on every path', () =>
      chatMessages(chats.supervisor, number).length === 1 && mailsTo(mail.supervisor, number).length === 1 && hooksAbout(supervisorHook, number).length === 1);
    expect(Date.now() - filedAt).toBeLessThan(LADDER_SECONDS * 1000);
    expect(chatMessages(chats.leadership, number)).toHaveLength(0);

    // The first worker fires the climb, sends chat and e-mail, and dies while the robot hangs.
    const first = await startWorker();
    await until('the leadership robot to be called', () => hooksAbout(leadershipHook, number).length === 1);
    await until('chat and e-mail to the leadership group recorded as sent', async () => {
      const rows = await database.db.alertDelivery.findMany({ where: { alert: { complaintId: complaint.id, recipientRole: 'leadership' }, status: 'sent' } });
      return rows.length === 2;
    });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const climbedAt = hooksAbout(leadershipHook, number)[0]!.receivedAt;
    // Due LADDER_SECONDS after acceptance (the complaint's own time, not when the reply reached the test).
    expect(climbedAt - complaint.acceptedAt.getTime()).toBeGreaterThanOrEqual(LADDER_SECONDS * 1000 - 1000);

    // A second worker takes over the path the first one died on.
    await startWorker();
    await until('the leadership webhook again', () => hooksAbout(leadershipHook, number).length >= 2, 30_000);
    await until('leadership chat and e-mail', () => chatMessages(chats.leadership, number).length >= 1 && mailsTo(mail.leadership, number).length >= 1);
    // Let any duplicate show itself: a few more sweeps and reconciles.
    await new Promise((r) => setTimeout(r, 5_000));

    expect(chatMessages(chats.supervisor, number)).toHaveLength(1);
    expect(mailsTo(mail.supervisor, number)).toHaveLength(1);
    expect(hooksAbout(supervisorHook, number)).toHaveLength(1);
    expect(chatMessages(chats.leadership, number)).toHaveLength(1);
    expect(mailsTo(mail.leadership, number)).toHaveLength(1);
    // The request the dead worker was waiting on, and the one that got through — with the same
    // X-Alert-Id, so a robot can drop the repeat.
    const leadershipHooks = hooksAbout(leadershipHook, number);
    expect(leadershipHooks).toHaveLength(2);
    expect(leadershipHooks[0]!.headers['x-alert-id']).toBe(leadershipHooks[1]!.headers['x-alert-id']);

    const alerts = await database.db.alert.findMany({ where: { complaintId: complaint.id }, include: { deliveries: true } });
    expect(alerts.map((a) => a.recipientRole).sort()).toEqual(['leadership', 'supervisor']);
    for (const alert of alerts) {
      expect(alert.deliveries.map((d) => [d.kind, d.status]).sort()).toEqual([['chat', 'sent'], ['email', 'sent'], ['webhook', 'sent']]);
    }
    const raised = await database.db.complaintEvent.findMany({ where: { complaintId: complaint.id, type: 'alert.raised' } });
    expect(raised).toHaveLength(2);
    const forwarded = await database.db.complaintDeadline.findFirstOrThrow({ where: { complaintId: complaint.id, kind: 'forward_to_leadership' } });
    expect(forwarded.metAt).not.toBeNull();
  }, 180_000);
});
