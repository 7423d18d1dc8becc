// Surveys off the chat and the survey's timers on the real Redis, windows shortened (24 h → 1 s):
// a hotline complaint with an e-mail address gets the survey link by e-mail (SMTP stand-in) and is
// answered once through the page's public endpoint; unanswered, one reminder comes and at expiry the
// survey is no response and the complaint closed as concluded; a lost job is found by the
// reconciler and two workers send once; without e-mail or SMS an agent records the callback.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor } from '../case-handling/case-support';
import { testConfig } from '../support/app';
import { createLogger } from '../../services/logger';
import { startConfiguredSurveyRuntime } from '../../bot/survey-runtime-wiring';
import { surveyJobId } from '../../services/survey/survey-runtime';
import { eventTypes, handleToFeedback, startSurveyBench, TIME_SCALE, waitUntil, type SurveyBench } from './survey-support';

let bench: SurveyBench;
beforeAll(async () => {
  bench = await startSurveyBench();
}, 30_000);
afterAll(async () => {
  await bench?.close();
});

/** A complaint taken on the hotline by an agent (no chat), with or without an e-mail address. */
async function hotlineComplaint(email: string | null): Promise<{ number: string; id: string }> {
  const filed = await call(bench.running.baseUrl, 'POST', '/api/v1/complaints', bench.team.agent.token, {
    channel: 'hotline', businessLine: 'insurance', type: 'claims_dispute', description: '车险理赔申请提交一个月还没有处理，请尽快处理',
    name: '测试客户', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, ...(email ? { email } : {}),
    feedbackMethod: email ? 'email' : 'phone', privacyNoticeGiven: true, submissionId: randomUUID(),
  });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const number = String(filed.body.number);
  const { id } = await bench.db.complaint.findUniqueOrThrow({ where: { number }, select: { id: true } });
  return { number, id };
}

const mailbox = () => `cust.${randomBytes(4).toString('hex')}@example.com`;
const mailsTo = (address: string) => bench.smtp.messages.filter((m) => m.envelopeTo.includes(address));

describe('survey by e-mail link', () => {
  it('the link opens the page; one answer through the endpoint closes the complaint; a second is refused', async () => {
    const email = mailbox();
    const { number, id } = await hotlineComplaint(email);
    await handleToFeedback(bench, number, { ownerId: bench.team.agent.id, method: 'email' });
    const [mail] = await waitUntil(async () => mailsTo(email).length >= 1 && mailsTo(email));
    expect(mail!.subject).toContain(number);
    const link = /(http\S+\/survey\/([A-Za-z0-9_-]+))/.exec(mail!.text);
    expect(link, mail!.text).not.toBeNull();
    const token = link![2]!;
    const row = await waitUntil(() => bench.db.satisfactionSurvey.findFirst({ where: { complaintId: id, status: 'sent' } }));
    expect(row).toMatchObject({ method: 'email', cycle: 0 });
    expect(row.linkTokenHash).not.toBe(token);
    expect(row.linkTokenHash).toMatch(/^[0-9a-f]{64}$/);

    const base = bench.running.baseUrl;
    const page = await fetch(`${base}/survey/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('/survey-assets/survey.js');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect((await fetch(`${base}/survey-assets/survey.js`)).status).toBe(200);
    expect(await (await fetch(`${base}/api/survey/${token}`)).json()).toEqual({ state: 'open', number, locale: 'zh-CN' });
    expect((await fetch(`${base}/api/survey/${'x'.repeat(43)}`)).status).toBe(404);

    const post = (body: unknown) => fetch(`${base}/api/survey/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ rating: 7 })).status).toBe(400);
    const answered = await post({ rating: 4, comment: '电话沟通很耐心' });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ number, outcome: 'closed' });
    expect((await post({ rating: 1 })).status).toBe(409);
    expect(await (await fetch(`${base}/api/survey/${token}`)).json()).toMatchObject({ state: 'answered' });
    expect(await bench.db.satisfactionSurvey.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'answered', rating: 4, satisfied: true, comment: '电话沟通很耐心' });
    expect((await bench.db.complaint.findUniqueOrThrow({ where: { id }, select: { status: true } })).status).toBe('closed');
  }, 30_000);
});

