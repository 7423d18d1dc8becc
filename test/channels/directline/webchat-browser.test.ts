// The real thing: the official Bot Framework Web Chat, loaded from /chat in headless Chromium,
// talks to the bot through the self-hosted Direct Line and files a complaint in Chinese — clicking
// the buttons Web Chat renders where the dialog offers them, typing elsewhere — and the complaint
// number shows on the page. Then a proactive message (as an agent's reply or a notice would go)
// reaches the same page through the complaint's stored conversation reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { newZhComplaint, numberIn, startApp, type RunningApp } from '../../support/e2e';
import { launchBrowser, saveScreenshot, watchPageProblems } from '../../support/browser';
import { DIRECTLINE_CHANNEL_ID } from '../../../bot/channels/directline';

let running: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [running, browser] = await Promise.all([startApp(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await running?.app.close();
});

/** Per step; the whole test has its own, longer limit (a browser and a bot share two cores here). */
const WAIT_MS = 30_000;

/** Bot bubbles containing `fragment`. */
const botBubbles = (page: Page, fragment: string) => page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content', { hasText: fragment });

async function waitForBot(page: Page, fragment: string, problems: string[]): Promise<void> {
  try {
    await botBubbles(page, fragment).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  } catch (err) {
    await saveScreenshot(page, 'webchat-failure');
    throw new Error(`the page never showed "${fragment}" (screenshot test-output/webchat-failure.png; page problems: ${problems.join(' | ') || 'none'})`, { cause: err });
  }
}

/** Clicks the button Web Chat shows for `text` when the dialog offers one; types it otherwise. */
async function answer(page: Page, text: string): Promise<'clicked' | 'typed'> {
  const button = page.getByRole('button', { name: text, exact: true });
  if ((await button.count()) > 0) {
    await button.last().click();
    return 'clicked';
  }
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
  return 'typed';
}

describe('/chat with the official Web Chat in Chromium', () => {
  it('files a complaint in Chinese and shows its number; a proactive message reaches the page', async () => {
    const c = newZhComplaint();
    const page = await browser.newPage({ locale: 'zh-CN' });
    const problems = watchPageProblems(page);
    await page.goto(`${running.baseUrl}/chat`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    // [what the bot asks, the customer's answer]
    const steps: [string, string][] = [
      ['请问需要办理什么', '我要投诉'],
      ['个人信息告知', '同意'],
      ['请问投诉涉及哪项业务', '保险'],
      ['请选择投诉类型', '理赔纠纷'],
      ['请描述事情经过', c.description],
      ['事情大约发生在什么时间', '跳过'],
      ['如涉及保单号', c.referenceNumber],
      ['您主张的损失金额', '8万'],
      ['请问您的姓名', c.name],
      ['请留下您的手机号码', c.phone.typed],
      ['如需通过电子邮件接收答复', '跳过'],
      ['您希望通过哪种方式接收处理结果', '电话'],
      ['信息无误请点“确认提交”', '确认提交'],
    ];
    const how: string[] = [];
    for (const [prompt, reply] of steps) {
      await waitForBot(page, prompt, problems);
      how.push(`${reply.slice(0, 6)}:${await answer(page, reply)}`);
    }
    // The menu, consent, business line, type, feedback method and confirmation are Web Chat's buttons.
    for (const clicked of ['我要投诉', '同意', '保险', '理赔纠纷', '电话', '确认提交']) expect(how).toContain(`${clicked}:clicked`);
    expect(how).toContain(`${c.description.slice(0, 6)}:typed`);

    await waitForBot(page, '您的投诉已受理', problems);
    const acknowledgement = await botBubbles(page, '您的投诉已受理').first().innerText();
    const number = numberIn(acknowledgement);
    expect(acknowledgement).toContain('通过电话');
    // The customer's messages are shown as sent (echoed by the endpoint), none as failed.
    await expect.poll(() => page.locator('.webchat__bubble--from-user', { hasText: c.description.slice(0, 10) }).count()).toBeGreaterThan(0);
    expect(await page.getByText('发送失败').count()).toBe(0);

    const complaint = await running.app.db.complaint.findUniqueOrThrow({
      where: { number },
      select: { channelId: true, intakeChannel: true, description: true, channelUserId: true, conversationRef: { select: { channelId: true, reference: true } } },
    });
    expect(complaint).toMatchObject({ channelId: DIRECTLINE_CHANNEL_ID, intakeChannel: 'online_chat', description: c.description });
    expect(complaint.channelUserId).toMatch(/^dl_/);
    expect(complaint.conversationRef?.channelId).toBe(DIRECTLINE_CHANNEL_ID);

    // The stored reference carries a later message into this very page (agents' replies, notices).
    await running.app.channels.sendText(complaint.conversationRef!.reference as object, `您的投诉 ${number} 已分派给专人处理。`);
    await waitForBot(page, '已分派给专人处理', problems);

    const screenshot = await saveScreenshot(page, 'webchat-complaint-zh');
    expect(screenshot).toContain('test-output');
    expect(problems.filter((p) => !/favicon/.test(p)), problems.join('\n')).toEqual([]);
    await page.close();
  }, 240_000);

  it('switches to English from the page: the bot and Web Chat both change language', async () => {
    const page = await browser.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`${running.baseUrl}/chat`);
    await waitForBot(page, '请问需要办理什么', problems);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await waitForBot(page, 'Switched to English.', problems);
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');
    await expect.poll(() => page.locator('[data-id="webchat-sendbox-input"]').getAttribute('placeholder')).toBe('Type your message');
    // The menu is asked again in English, with English buttons, and everything after it is English.
    await waitForBot(page, 'What can I do for you?', problems);
    await page.locator('.webchat__suggested-actions').getByRole('button', { name: 'File a complaint', exact: true }).click();
    await waitForBot(page, 'Do you agree?', problems);
    expect(await page.getByRole('button', { name: 'Agree', exact: true }).count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'webchat-switched-to-english');
    await page.close();
  }, 120_000);

  it('a reload of the tab continues the same conversation', async () => {
    const page = await browser.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`${running.baseUrl}/chat`);
    await waitForBot(page, '请问需要办理什么', problems);
    await answer(page, '我要投诉');
    await waitForBot(page, '个人信息告知', problems);
    const before = JSON.parse((await page.evaluate<string>("sessionStorage.getItem('complaint-chat')"))) as { conversationId: string };
    await page.reload();
    await waitForBot(page, '个人信息告知', problems);
    await answer(page, '同意');
    await waitForBot(page, '请问投诉涉及哪项业务', problems);
    const after = JSON.parse((await page.evaluate<string>("sessionStorage.getItem('complaint-chat')"))) as { conversationId: string };
    expect(after.conversationId).toBe(before.conversationId);
    await page.close();
  }, 120_000);
});
