// Redis goes away (the app reaches it through a proxy the test cuts) while customers use the
// self-hosted chat (Direct Line). The instance that gets the message cannot take the conversation's
// lock in Redis, so it runs the turns under the conversation's PostgreSQL turn lock; the bot's own
// turn runs inside that lock (it must not wait for it — that would hang every turn until the lock's
// timeout and end in an apology). The customer is answered, in order, turn after turn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/e2e';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS } from '../sla/sla-support';
import { botTexts, pollUntil, postMessage, startConversation, type DlActivity } from '../channels/directline/directline-client';

let proxy: TcpProxy;
let running: RunningApp;

beforeAll(async () => {
  proxy = await startTcpProxy({ targetPort: Number(new URL(TEST_REDIS.url).port || 6379) });
  running = await startApp({ REDIS_URL: proxy.urlFor(TEST_REDIS.url), DIRECTLINE_TOKEN_SECRET: 'test-directline-token-secret-0123456789abcdef' });
}, 60_000);

afterAll(async () => {
  proxy?.restore();
  await running?.app.close();
  await proxy?.close();
});

const answered = (fragment: string) => (all: DlActivity[]) => botTexts(all).some((t) => t.includes(fragment));

describe('Redis down, self-hosted chat', () => {
  it('answers each message in order under the PostgreSQL turn lock, without waiting for the lock it already holds', async () => {
    const c = await startConversation(running.baseUrl);
    await pollUntil(running.baseUrl, c, answered('请问需要办理什么'));
    proxy.cut();
    expect((await postMessage(running.baseUrl, c, '我要投诉')).status).toBe(200);
    // Polled for less than the lock's 15 s wait: a turn waiting for the lock its runner holds never answers in time.
    await pollUntil(running.baseUrl, c, answered('个人信息告知'), 12_000);
    expect((await postMessage(running.baseUrl, c, '同意')).status).toBe(200);
    const { activities } = await pollUntil(running.baseUrl, c, answered('投诉涉及哪项业务'), 12_000);
    const texts = botTexts(activities);
    // In order, and no apology (a turn that waited for its own lock would end in one).
    expect(texts.findIndex((t) => t.includes('个人信息告知'))).toBeLessThan(texts.findIndex((t) => t.includes('投诉涉及哪项业务')));
    expect(texts.join('\n')).not.toContain('抱歉，系统出现了问题');
  });
});