describe('survey timers on Redis', () => {
  it('unanswered: one reminder, then no response at expiry and the complaint closed as concluded without response', async () => {
    const email = mailbox();
    const { number, id } = await hotlineComplaint(email);
    await handleToFeedback(bench, number, { ownerId: bench.team.agent2.id, method: 'email' });
    const mails = await waitUntil(async () => mailsTo(email).length >= 2 && mailsTo(email), 6_000);
    expect(mails[1]!.subject).toContain('提醒');
    const expired = await waitUntil(() => bench.db.satisfactionSurvey.findFirst({ where: { complaintId: id, status: 'no_response' } }), 10_000);
    expect(expired.remindedAt).not.toBeNull();
    expect(await eventTypes(bench.db, id, 'survey.')).toEqual(['survey.scheduled', 'survey.sent', 'survey.reminded', 'survey.no_response']);
    const closing = await bench.db.complaintEvent.findFirstOrThrow({ where: { complaintId: id, type: 'status.changed', payload: { path: ['to'], equals: 'closed' } } });
    expect(closing).toMatchObject({ actorType: 'system', payload: { reason: 'concluded_without_response' } });
    expect(mailsTo(email)).toHaveLength(2);
  }, 30_000);

  it('a lost job is found by the reconciler, and two workers reconciling at once send once', async () => {
    const email = mailbox();
    const { number, id } = await hotlineComplaint(email);
    await handleToFeedback(bench, number, { ownerId: bench.team.agent3.id, method: 'email' });
    const survey = await bench.db.satisfactionSurvey.findFirstOrThrow({ where: { complaintId: id } });
    // Redis lost the survey's jobs (flushed, or a worker died holding them).
    for (const step of ['send', 'remind', 'expire'] as const) await bench.surveys.queue.remove(surveyJobId(survey.id, step));
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(mailsTo(email)).toHaveLength(0);
    expect((await bench.db.satisfactionSurvey.findUniqueOrThrow({ where: { id: survey.id } })).status).toBe('scheduled');

    const second = await startConfiguredSurveyRuntime({
      config: testConfig({ SURVEY_TIME_SCALE: String(TIME_SCALE), SMTP_URL: bench.smtp.url, ALERT_MAIL_FROM: 'complaints@example.com' }),
      db: bench.db, log: createLogger({ level: 'silent' }), channels: bench.running.app.channels, clock: () => new Date(),
      overrides: { queueName: bench.queueName, runWorker: false, reconcileEveryMs: 600_000 },
    });
    try {
      const results = await Promise.all([bench.surveys.reconcileNow(), second.reconcileNow()]);
      expect(results.reduce((n, r) => n + r.acted, 0)).toBe(1);
    } finally {
      await second.close();
    }
    await waitUntil(async () => mailsTo(email).length >= 1);
    expect(mailsTo(email)).toHaveLength(1);
    expect(await eventTypes(bench.db, id, 'survey.sent')).toEqual(['survey.sent']);
    // The reconciler gave the row its remaining jobs back.
    expect(await bench.surveys.queue.getJob(surveyJobId(survey.id, 'expire'))).toBeTruthy();
  }, 30_000);
});

describe('survey by callback', () => {
  it('no e-mail and no SMS gateway: an agent records the callback result; supervision may not', async () => {
    const { number, id } = await hotlineComplaint(null);
    await handleToFeedback(bench, number, { ownerId: bench.team.agent.id, method: 'phone' });
    await waitUntil(() => bench.db.satisfactionSurvey.findFirst({ where: { complaintId: id, method: 'callback', status: 'sent' } }));
    const base = bench.running.baseUrl;
    const at = `/api/v1/complaints/${number}/survey`;
    expect((await call(base, 'POST', at, bench.team.supervision.token, { rating: 2 })).status).toBe(403);
    expect((await call(base, 'POST', at, bench.team.agent.token, { rating: 9 })).status).toBe(400);
    const recorded = await call(base, 'POST', at, bench.team.agent.token, { rating: 2, comment: '客户认为赔付金额偏低' });
    expect(recorded).toMatchObject({ status: 200, body: { number, outcome: 'reopened' } });
    const complaint = await bench.db.complaint.findUniqueOrThrow({ where: { id }, select: { status: true, owner: { select: { id: true, role: true } } } });
    expect(complaint).toMatchObject({ status: 'assigned', owner: { role: 'supervisor' } });
    expect(await bench.db.satisfactionSurvey.findFirstOrThrow({ where: { complaintId: id } })).toMatchObject({ status: 'answered', rating: 2, answeredByStaffId: bench.team.agent.id });
    const read = await call(base, 'GET', at, tokenFor(bench.team.supervision.id));
    expect(read).toMatchObject({ status: 200, body: { reopenCount: 1, surveys: [{ method: 'callback', status: 'answered', rating: 2 }] } });
  }, 30_000);
});
