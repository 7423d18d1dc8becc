// In headless Chromium: an agent signs in, opens the live chat page (web/console/live.html), accepts a
// waiting conversation, exchanges messages with a simulated customer posting to /api/messages on
// another bot instance, and hands back. The console has no sign-in form yet, so the browser signs in
// through the console's sign-in API (POST /api/v1/session: the session cookie and the CSRF cookie the
// page's fetch wrapper sends back); everything after that is the page itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Database } from '../../services/db/client';
import { testDb } from '../support/app';
import { launchBrowser, saveScreenshot, watchPageProblems } from '../support/browser';
import { ChatSession, LocalConnector, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp } from '../support/e2e';
import { demoPasswordFor, seedDemoPasswords } from '../../services/staff/seed-demo-passwords';
import { seedDemoData } from '../../services/db/seed-demo-data';

let customerSide: RunningApp;
let consoleSide: RunningApp;
let connector: LocalConnector;
let db: Database;
let browser: Browser;

beforeAll(async () => {
  [customerSide, consoleSide, connector, browser] = await Promise.all([startApp(), startApp(), LocalConnector.start(), launchBrowser()]);
  db = testDb(2);
  await seedDemoData(db);
  await seedDemoPasswords({ db, env: 'test', now: new Date() });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([customerSide?.app.close(), consoleSide?.app.close()]);
  await connector?.close();
  await db?.$disconnect();
});

describe('live chat page', () => {
  it('an agent accepts a live conversation, talks with the customer, and hands back', { timeout: 90_000 }, async () => {
    const session = new ChatSession({ botUrl: customerSide.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    await session.say('我要投诉');
    expect(turnText(await session.say('转人工'))).toContain('已为您转接人工客服');
    const handoff = await db.handoffRequest.findFirstOrThrow({ where: { conversationId: session.conversationId } });

    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${consoleSide.baseUrl}/console/live.html`);
    await page.getByText('请先登录工作台').waitFor(); // not signed in yet
    const signedIn = await context.request.post(`${consoleSide.baseUrl}/api/v1/session`, { data: { employeeNo: 'A1001', password: demoPasswordFor('A1001') } });
    expect(signedIn.status()).toBe(200);
    const problems = watchPageProblems(page);
    const missing: string[] = [];
    page.on('response', (res) => {
      if (res.status() === 404) missing.push(new URL(res.url()).pathname);
    });
    await page.goto(`${consoleSide.baseUrl}/console/live.html`);
    await expect.poll(() => page.title()).toContain('在线会话');

    const item = page.locator(`[data-handoff="${handoff.id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-status')).toBe('requested');
    expect(await item.textContent()).toContain('等待接入');
    await item.click();
    const messages = page.getByTestId('messages');
    await messages.getByText('转人工').waitFor();

    const before = session.transcript.length;
    await page.getByRole('button', { name: '接入' }).click();
    await messages.getByText('客服已接入').first().waitFor();
    await connector.waitForActivities(session.conversationId, before + 2, 10_000);
    expect(turnText(session.transcript.slice(before))).toContain('人工客服已接入');

    // The customer writes; the bot stays silent and the message shows up live on the page.
    expect(await session.say('我的车险理赔三个月了还没到账，能帮我查一下吗？')).toEqual([]);
    await messages.getByText('我的车险理赔三个月了还没到账，能帮我查一下吗？').waitFor();

    // The agent replies from the page; it reaches the customer's channel.
    const beforeReply = session.transcript.length;
    await page.getByRole('textbox').fill('您好，我是客服专员，正在为您查询，请稍候。');
    await page.keyboard.press('Enter');
    const reply = await connector.waitForActivities(session.conversationId, beforeReply + 1, 10_000);
    expect(reply.at(-1)).toMatchObject({ type: 'message', text: '您好，我是客服专员，正在为您查询，请稍候。' });
    await messages.locator('[data-actor="staff"]').getByText('您好，我是客服专员').waitFor();
    await saveScreenshot(page, 'takeover-live-chat');

    // English toggle.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Hand back to the bot' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();

    // Hand back: the customer hears from the bot again, at the question they were at.
    const beforeRelease = session.transcript.length;
    await page.getByRole('button', { name: '交还机器人' }).click();
    const back = await connector.waitForActivities(session.conversationId, beforeRelease + 3, 10_000);
    expect(turnText(back.slice(beforeRelease))).toContain('人工服务已结束');
    expect(turnText(back.slice(beforeRelease))).toContain('个人信息告知');
    await messages.getByText('客服已交还机器人').waitFor();
    await expect.poll(() => item.count()).toBe(0);
    await saveScreenshot(page, 'takeover-live-chat-handed-back');
    expect((await db.handoffRequest.findUniqueOrThrow({ where: { id: handoff.id } })).status).toBe('ended');
    // Browsers ask for /favicon.ico by themselves; the console has none. Nothing else may be missing.
    expect(missing.filter((path) => path !== '/favicon.ico')).toEqual([]);
    expect(problems.filter((p) => !(p.includes('404') && missing.every((path) => path === '/favicon.ico')))).toEqual([]);
    await context.close();
  });
  it('takes over a filed complaint\'s chat from a link such as an alert\'s (live.html?complaint=…)', { timeout: 90_000 }, async () => {
    const c = newZhComplaint();
    const session = new ChatSession({ botUrl: customerSide.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    let last = await session.say('我要投诉');
    for (const answer of ['同意', '保险', '理赔纠纷', c.description, '跳过', c.referenceNumber, '8万', c.name, c.phone.typed, '跳过', '电话', '确认提交']) last = await session.say(answer);
    const number = numberIn(turnText(last));

    const context = await browser.newContext({ locale: 'zh-CN' });
    const signedIn = await context.request.post(`${consoleSide.baseUrl}/api/v1/session`, { data: { employeeNo: 'A1002', password: demoPasswordFor('A1002') } });
    expect(signedIn.status()).toBe(200);
    const page = await context.newPage();
    await page.goto(`${consoleSide.baseUrl}/console/live.html?complaint=${number}`);
    const before = session.transcript.length;
    await page.getByRole('button', { name: `接管投诉 ${number} 的会话` }).click();
    const messages = page.getByTestId('messages');
    await messages.getByText('客服已接入').first().waitFor();
    await messages.getByText('您的投诉已受理', { exact: false }).waitFor(); // the conversation so far
    await connector.waitForActivities(session.conversationId, before + 2, 10_000);
    expect(turnText(session.transcript.slice(before))).toContain('人工客服已接入');
    await page.getByRole('button', { name: '交还机器人' }).click();
    await messages.getByText('客服已交还机器人').waitFor();
    await context.close();
  });
});
