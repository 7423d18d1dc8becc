// PostgreSQL goes away in the middle of a complaint (the app reaches it through a proxy the test cuts;
// the shared server keeps running). The customer's message gets an apology with a reference — the same
// reference the log line of the failure carries — telling them to send it again, in their language.
// Once PostgreSQL is back, the message sent again carries on exactly where the conversation was, and
// the complaint is filed once with what the customer said.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { createLogger } from '../../services/logger';
import { testDatabaseUrl } from '../support/database';
import { testDb } from '../support/app';
import { ChatSession, LocalConnector, MemoryStream, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp, type ZhComplaint } from '../support/e2e';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

let proxy: TcpProxy;
let running: RunningApp;
let connector: LocalConnector;
const logs = new MemoryStream();
const db = testDb(2);

beforeAll(async () => {
  proxy = await startTcpProxy({ targetPort: Number(new URL(testDatabaseUrl()).port || 5432) });
  connector = await LocalConnector.start();
  running = await startApp({ DATABASE_URL: proxy.urlFor(testDatabaseUrl()) }, { log: createLogger({ level: 'info', destination: logs }) });
});

afterAll(async () => {
  proxy?.restore();
  await running?.app.close();
  await Promise.allSettled([connector?.close(), proxy?.close(), db.$disconnect()]);
});

const answersOf = (c: ZhComplaint) => ['我要投诉', '同意', '保险', '理赔纠纷', c.description, '跳过', c.referenceNumber, c.amount ?? '8万', c.name, c.phone.typed, '跳过', '电话', '确认提交'];
const say = (session: ChatSession, text: string) => session.say(text, { deliveryMode: 'expectReplies' });
const session = (locale = 'zh-CN') => new ChatSession({ botUrl: running.botUrl, connector, userId: randomId('u'), conversationId: randomId('c'), locale });
const REFERENCE = /E-[0-9A-F]{8}/;

/** The reply with the customer's own data (and the complaint number) taken out. */
function normalised(replies: Partial<Activity>[], c: ZhComplaint): string {
  let text = turnText(replies);
  for (const value of [c.description, c.name, c.phone.typed, c.phone.digits]) text = text.split(value).join('<value>');
  return text.replace(/TS\d{8}-\d{6}/g, '<number>');
}

describe('PostgreSQL down in the middle of a complaint', () => {
  it('apologises with a reference, asks for the message again, and carries on where it was once PostgreSQL is back', async () => {
    const CUT_AT = 4; // the description: the customer has chosen line and type
    const reference = newZhComplaint();
    const referenceChat = session();
    const expected: string[] = [];
    for (const answer of answersOf(reference)) expected.push(normalised(await say(referenceChat, answer), reference));

    const c = newZhComplaint();
    const zh = session();
    const en = session('en-US');
    const answers = answersOf(c);
    const got: string[] = [];
    for (const answer of answers.slice(0, CUT_AT)) got.push(normalised(await say(zh, answer), c));
    expect(turnText(await say(en, 'I want to make a complaint'))).toMatch(/personal data/i);

    proxy.cut();
    const apology = turnText(await say(zh, answers[CUT_AT]!));
    expect(apology).toContain('重新发送');
    const ref = REFERENCE.exec(apology)?.[0];
    expect(ref, apology).toBeTruthy();
    // The English customer gets it in English (the conversation's language could not be read).
    const enApology = turnText(await say(en, 'I agree'));
    expect(enApology).toMatch(/send it again/);
    expect(enApology).toMatch(REFERENCE);
    expect(enApology).not.toMatch(/[\u4e00-\u9fff]/);
    // Support finds the failure by the reference the customer quotes.
    const logged = logs.text.split('\n').filter((line) => line.includes(ref!));
    expect(logged.some((line) => line.includes('"turn failed"'))).toBe(true);
    for (const line of logged) expect(line).not.toContain(c.description);

    proxy.restore();
    // The same message again: the conversation is where it was, and goes on to the end.
    let last: Partial<Activity>[] = [];
    for (const answer of answers.slice(CUT_AT)) {
      last = await say(zh, answer);
      got.push(normalised(last, c));
    }
    expect(got).toEqual(expected);
    const number = numberIn(turnText(last));
    const filed = await db.complaint.findMany({ where: { channelUserId: zh.userId }, select: { number: true } });
    expect(filed.map((f) => f.number)).toEqual([number]);

    // The English conversation goes on too: its consent step, sent again.
    expect(turnText(await say(en, 'I agree'))).toMatch(/insurance|securities/i);
  }, 30_000);
});

