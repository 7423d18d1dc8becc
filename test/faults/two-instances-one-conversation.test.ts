// Two bot instances behind a load balancer, one customer: each of the customer's messages goes to the
// other instance while the one before is still being answered. The conversation's turn lock
// (services/turn-lock) makes the second turn wait for the first and read what it saved, so every
// answer is the one a single instance gives, nobody gets an apology, and the complaint is filed once
// with every field. Instance A reaches PostgreSQL through a proxy that adds latency, so its turns are
// slow enough for B's to arrive in the middle of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { LOCK_NAMESPACE, lockNumberOf } from '../../services/turn-lock/turn-lock';
import { testDatabaseUrl } from '../support/database';
import { testDb } from '../support/app';
import { ChatSession, LocalConnector, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp, type ZhComplaint } from '../support/e2e';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const APOLOGY = /系统出现了问题|something went wrong/;
let proxy: TcpProxy;
let slow: RunningApp;
let fast: RunningApp;
let connector: LocalConnector;
const db = testDb(2);

beforeAll(async () => {
  proxy = await startTcpProxy({ targetPort: Number(new URL(testDatabaseUrl()).port || 5432), delayMs: 5 });
  connector = await LocalConnector.start();
  [slow, fast] = await Promise.all([startApp({ DATABASE_URL: proxy.urlFor(testDatabaseUrl()) }), startApp()]);
});

afterAll(async () => {
  await Promise.allSettled([slow?.app.close(), fast?.app.close()]);
  await Promise.allSettled([connector?.close(), proxy?.close(), db.$disconnect()]);
});

const answersOf = (c: ZhComplaint) => ['我要投诉', '同意', '保险', '理赔纠纷', c.description, '跳过', c.referenceNumber, c.amount ?? '8万', c.name, c.phone.typed, '跳过', '电话', '确认提交'];

/** A reply with what differs between two customers (their data, the complaint number) taken out. */
function normalised(replies: Partial<Activity>[], c: ZhComplaint): string {
  let text = turnText(replies);
  for (const value of [c.description, c.name, c.phone.typed, c.phone.digits, c.phone.digits.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2')]) text = text.split(value).join('<value>');
  return text.replace(/TS\d{8}-\d{6}/g, '<number>');
}

/** Whether the conversation's turn lock is held (granted) by some session right now. */
async function lockHeld(conversationKey: string): Promise<boolean> {
  const objid = lockNumberOf(conversationKey) >>> 0; // pg_locks shows the int4 as an unsigned oid
  const rows = await db.$queryRaw<{ granted: boolean }[]>`
    SELECT granted FROM pg_locks WHERE locktype = 'advisory' AND classid::text = ${String(LOCK_NAMESPACE)} AND objid::text = ${String(objid)} AND objsubid = 2`;
  return rows.some((r) => r.granted);
}

const say = (session: ChatSession, text: string) => session.say(text, { deliveryMode: 'expectReplies' });

describe('two bot instances on one conversation', () => {
  it('answers two messages sent at once to different instances in order, with no apology and no lost state', async () => {
    // What one instance answers, turn by turn, when nothing races.
    const alone = newZhComplaint();
    const aloneSession = new ChatSession({ botUrl: fast.botUrl, connector, userId: randomId('u'), conversationId: randomId('c') });
    const expected: string[] = [];
    for (const answer of answersOf(alone)) expected.push(normalised(await say(aloneSession, answer), alone));

    const c = newZhComplaint();
    const userId = randomId('u');
    const conversationId = randomId('c');
    const onSlow = new ChatSession({ botUrl: slow.botUrl, connector, userId, conversationId });
    const onFast = new ChatSession({ botUrl: fast.botUrl, connector, userId, conversationId });
    const answers = answersOf(c);
    const got: string[] = [];
    let last: Partial<Activity>[] = [];
    let overlapped = 0;
    for (let i = 0; i < answers.length; i += 2) {
      const first = say(onSlow, answers[i]!).then((replies) => ({ replies, at: Date.now() }));
      if (i + 1 >= answers.length) {
        last = (await first).replies;
        got.push(normalised(last, c));
        break;
      }
      // The second message leaves once the first one's turn holds the lock (it is mid-turn).
      const deadline = Date.now() + 5_000;
      while (!(await lockHeld(`${onSlow.channelId}/${conversationId}`))) {
        if (Date.now() > deadline) throw new Error('the first turn never took the lock');
        await new Promise((r) => setTimeout(r, 5));
      }
      const sentSecondAt = Date.now();
      const [a, b] = await Promise.all([first, say(onFast, answers[i + 1]!)]);
      if (sentSecondAt < a.at) overlapped++;
      got.push(normalised(a.replies, c), normalised(b, c));
    }

    // The races were real: the second message arrived while the first was being answered.
    expect(overlapped).toBeGreaterThanOrEqual(5);
    for (const text of got) expect(text).not.toMatch(APOLOGY);
    expect(got).toEqual(expected);

    // Filed once, with every answer the customer gave.
    const number = numberIn(turnText(last));
    const filed = await db.complaint.findMany({ where: { channelUserId: userId } });
    expect(filed.map((f) => f.number)).toEqual([number]);
    expect(filed[0]).toMatchObject({ businessLine: 'insurance', feedbackMethod: 'phone' });
    expect(Number(filed[0]!.claimedLossYuan)).toBe(80_000);
    expect(filed[0]!.referenceNumber).toBeTruthy();
    expect(filed[0]!.description).toBeTruthy();
  }, 30_000);
});
