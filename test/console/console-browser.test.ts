// The console in headless Chromium, as an agent uses it: sign in, see the queue with live
// countdowns (an overdue one in red), find a complaint by number, open it, reveal the personal data
// and see the reveal appear in the history. Screenshots go to test-output/.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { randomMobile, testDesk } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { launchBrowser, saveScreenshot, watchPageProblems } from '../support/browser';
import { appendTranscriptMessage } from '../../services/transcripts/transcript-store';
import { bearerFor, createStaff, type TestStaff } from './console-support';

let running: RunningApp;
let browser: Browser;
let agent: TestStaff;
let supervisor: TestStaff;
let supervision: TestStaff;

beforeAll(async () => {
  running = await startApp();
  await seedDemoData(running.app.db);
  agent = await createStaff(running.app.db, 'agent', { department: 'CLAIMS' });
  supervisor = await createStaff(running.app.db, 'supervisor', { department: 'CLAIMS' });
  supervision = await createStaff(running.app.db, 'supervision', { department: 'SUPERVISION' });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await running?.app.close();
});

async function fileComplaint(acceptedAt: Date, description: string): Promise<{ number: string; phone: string; conversationId: string }> {
  const phone = randomMobile();
  const conversationId = randomUUID();
  const filed = await testDesk(running.app.db, () => acceptedAt).fileComplaint({
    draft: { businessLine: 'insurance', type: 'claims_dispute', description, name: '赵六', phone, feedbackMethod: 'phone' },
    user: { channelId: 'test-browser', channelUserId: randomUUID() },
    locale: 'zh-CN',
    reference: { channelId: 'test-browser', serviceUrl: 'https://test.example', conversation: { id: conversationId } },
    consent: { noticeVersion: 'test' },
    submissionId: randomUUID(),
  });
  return { number: filed.number, phone, conversationId };
}

