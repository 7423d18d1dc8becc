// The whole agent journey of the console issue in one real (headless Chromium) browser session, with no
// API shortcut for anything staff do: the agent signs in on the sign-in page, sees the queue counting
// down, opens 在线会话 from the navigation, accepts a customer who asked for a person mid-intake, talks
// with them, hands back (the bot resumes and the customer files the complaint), then finds that
// complaint in the queue by its number and carries it to closure through the case panel. A supervisor,
// signed in on the page in a second browser context, does the two steps the agent's role may not:
// assigning the owner and approving a 20 000 yuan compensation (the department-head band). Every step
// is then checked on record (the complaint's events in PostgreSQL, the transcript endpoint), and
// anonymous and wrong-role calls are refused. The customer is simulated posting to /api/messages on
// another bot instance (ChatSession + LocalConnector). Screenshots: test-output/agent-journey-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Activity } from 'botbuilder';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { launchBrowser, saveScreenshot, watchPageProblems } from '../support/browser';
import { ChatSession, LocalConnector, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp } from '../support/e2e';
import { fileClaimsComplaint } from '../case-handling/case-support';
import { createStaff, type TestStaff } from './console-support';

let customerSide: RunningApp;
let consoleSide: RunningApp;
let connector: LocalConnector;
let browser: Browser;
let agent: TestStaff;
let supervisor: TestStaff;
let supervision: TestStaff;

