// A worker killed (SIGKILL) in the middle of the monthly report — produced and stored, the e-mail to the
// leadership group on its way (the mail relay it reached never answers). Another worker takes the job
// over once the dead one's lock lapses; the month's claim is still held, so the job is retried (it was
// completed as "busy", which left the month unmailed until the next day's check) and, once the claim's
// lease is over, sends the stored report: produced once, mailed once. Private database and queue.
import type { ChildProcess } from 'node:child_process';
import { spawnReadyWorker } from '../support/ready-worker';
import { waitUntil } from '../support/wait-until';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpStandIn, type SmtpStandIn } from '../support/smtp-stand-in';
import { TEST_REDIS, newQueueName, privateDatabase, type PrivateDatabase } from '../sla/sla-support';
import { Queue } from 'bullmq';

const queueName = newQueueName();
// Both workers' clocks run from 4 December 09:00 Beijing time: November's report is due.
const CLOCK_OFFSET_MS = Date.parse('2026-12-04T09:00:00+08:00') - Date.now();
let database: PrivateDatabase;
let smtp: SmtpStandIn;
let silentRelay: net.Server;
let silentRelayUrl: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  [database, smtp] = await Promise.all([privateDatabase(), startSmtpStandIn()]);
  // A mail relay that accepts the connection and never says a word: the sender waits on it.
  silentRelay = net.createServer(() => {});
  await new Promise<void>((resolve) => silentRelay.listen(0, '127.0.0.1', resolve));
  silentRelayUrl = `smtp://127.0.0.1:${(silentRelay.address() as net.AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  silentRelay?.close();
  await smtp?.close();
  const queue = new Queue(queueName, { connection: TEST_REDIS });
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await database?.drop();
});

function startWorker(smtpUrl: string): Promise<ChildProcess> {
  const { child, ready } = spawnReadyWorker('test/faults/support/report-worker-process.ts', {
    LOG_LEVEL: process.env.DEBUG_WORKER ? 'info' : 'silent',
    DATABASE_URL: database.url, REDIS_URL: TEST_REDIS.url, TEST_REPORTS_QUEUE: queueName, TEST_SMTP_URL: smtpUrl, TEST_CLOCK_OFFSET_MS: String(CLOCK_OFFSET_MS),
  }, { echoStdout: Boolean(process.env.DEBUG_WORKER) });
  workers.push(child);
  return ready;
}

const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000) => waitUntil(what, probe, ms);

const month = () => database.db.reportRun.findUnique({ where: { monthKey: '2026-11' }, select: { producedAt: true, emailedAt: true, claimedUntil: true, recipientCount: true } });

describe('a worker killed in the middle of the monthly report', () => {
  it('has the job run again by another worker: the report produced once and mailed once', async () => {
    const first = await startWorker(silentRelayUrl);
    const midJob = await until('the report produced and its mail under way', async () => {
      const row = await month();
      return row?.producedAt && !row.emailedAt && row.claimedUntil ? row : null;
    });
    // A second worker side by side (its relay answers); then the first one dies mid-send.
    await startWorker(smtp.url);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    const [mail] = await smtp.waitForMessages(1, 15_000);
    expect(mail!.envelopeTo).toContain('leadership.group@insurer.example');
    expect(mail!.subject).toContain('2026-11');
    // Recorded as mailed, and the claim let go.
    const done = await until('the month recorded as mailed', async () => {
      const row = await month();
      return row?.emailedAt && row.claimedUntil === null ? row : null;
    });
    // Produced by the first worker and not again; mailed by the second, once.
    expect(done.producedAt).toEqual(midJob.producedAt);
    expect(done.recipientCount).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1_500)); // a duplicate would show itself by now
    expect(smtp.messages.filter((m) => m.subject.includes('2026-11'))).toHaveLength(1);
  }, 40_000);
});