describe('the console in a browser', { timeout: 180_000 }, () => {
  it('an agent signs in, sees the queue counting down, opens a complaint, reveals personal data and sees the event', async () => {
    const fresh = await fileComplaint(new Date(), '理赔款80万元一直不到账，已联系媒体，准备起诉');
    const overdue = await fileComplaint(new Date(Date.now() - 40 * 24 * 3600_000), '理赔材料交了很久没有回音，请尽快处理');

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = watchPageProblems(page);
    try {
      await page.goto(`${running.baseUrl}/console/`);
      await page.getByTestId('sign-in-form').waitFor();
      await page.fill('input[name=employeeNo]', agent.employeeNo);
      await page.fill('input[name=password]', 'wrong-password-1');
      await page.click('button[type=submit]');
      await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toContain('工号或密码不正确');
      await page.fill('input[name=password]', agent.password);
      await page.click('button[type=submit]');

      // The queue, with our complaint found by number and its countdown ticking.
      await page.getByTestId('queue-table').waitFor();
      expect(await page.getByTestId('signed-in-as').textContent()).toContain('客服专员');
      await page.getByTestId('queue-search').fill(fresh.number.slice(-6));
      const row = page.locator(`tr[data-number="${fresh.number}"]`);
      await row.waitFor();
      const countdown = row.getByTestId('countdown');
      const first = await countdown.textContent();
      expect(first).toMatch(/\d{2}:\d{2}:\d{2}/);
      expect(await countdown.getAttribute('data-breached')).toBe('false');
      await expect.poll(() => countdown.textContent(), { timeout: 15_000 }).not.toBe(first);
      expect(await row.textContent()).toContain('一级');

      // The overdue complaint: red.
      await page.getByTestId('queue-search').fill(overdue.number);
      const late = page.locator(`tr[data-number="${overdue.number}"]`).getByTestId('countdown');
      await late.waitFor();
      expect(await late.getAttribute('data-breached')).toBe('true');
      expect(await late.textContent()).toContain('已超时');
      const color = await page.evaluate(`getComputedStyle(document.querySelector('tr[data-number="${overdue.number}"] [data-testid=countdown]')).color`);
      expect(color).toBe('rgb(207, 34, 46)'); // the console's red
      await page.getByTestId('queue-search').fill('');
      await page.locator(`tr[data-number="${fresh.number}"]`).waitFor();
      await saveScreenshot(page, 'console-queue');

      // "Awaiting a callback": the complaints whose satisfaction survey waits for an agent's call.
      await running.app.db.$executeRaw`
        INSERT INTO satisfaction_survey (id, complaint_id, cycle, method, status, feedback_at, send_at, remind_at, expires_at, updated_at)
        SELECT gen_random_uuid(), id, 1, 'callback', 'sent', now() - interval '2 hours', now() - interval '1 hour', now() + interval '1 day', now() + interval '3 days', now()
        FROM complaint WHERE number = ${overdue.number}`;
      await page.getByTestId('filter-callback').check();
      // Both rows were on screen before the box was ticked: wait for the filtered list to replace them.
      await expect.poll(() => page.locator(`tr[data-number="${fresh.number}"]`).count(), { timeout: 15_000 }).toBe(0);
      await page.locator(`tr[data-number="${overdue.number}"]`).waitFor();
      expect(await page.getByTestId('filter-status').inputValue()).toBe('all');
      await page.getByTestId('filter-callback').uncheck();
      await page.locator(`tr[data-number="${fresh.number}"]`).waitFor();

      // The complaint page: masked, then revealed, and the reveal on record.
      await page.click(`a[href="#/complaints/${fresh.number}"]`);
      await page.getByTestId('complaint-page').waitFor();
      expect(await page.getByTestId('complaint-number').textContent()).toBe(fresh.number);
      const phone = page.getByTestId('pii-phone');
      expect(await phone.textContent()).toBe(`${fresh.phone.slice(0, 3)}****${fresh.phone.slice(-4)}`);
      expect(await page.getByTestId('pii-name').textContent()).toBe('赵*');
      expect(await page.locator('[data-testid=events] li[data-type="pii.revealed"]').count()).toBe(0);
      await expect.poll(() => page.getByTestId('transcript').textContent(), { timeout: 15_000 }).toContain('暂无聊天记录');
      await page.getByTestId('reveal').click();
      await expect.poll(() => phone.textContent(), { timeout: 30_000 }).toBe(fresh.phone);
      expect(await page.getByTestId('pii-name').textContent()).toBe('赵六');
      const revealEvent = page.locator('[data-testid=events] li[data-type="pii.revealed"]');
      await revealEvent.waitFor();
      expect(await revealEvent.textContent()).toContain(agent.employeeNo);
      await saveScreenshot(page, 'console-complaint');

      const stored = await running.app.db.complaintEvent.findMany({ where: { complaint: { number: fresh.number }, type: 'pii.revealed' } });
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ actorType: 'staff', actorId: agent.id });

      // English, and the way to the live chats.
      await page.getByTestId('lang-toggle').click();
      expect(await page.getByTestId('nav-queue').textContent()).toBe('Queue');
      expect(await page.getByTestId('nav-live').getAttribute('href')).toBe('/console/live.html');

      // Signing out returns to the sign-in page; the API refuses the old session.
      await page.getByTestId('sign-out').click();
      await page.getByTestId('sign-in-form').waitFor();
      const status = await page.evaluate(async () => (await fetch('/api/v1/complaints')).status);
      expect(status).toBe(401);
      expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a supervisor changes the tier with a reason and approves an extension with the buttons; the supervision department sees no buttons', async () => {
    const filed = await fileComplaint(new Date(), '理赔材料交了一个月还没有结果，请尽快处理');
    const asked = await fetch(`${running.baseUrl}/api/v1/complaints/${filed.number}/extensions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: bearerFor(agent.id) },
      body: JSON.stringify({ toDays: 30, reason: '需要第三方鉴定报告' }),
    });
    expect(asked.status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = watchPageProblems(page);
    try {
      const signIn = async (who: TestStaff) => {
        await page.goto(`${running.baseUrl}/console/#/complaints/${filed.number}`);
        await page.getByTestId('sign-in-form').waitFor();
        await page.fill('input[name=employeeNo]', who.employeeNo);
        await page.fill('input[name=password]', who.password);
        await page.click('button[type=submit]');
        await page.getByTestId('complaint-page').waitFor();
      };
      await signIn(supervisor);
      const tierForm = page.getByTestId('tier-override');
      await tierForm.locator('select').selectOption('L2');
      await tierForm.locator('input').fill('客户已委托律师，可能诉讼');
      await tierForm.locator('button[type=submit]').click();
      await page.locator('[data-testid=events] li[data-type="tier.overridden"]').waitFor();
      expect(await page.locator('h1 .tier').textContent()).toBe('二级');

      await page.getByTestId('extension-approve').click();
      await page.locator('[data-testid=events] li[data-type="extension.approved"]').waitFor();
      expect(await page.getByTestId('extensions').textContent()).toContain('已批准');
      await saveScreenshot(page, 'console-supervisor-actions');

      const c = await running.app.db.complaint.findUniqueOrThrow({ where: { number: filed.number }, select: { tier: true, extendedDecisionDays: true } });
      expect(c).toEqual({ tier: 'L2', extendedDecisionDays: 30 });

      await page.getByTestId('sign-out').click();
      await signIn(supervision);
      expect(await page.textContent('body')).toContain('只读');
      expect(await page.getByTestId('tier-override').count()).toBe(0);
      expect(await page.getByTestId('extension-approve').count()).toBe(0);
      expect(await page.getByTestId('nav-intake').count()).toBe(0);
      expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('an agent enters a hotline complaint in the form: field problems shown, then filed and triaged, and it opens from the confirmation', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = watchPageProblems(page);
    try {
      await page.goto(`${running.baseUrl}/console/#/intake`);
      await page.getByTestId('sign-in-form').waitFor();
      await page.fill('input[name=employeeNo]', agent.employeeNo);
      await page.fill('input[name=password]', agent.password);
      await page.click('button[type=submit]');
      const form = page.getByTestId('intake-form');
      await form.waitFor();
      await form.locator('textarea[name=description]').fill('来电客户反映车险理赔三个月未到账，多次催促无果');
      await form.locator('input[name=name]').fill('孙八');
      await form.locator('input[name=phone]').fill('12345');
      await form.locator('input[name=claimedLoss]').fill('3万');
      await form.locator('input[name=privacyNoticeGiven]').check();
      await form.locator('button[type=submit]').click();
      await form.locator('.field-error').first().waitFor();
      expect(await form.locator('.field-error').textContent()).toContain('11位大陆手机号码');

      const phone = randomMobile();
      await form.locator('input[name=phone]').fill(phone);
      await form.locator('button[type=submit]').click();
      const filed = page.getByTestId('intake-filed');
      await filed.waitFor();
      const number = /TS\d{8}-\d{6}/.exec((await filed.textContent()) ?? '')?.[0];
      expect(number).toBeTruthy();
      await saveScreenshot(page, 'console-intake');

      await filed.locator(`a[href="#/complaints/${number}"]`).click();
      await page.getByTestId('complaint-page').waitFor();
      expect(await page.getByTestId('complaint-page').textContent()).toContain('客服热线');
      const c = await running.app.db.complaint.findUniqueOrThrow({ where: { number: number! }, include: { deadlines: true } });
      expect(c).toMatchObject({ intakeChannel: 'hotline', status: 'acknowledged', tier: 'L3' });
      expect(c.deadlines.length).toBeGreaterThan(0);
      expect(problems.filter((p) => !p.includes('401') && !p.includes('400'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the chat transcript masked, and unmasked after the reveal button (recorded)', async () => {
    const filed = await fileComplaint(new Date(), '理赔款一直没到账，请尽快处理');
    const key = { channelId: 'test-browser', conversationId: filed.conversationId };
    await appendTranscriptMessage(running.app.db, { ...key, direction: 'inbound', actorType: 'customer', text: `我的电话是${filed.phone}，请回电`, occurredAt: new Date() });
    await appendTranscriptMessage(running.app.db, { ...key, direction: 'outbound', actorType: 'bot', text: '好的，我们会尽快联系您。', occurredAt: new Date() });

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await page.goto(`${running.baseUrl}/console/#/complaints/${filed.number}`);
      await page.getByTestId('sign-in-form').waitFor();
      await page.fill('input[name=employeeNo]', agent.employeeNo);
      await page.fill('input[name=password]', agent.password);
      await page.click('button[type=submit]');
      const transcript = page.getByTestId('transcript');
      await transcript.locator('li').first().waitFor();
      expect(await transcript.textContent()).toContain('好的，我们会尽快联系您。');
      expect(await transcript.textContent()).not.toContain(filed.phone);
      await page.getByTestId('transcript-reveal').click();
      await expect.poll(() => transcript.textContent(), { timeout: 30_000 }).toContain(filed.phone);
      await page.locator('[data-testid=events] li[data-type="pii.revealed"]').waitFor();
    } finally {
      await page.close();
    }
  });
});

describe('the console when answers arrive out of order', () => {
  it('keeps the list of the filter last chosen when an older, slower answer arrives after it', async () => {
    const waiting = await fileComplaint(new Date(), '退保款项迟迟未到账，客服说等回访');
    const other = await fileComplaint(new Date(), '保单信息有误，修改申请没人处理');
    await running.app.db.$executeRaw`
      INSERT INTO satisfaction_survey (id, complaint_id, cycle, method, status, feedback_at, send_at, remind_at, expires_at, updated_at)
      SELECT gen_random_uuid(), id, 1, 'callback', 'sent', now() - interval '2 hours', now() - interval '1 hour', now() + interval '1 day', now() + interval '3 days', now()
      FROM complaint WHERE number = ${waiting.number}`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await page.goto(`${running.baseUrl}/console/`);
      await page.getByTestId('sign-in-form').waitFor();
      await page.fill('input[name=employeeNo]', agent.employeeNo);
      await page.fill('input[name=password]', agent.password);
      await page.click('button[type=submit]');
      await page.locator(`tr[data-number="${other.number}"]`).waitFor();

      // The next unfiltered list (the box ticked a moment later) is held back until the filtered one has arrived.
      let releaseUnfiltered: () => void = () => {};
      const unfilteredHeld = new Promise<void>((resolve) => (releaseUnfiltered = resolve));
      let heldOne = false;
      await page.route('**/api/v1/complaints?*', async (route) => {
        const url = new URL(route.request().url());
        if (!heldOne && !url.searchParams.has('callback')) {
          heldOne = true;
          await unfilteredHeld;
        }
        await route.continue();
      });
      await page.getByRole('button', { name: '刷新' }).click(); // an unfiltered list on its way …
      await expect.poll(() => heldOne).toBe(true);
      await page.getByTestId('filter-callback').check(); // … when the box is ticked
      await expect.poll(() => page.locator(`tr[data-number="${other.number}"]`).count(), { timeout: 15_000 }).toBe(0);
      await page.locator(`tr[data-number="${waiting.number}"]`).waitFor();
      const lateAnswer = page.waitForResponse((r) => r.url().includes('/api/v1/complaints?') && !new URL(r.url()).searchParams.has('callback'));
      releaseUnfiltered();
      await lateAnswer;
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300))); // time to render it, were it shown
      expect(await page.locator(`tr[data-number="${other.number}"]`).count()).toBe(0);
      expect(await page.locator(`tr[data-number="${waiting.number}"]`).count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});
