// The case panel (web/console/case-actions.js) in headless Chromium, as a supervisor uses it: sign in,
// open a complaint, assign it to an agent, start the investigation, write a note, upload a photo,
// record the root cause, answer the customer by a recorded phone call and close — each step through
// the panel's own forms, each on record. Screenshots go to test-output/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { setStaffPassword } from '../../services/staff/set-staff-password';
import { startApp, type RunningApp } from '../support/e2e';
import { launchBrowser, saveScreenshot, watchPageProblems } from '../support/browser';
import { createStaff, eventsFrom, fileClaimsComplaint, type TestStaff } from './case-support';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PASSWORD = 'case-panel-Passw0rd!';

let running: RunningApp;
let browser: Browser;
let fileDir: string;
let supervisor: TestStaff & { employeeNo: string };
let agent: TestStaff;

beforeAll(async () => {
  fileDir = await mkdtemp(path.join(tmpdir(), 'case-browser-'));
  running = await startApp({ FILE_STORE_DIR: fileDir });
  const db = running.app.db;
  agent = await createStaff(db, 'agent', 'CLAIMS');
  const s = await createStaff(db, 'supervisor', 'CLAIMS');
  const { employeeNo } = await db.staff.findUniqueOrThrow({ where: { id: s.id }, select: { employeeNo: true } });
  await setStaffPassword({ db, employeeNo, password: PASSWORD, now: new Date() });
  supervisor = { ...s, employeeNo };
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await running?.app.close();
  await rm(fileDir, { recursive: true, force: true });
});

/** Opens an action's form, lets `fill` fill it, submits, and waits for the panel to say it was saved. */
async function act(page: Page, name: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
  const action = page.getByTestId(`case-action-${name}`);
  await action.locator('summary').click();
  const form = action.locator('form');
  await fill(form);
  await form.locator('button[type=submit]').click();
  await page.locator('[data-testid=case-actions] p.success').waitFor();
}

describe('the case panel in a browser', () => {
  it('a supervisor handles a complaint from assignment to closing', async () => {
    const db = running.app.db;
    const { id, number } = await fileClaimsComplaint(db);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems = watchPageProblems(page);
    try {
      await page.goto(`${running.baseUrl}/console/`);
      await page.getByTestId('sign-in-form').waitFor();
      await page.fill('input[name=employeeNo]', supervisor.employeeNo);
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      await page.getByTestId('queue-table').waitFor();
      await page.goto(`${running.baseUrl}/console/#/complaints/${number}`);
      const panel = page.getByTestId('case-actions');
      await panel.waitFor();
      expect(await page.getByTestId('case-owner').textContent()).toBe('未分派');

      await act(page, 'assign', async (form) => {
        await form.getByTestId('case-owner-select').selectOption(agent.id);
      });
      await expect.poll(() => page.getByTestId('case-owner').textContent()).toContain('测试agent');

      await page.getByTestId('case-action-startInvestigation').waitFor();
      await act(page, 'startInvestigation', async (form) => {
        await form.locator('select').nth(1).selectOption(agent.id);
        await form.getByLabel('调阅单证资料').check();
      });
      await page.getByTestId('case-action-recordAnalysis').waitFor();
      await act(page, 'addNote', async (form) => {
        await form.locator('textarea').fill('调取理赔档案，审核环节积压两个月。');
      });
      await act(page, 'uploadEvidence', async (form) => {
        await form.getByTestId('case-evidence-file').setInputFiles({ name: '查勘照片.png', mimeType: 'image/png', buffer: PNG });
      });
      await expect.poll(() => panel.textContent()).toContain('查勘照片.png');
      await act(page, 'recordAnalysis', async (form) => {
        await form.locator('select').first().selectOption('business_process');
        await form.locator('textarea').fill('个案，客户等待两个月');
      });
      await expect.poll(() => page.getByTestId('case-root-cause').textContent()).toContain('业务流程');
      await act(page, 'giveFeedback', async (form) => {
        await form.getByTestId('case-feedback-method').selectOption('phone');
        const boxes = form.locator('textarea');
        await boxes.nth(0).fill('理赔材料齐全，因审核积压延误。');
        await boxes.nth(1).fill('三个工作日内赔付。');
        await boxes.nth(3).fill('致电客户告知调查结论与赔付安排，客户接受。');
      });
      await saveScreenshot(page, 'case-panel-resolved');
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByTestId('case-close').click();
      await page.locator('[data-testid=case-actions] p.success').waitFor();
      await expect.poll(async () => (await db.complaint.findUniqueOrThrow({ where: { id }, select: { status: true } })).status).toBe('closed');
      await saveScreenshot(page, 'case-panel-closed');

      expect(await eventsFrom(db, id, 'case.owner_assigned')).toEqual([
        'case.owner_assigned', 'status.changed', 'deadline.met', 'investigation.started', 'status.changed', 'investigation.note_added', 'file.stored',
        'analysis.recorded', 'deadline.met', 'feedback.given', 'status.changed', 'deadline.met', 'deadline.met', 'survey.scheduled', 'status.changed',
      ]);
      const staffEvents = await db.complaintEvent.findMany({ where: { complaintId: id, actorType: 'staff' }, select: { actorId: true, channel: true } });
      expect(new Set(staffEvents.map((e) => e.actorId))).toEqual(new Set([supervisor.id]));

      // English.
      await page.getByTestId('lang-toggle').click();
      await expect.poll(() => panel.locator('h2').textContent()).toBe('Case handling');
      // (the console asks who is signed in before signing in: that 401 is expected)
      expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    } catch (err) {
      await saveScreenshot(page, 'case-panel-failure');
      throw new Error(`${(err as Error).message}\npage problems: ${problems.join(' | ')}`);
    } finally {
      await page.close();
    }
  }, 120_000);
});
