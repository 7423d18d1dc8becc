// Redis goes away (the app reaches it through a proxy the test cuts; the shared server keeps running)
// and comes back having lost the SLA clock's data (the test obliterates the private queue meanwhile,
// as a Redis restarted without persistence would). Customers still file complaints in chat — saved in
// PostgreSQL and acknowledged with their number, quickly, without an apology — and when Redis returns
// the SLA runtime puts its reconcile scheduler back and reconciles at once: every deadline of the
// complaint filed during the outage has its timers, none lost. Private database and queue.
import { waitUntil } from '../support/wait-until';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE_JOB_PREFIX, RECONCILE_SCHEDULER_ID, deadlineJobId } from '../../services/sla/sla-jobs';
import { ChatSession, LocalConnector, fileZhComplaint, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp } from '../support/e2e';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS, newQueueName, obliterateQueue, privateDatabase, type PrivateDatabase } from '../sla/sla-support';

const queueName = newQueueName();
let database: PrivateDatabase;
let proxy: TcpProxy;
let running: RunningApp;
let connector: LocalConnector;
let inspector: Queue;

beforeAll(async () => {
  [database, proxy, connector] = await Promise.all([privateDatabase(), startTcpProxy({ targetPort: Number(new URL(TEST_REDIS.url).port || 6379) }), LocalConnector.start()]);
  inspector = new Queue(queueName, { connection: TEST_REDIS });
  running = await startApp(
    // One proxy hop trusted: the customer's turns come "from" a public address, so the rate limits apply.
    { DATABASE_URL: database.url, REDIS_URL: proxy.urlFor(TEST_REDIS.url), SLA_MODE: 'in-process', DIRECTLINE_TRUSTED_PROXY_HOPS: '1' },
    { slaQueueName: queueName },
  );
  await running.app.startBackground();
  await running.app.background.sla!.firstReconcile;
}, 60_000);

afterAll(async () => {
  proxy?.restore();
  await running?.app.close();
  await Promise.allSettled([connector?.close(), proxy?.close(), inspector?.close()]);
  await obliterateQueue(queueName);
  await database?.drop();
});

/** A customer behind the company's proxy (X-Forwarded-For): not loopback, so /api/messages budgets them. */
class CustomerFromOutside extends ChatSession {
  override post(rawBody: unknown, opts: { headers?: Record<string, string> } = {}) {
    return super.post(rawBody, { headers: { 'x-forwarded-for': '203.0.113.7', ...opts.headers } });
  }
}

const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 10_000) => waitUntil(what, probe, ms);

describe('Redis down', () => {
  it('still takes complaints in chat, and schedules their timers when Redis returns without its data', async () => {
    expect((await inspector.getJobSchedulers()).map((s) => s.key)).toContain(RECONCILE_SCHEDULER_ID);
    proxy.cut();

    const customer = new CustomerFromOutside({ botUrl: running.botUrl, connector, userId: randomId('u'), conversationId: randomId('c') });
    const slowest = { ms: 0 };
    const turns = await fileZhComplaint(async (text) => {
      const started = Date.now();
      const replies = await customer.say(text);
      if (text !== '确认提交') slowest.ms = Math.max(slowest.ms, Date.now() - started);
      return replies;
    }, newZhComplaint());
    const all = turns.map(turnText).join('\n');
    expect(all).not.toMatch(/系统出现了问题|something went wrong/);
    const number = numberIn(turnText(turns[turns.length - 1]!));
    // Nothing waits on Redis — not the rate limits (they fail open), not the transcript notifications —
    // so no turn hangs on the lost connection (filing itself, with triage, takes longer).
    expect(slowest.ms).toBeLessThan(2_000);

    const complaint = await database.db.complaint.findUniqueOrThrow({ where: { number }, select: { id: true, deadlines: { where: { metAt: null, breachedAt: null }, select: { id: true } } } });
    expect(complaint.deadlines.length).toBeGreaterThan(0);
    // Redis "restarts" without its data: timers, the reconcile scheduler and the last-reconcile marker gone.
    await obliterateQueue(queueName);
    expect(await inspector.getJobSchedulers()).toHaveLength(0);

    proxy.restore();
    const breachTimers = complaint.deadlines.map((d) => deadlineJobId(d.id, 'breach'));
    await until('the timers of every deadline of the complaint filed while Redis was down', async () => {
      const jobs = await inspector.getJobs(['delayed', 'waiting', 'prioritized', 'active', 'completed'], 0, 1000);
      const ids = new Set(jobs.filter((j) => j?.id?.startsWith(DEADLINE_JOB_PREFIX)).map((j) => j.id));
      return breachTimers.every((id) => ids.has(id));
    });
    // And the reconcile keeps running on its schedule afterwards.
    expect((await inspector.getJobSchedulers()).map((s) => s.key)).toContain(RECONCILE_SCHEDULER_ID);
  }, 30_000);
});