beforeAll(async () => {
  [customerSide, consoleSide, connector, browser] = await Promise.all([startApp(), startApp(), LocalConnector.start(), launchBrowser()]);
  const db = consoleSide.app.db;
  await seedDemoData(db);
  // Claims disputes go to the claims department (CLAIMS): its agent handles the case, its supervisor assigns and approves.
  agent = await createStaff(db, 'agent', { department: 'CLAIMS' });
  supervisor = await createStaff(db, 'supervisor', { department: 'CLAIMS' });
  supervision = await createStaff(db, 'supervision', { department: 'SUPERVISION' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([customerSide?.app.close(), consoleSide?.app.close()]);
  await connector?.close();
});

/** Types the employee number and password into the console's sign-in form and submits. */
async function signInOnPage(page: Page, who: TestStaff): Promise<void> {
  await page.getByTestId('sign-in-form').waitFor();
  await page.fill('input[name=employeeNo]', who.employeeNo);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
}

/** Opens a case action's form, lets `fill` fill it, submits, and waits for the panel to say it was saved. */
async function act(page: Page, name: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
  const action = page.getByTestId(`case-action-${name}`);
  await action.waitFor();
  await action.locator('summary').click();
  const form = action.locator('form');
  await fill(form);
  await form.locator('button[type=submit]').click();
  await page.locator('[data-testid=case-actions] p.success').waitFor();
}

/** A call from inside the page with its own cookies (and the CSRF header the console's fetch wrapper sends). */
function callFromPage(page: Page, method: string, path: string, body?: unknown): Promise<number> {
  return page.evaluate(async ({ method, path, body }) => {
    const { cookie } = (globalThis as unknown as { document: { cookie: string } }).document; // (this runs in the page)
    const csrf = cookie.split(';').map((p) => p.trim()).find((p) => p.startsWith('console_csrf='))?.slice('console_csrf='.length) ?? '';
    const res = await fetch(path, {
      method,
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(method === 'GET' ? {} : { 'X-CSRF-Token': decodeURIComponent(csrf) }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status;
  }, { method, path, body });
}

const texts = (activities: Partial<Activity>[]) => turnText(activities);

describe('an agent\'s whole journey in the console', () => {
  it('signs in, watches the queue, takes over a live chat, hands back, and closes the filed complaint with every step on record', { timeout: 300_000 }, async () => {
    const db = consoleSide.app.db;
    const earlier = await fileClaimsComplaint(db); // something already waiting in the queue
    const contexts: BrowserContext[] = [];
    const newContext = async () => {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 } });
      contexts.push(context);
      return context;
    };
    const agentContext = await newContext();
    const page = await agentContext.newPage();
    const problems = watchPageProblems(page);
    const missing: string[] = [];
    page.on('response', (res) => {
      if (res.status() === 404) missing.push(new URL(res.url()).pathname);
    });
    try {
      // 1. Sign in on the sign-in page.
      await page.goto(`${consoleSide.baseUrl}/console/`);
      await signInOnPage(page, agent);

      // 2. The queue, with a live SLA countdown that ticks.
      await page.getByTestId('queue-table').waitFor();
      expect(await page.getByTestId('signed-in-as').textContent()).toContain('客服专员');
      const earlierRow = page.locator(`tr[data-number="${earlier.number}"]`);
      await earlierRow.waitFor();
      const countdown = earlierRow.getByTestId('countdown');
      const first = await countdown.textContent();
      expect(first).toMatch(/\d{2}:\d{2}:\d{2}/);
      expect(await countdown.getAttribute('data-breached')).toBe('false');
      await expect.poll(() => countdown.textContent(), { timeout: 15_000 }).not.toBe(first);
      await saveScreenshot(page, 'agent-journey-1-queue');

      // 3. A customer, mid-intake (at the description question), asks for a person.
      const customer = newZhComplaint();
      const session = new ChatSession({ botUrl: customerSide.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
      await session.start();
      for (const answer of ['我要投诉', '同意', '保险', '理赔纠纷']) expect((await session.say(answer)).length).toBeGreaterThan(0);
      expect(texts(await session.say('转人工'))).toContain('已为您转接人工客服');
      const handoff = await db.handoffRequest.findFirstOrThrow({ where: { conversationId: session.conversationId } });
      expect(handoff.complaintId).toBeNull(); // no complaint yet: the customer is mid-intake

      // The agent opens 在线会话 from the navigation bar and accepts the conversation.
      await page.getByTestId('nav-live').click();
      await expect.poll(() => page.title()).toContain('在线会话');
      const item = page.locator(`[data-handoff="${handoff.id}"]`);
      await item.waitFor();
      expect(await item.getAttribute('data-status')).toBe('requested');
      await item.click();
      const messages = page.getByTestId('messages');
      await messages.getByText('转人工').waitFor(); // the conversation so far
      const beforeAccept = session.transcript.length;
      await page.getByRole('button', { name: '接入' }).click();
      await messages.getByText('客服已接入').first().waitFor();
      await connector.waitForActivities(session.conversationId, beforeAccept + 2, 10_000); // the notice and handoff.status accepted
      expect(texts(session.transcript.slice(beforeAccept))).toContain('人工客服已接入');

      // The customer's message arrives live; the bot stays silent.
      const question = '我的车险理赔三个月了还没到账，能帮我看看是怎么回事吗？';
      expect(await session.say(question)).toEqual([]);
      await messages.getByText(question).waitFor();

      // The agent replies; it reaches the customer's channel.
      const reply = '您好，我是理赔部客服，已查到您的案件在审核环节，请您先把投诉登记完成，我们会跟进处理。';
      const beforeReply = session.transcript.length;
      await page.getByRole('textbox').fill(reply);
      await page.keyboard.press('Enter');
      const delivered = await connector.waitForActivities(session.conversationId, beforeReply + 1, 10_000);
      expect(delivered.slice(beforeReply).map((a) => a.text)).toContain(reply);
      await messages.locator('[data-actor="staff"]').getByText(reply).waitFor();

      // The customer answers; it appears live.
      const answer = '好的，谢谢，我这就登记。';
      expect(await session.say(answer)).toEqual([]);
      await messages.locator('[data-actor="customer"]').getByText(answer).waitFor();
      await saveScreenshot(page, 'agent-journey-2-live-chat');

      // Hand back: the bot resumes at the question the customer was at.
      const beforeRelease = session.transcript.length;
      await page.getByRole('button', { name: '交还机器人' }).click();
      await messages.getByText('客服已交还机器人').waitFor();
      const back = await connector.waitForActivities(session.conversationId, beforeRelease + 2, 10_000);
      expect(texts(back.slice(beforeRelease))).toContain('人工服务已结束');
      await expect.poll(() => item.count()).toBe(0);
      await saveScreenshot(page, 'agent-journey-3-handed-back');

      // The customer completes the complaint; the number arrives in the chat.
      let last: Partial<Activity>[] = [];
      for (const said of [customer.description, '跳过', customer.referenceNumber, '2万', customer.name, customer.phone.typed, '跳过', '电话', '确认提交']) {
        last = await session.say(said);
        expect(last.length, `no reply to "${said}"`).toBeGreaterThan(0);
      }
      const number = numberIn(texts(last));
      const complaint = await db.complaint.findUniqueOrThrow({ where: { number }, select: { id: true, department: { select: { code: true } } } });
      expect(complaint.department?.code).toBe('CLAIMS');

      // 4. Back to the console: the queue, search by the number, open the complaint.
      await page.getByRole('link', { name: '返回投诉队列' }).click();
      await page.getByTestId('queue-search').waitFor();
      await page.getByTestId('queue-search').fill(number);
      const row = page.locator(`tr[data-number="${number}"]`);
      await row.waitFor();
      expect(await row.getByTestId('countdown').textContent()).toMatch(/\d{2}:\d{2}:\d{2}/);
      await row.locator(`a[href="#/complaints/${number}"]`).click();
      await page.getByTestId('complaint-page').waitFor();
      expect(await page.getByTestId('complaint-number').textContent()).toBe(number);
      await page.getByTestId('case-actions').waitFor();
      // An agent does not assign owners (department supervisors do): the panel offers no such action, the API refuses it.
      expect(await page.getByTestId('case-action-assign').count()).toBe(0);
      expect(await callFromPage(page, 'POST', `/api/v1/complaints/${number}/owner`, { staffId: agent.id })).toBe(403);

      // The claims supervisor, in a second browser context, signs in and assigns the complaint to the agent.
      const supervisorPage = await (await newContext()).newPage();
      const supervisorProblems = watchPageProblems(supervisorPage);
      await supervisorPage.goto(`${consoleSide.baseUrl}/console/#/complaints/${number}`);
      await signInOnPage(supervisorPage, supervisor);
      await supervisorPage.getByTestId('case-actions').waitFor();
      await act(supervisorPage, 'assign', async (form) => {
        await form.getByTestId('case-owner-select').selectOption(agent.id);
        await form.locator('input').fill('理赔部受理，由接待客户的专员负责');
      });
      await expect.poll(() => supervisorPage.getByTestId('case-owner').textContent()).toContain(agent.employeeNo);

      // The agent (reloading the page, as one would) now handles the case.
      await page.reload();
      await expect.poll(() => page.getByTestId('case-owner').textContent(), { timeout: 15_000 }).toContain(agent.employeeNo);
      await act(page, 'startInvestigation', async (form) => {
        await form.locator('select').nth(1).selectOption(agent.id);
        await form.getByLabel('调阅单证资料').check();
        await form.getByLabel('核查系统记录').check();
      });
      await act(page, 'addNote', async (form) => {
        await form.locator('textarea').fill('调取理赔系统记录：材料齐全，审核岗积压两个月未处理。');
      });
      await act(page, 'recordAnalysis', async (form) => {
        await form.locator('select').first().selectOption('business_process');
        await form.locator('input').fill('审核岗人手不足导致积压');
        await form.locator('textarea').fill('个案，客户等待理赔款三个月');
      });
      await expect.poll(() => page.getByTestId('case-root-cause').textContent()).toContain('业务流程');

      // A 20 000 yuan compensation: above the agents' band, so the supervisor approves it.
      await act(page, 'requestCompensation', async (form) => {
        await form.locator('input[type=number]').fill('20000');
        await form.locator('input').nth(1).fill('延误赔付的利息损失及交通费用');
      });
      await page.getByTestId('case-compensation').waitFor();
      expect(await page.getByTestId('case-compensation').textContent()).toContain('部门负责人审批');
      expect(await page.getByTestId('case-compensation').getByRole('button', { name: '批准', exact: true }).count()).toBe(0); // never whoever asked
      expect(await page.getByTestId('case-action-giveFeedback').count()).toBe(0); // not while a compensation awaits a decision
      await supervisorPage.reload();
      const pending = supervisorPage.getByTestId('case-compensation');
      await pending.getByRole('button', { name: '批准', exact: true }).click();
      await expect.poll(() => pending.textContent()).toContain('已批准');
      await saveScreenshot(supervisorPage, 'agent-journey-4-supervisor-approved');

      // Feedback to the customer by chat: it reaches the customer's conversation.
      await page.reload();
      await expect.poll(() => page.getByTestId('case-compensation').textContent(), { timeout: 15_000 }).toContain('已批准');
      const findings = '经核查，您的理赔材料齐全，因审核岗积压导致延误。';
      const decision = '三个工作日内支付理赔款，并补偿2万元。';
      const beforeFeedback = session.transcript.length;
      await act(page, 'giveFeedback', async (form) => {
        expect(await form.getByTestId('case-feedback-method').inputValue()).toBe('chat');
        const boxes = form.locator('textarea');
        await boxes.nth(0).fill(findings);
        await boxes.nth(1).fill(decision);
      });
      const feedback = await connector.waitForActivities(session.conversationId, beforeFeedback + 1, 10_000);
      const feedbackText = texts(feedback.slice(beforeFeedback));
      expect(feedbackText).toContain(findings);
      expect(feedbackText).toContain(decision);
      expect(feedbackText).toContain(number);
      await saveScreenshot(page, 'agent-journey-5-resolved');

      // Close.
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByTestId('case-close').click();
      await page.locator('[data-testid=case-actions] p.success').waitFor();
      await expect.poll(() => page.locator('h1 .status').textContent(), { timeout: 15_000 }).toBe('已结案');
      await page.locator('[data-testid=events] li[data-type="handoff.accepted"]').waitFor();
      await saveScreenshot(page, 'agent-journey-6-closed');

      // 5. Every step on record, in order (events by id: the order they were recorded).
      const events = await db.complaintEvent.findMany({ where: { complaintId: complaint.id }, orderBy: { id: 'asc' }, select: { type: true, actorId: true, payload: true } });
      const types = events.map((e) => e.type);
      const expected = [
        'complaint.received', 'handoff.requested', 'handoff.accepted', 'handoff.message', 'handoff.released', 'case.owner_assigned',
        'investigation.started', 'investigation.note_added', 'analysis.recorded', 'compensation.requested', 'compensation.approved', 'feedback.given',
      ];
      let at = -1;
      for (const type of expected) {
        const found = types.indexOf(type, at + 1);
        expect(found, `${type} after position ${at} in ${types.join(', ')}`).toBeGreaterThan(at);
        at = found;
      }
      const statusChanges = events.filter((e) => e.type === 'status.changed').map((e) => (e.payload as { to: string }).to);
      expect(statusChanges).toEqual(['acknowledged', 'assigned', 'investigating', 'resolved', 'closed']);
      expect(types.lastIndexOf('status.changed')).toBeGreaterThan(types.indexOf('feedback.given'));
      const byWhom = (type: string) => events.filter((e) => e.type === type).map((e) => e.actorId);
      expect(byWhom('handoff.accepted')).toEqual([agent.id]);
      expect(byWhom('handoff.message')).toEqual([agent.id]);
      expect(byWhom('case.owner_assigned')).toEqual([supervisor.id]);
      expect(byWhom('compensation.approved')).toEqual([supervisor.id]);
      expect(byWhom('feedback.given')).toEqual([agent.id]);

      // The transcript endpoint has the exchange, in order.
      const transcript = await page.evaluate(async (n) => (await (await fetch(`/api/v1/complaints/${n}/transcript`)).json()) as { messages: { actorType: string; text: string }[] }, number);
      const said = transcript.messages.map((m) => `${m.actorType}: ${m.text}`);
      const exchange = [`customer: 转人工`, `customer: ${question}`, `staff: ${reply}`, `customer: ${answer}`];
      let from = -1;
      for (const line of exchange) {
        const found = said.findIndex((s, i) => i > from && s === line);
        expect(found, `${line} in ${said.join(' | ')}`).toBeGreaterThan(from);
        from = found;
      }
      // The answer sent by chat is in the conversation too (sent through the bot; feedback.given names the agent).
      expect(said.some((s) => !s.startsWith('customer: ') && s.includes(findings) && s.includes(decision))).toBe(true);

      // 6. Anonymous: a fresh context shows the sign-in page, and the API answers 401.
      const anonymous = await (await newContext()).newPage();
      await anonymous.goto(`${consoleSide.baseUrl}/console/`);
      await anonymous.getByTestId('sign-in-form').waitFor();
      expect(await anonymous.evaluate(async () => (await fetch('/api/v1/complaints')).status)).toBe(401);
      expect(await callFromPage(anonymous, 'POST', `/api/v1/complaints/${number}/notes`, { text: '匿名' })).toBe(401);
      await anonymous.goto(`${consoleSide.baseUrl}/console/live.html`);
      await anonymous.getByText('请先登录工作台').waitFor();
      await saveScreenshot(anonymous, 'agent-journey-7-anonymous');

      // Wrong role: the supervision department reads the complaint but gets no buttons, and a write is 403.
      const readerPage = await (await newContext()).newPage();
      await readerPage.goto(`${consoleSide.baseUrl}/console/#/complaints/${number}`);
      await signInOnPage(readerPage, supervision);
      await readerPage.getByTestId('complaint-page').waitFor();
      await readerPage.getByTestId('case-actions').waitFor();
      expect(await readerPage.textContent('body')).toContain('只读');
      expect(await readerPage.locator('[data-testid^="case-action-"]').count()).toBe(0);
      expect(await readerPage.getByTestId('case-close').count()).toBe(0);
      expect(await readerPage.getByTestId('tier-override').count()).toBe(0);
      expect(await callFromPage(readerPage, 'POST', `/api/v1/complaints/${earlier.number}/notes`, { text: '监督部门不能写' })).toBe(403);
      expect(await callFromPage(readerPage, 'POST', `/api/v1/complaints/${earlier.number}/takeover`)).toBe(403);
      await saveScreenshot(readerPage, 'agent-journey-8-supervision-read-only');

      // The console asks who is signed in before the sign-in page: those 401s are expected; nothing else broke.
      // Chromium asks live.html for /favicon.ico by itself (that page names no icon); nothing else may be missing.
      expect(missing.filter((path) => path !== '/favicon.ico')).toEqual([]);
      expect(problems.filter((p) => !p.includes('401') && !p.includes('403') && !p.includes('404'))).toEqual([]);
      expect(supervisorProblems.filter((p) => !p.includes('401'))).toEqual([]);
    } catch (err) {
      await saveScreenshot(page, 'agent-journey-failure').catch(() => {});
      throw new Error(`${(err as Error).message}\npage problems: ${problems.join(' | ')}`, { cause: err });
    } finally {
      for (const context of contexts) await context.close();
    }
  });
});
