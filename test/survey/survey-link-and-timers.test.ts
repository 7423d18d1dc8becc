// Surveys off the chat and the survey's timers on the real Redis, windows shortened (24 h → 1 s):
// a hotline complaint with an e-mail address gets the survey link by e-mail (SMTP stand-in) and is
// answered once through the page's public endpoint; unanswered, one reminder comes and at expiry the
// survey is no response and the complaint closed as concluded; a lost job is found by the
// reconciler and two workers send once; without e-mail or SMS an agent records the callback;
// WeChat's 48-hour window (errcode 45015) falls back to the e-mail link; the SMS gateway client signs
// its requests.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, tokenFor } from '../case-handling/case-support';
import { testConfig } from '../support/app';
import { createLogger } from '../../services/logger';
import { registerWorkerChannels, startConfiguredSurveyRuntime } from '../../bot/survey-runtime-wiring';
import { ActivityLog } from '../../bot/channels/directline/activity-log';
import { DIRECTLINE_CHANNEL_ID } from '../../bot/channels/directline';
import { surveyJobId } from '../../services/survey/survey-runtime';
import { WechatApiStandIn } from '../support/wechat-api-stand-in';
import { WechatApi } from '../../bot/channels/wechat/wechat-api';
import { WechatAdapter } from '../../bot/channels/wechat/wechat-adapter';
import { ChannelRouter } from '../../bot/channel-router';
import { surveyChatSender } from '../../bot/survey-chat-sender';
import { ChatWindowClosedError } from '../../services/survey/survey-sender';
import { runSendStep } from '../../services/survey/run-survey-step';
import { createSmsSender, createSurveyMailSender, signSmsRequest } from '../../services/survey/link-senders';
import { eventTypes, handleToFeedback, startSurveyBench, TIME_SCALE, waitUntil, type SurveyBench } from './survey-support';

const APP_ID = `wx${randomBytes(8).toString('hex')}`;
let bench: SurveyBench;
let wechat: WechatApiStandIn;
beforeAll(async () => {
  [bench, wechat] = await Promise.all([startSurveyBench(), WechatApiStandIn.start({ appId: APP_ID, appSecret: 'secret' })]);
}, 30_000);
afterAll(async () => {
  await Promise.all([bench?.close(), wechat?.close()]);
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
    // The worker is held while the jobs are lost, so a slow machine cannot run the send (due after
    // 1 s) before the test removes it.
    await bench.surveys.worker!.pause(true);
    await handleToFeedback(bench, number, { ownerId: bench.team.agent3.id, method: 'email' });
    const survey = await bench.db.satisfactionSurvey.findFirstOrThrow({ where: { complaintId: id } });
    // Redis lost the survey's jobs (flushed, or a worker died holding them).
    for (const step of ['send', 'remind', 'expire'] as const) expect(await bench.surveys.queue.remove(surveyJobId(survey.id, step))).toBe(1);
    bench.surveys.worker!.resume();
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

describe('survey over WeChat outside the 48-hour window', () => {
  it('45015 → ChatWindowClosedError; the survey falls back to the e-mail link and says so', async () => {
    const log = createLogger({ level: 'silent' });
    const adapter = new WechatAdapter({ api: new WechatApi({ apiBase: wechat.baseUrl, appId: APP_ID, appSecret: 'secret', redis: bench.running.app.redis, log }), db: bench.db, log, appId: APP_ID });
    const router = new ChannelRouter(bench.running.app.adapter, '');
    router.register('wechat', adapter);
    const openId = `o${randomBytes(10).toString('hex')}`;
    const follower = await bench.db.wechatUser.create({ data: { appId: APP_ID, openId }, select: { id: true } });
    wechat.windowClosedFor.add(openId);

    // A complaint with a WeChat conversation and an e-mail address, its survey due now.
    const email = `cust.${randomBytes(4).toString('hex')}@example.com`;
    const filed = await call(bench.running.baseUrl, 'POST', '/api/v1/complaints', bench.team.agent.token, {
      channel: 'hotline', businessLine: 'insurance', type: 'claims_dispute', description: '车险理赔申请提交一个月还没有处理，请尽快处理',
      name: '测试客户', phone: '13912345678', email, feedbackMethod: 'email', privacyNoticeGiven: true, submissionId: randomUUID(),
    });
    const complaint = await bench.db.complaint.findUniqueOrThrow({ where: { number: String(filed.body.number) }, select: { id: true } });
    const reference = JSON.parse(JSON.stringify(adapter.conversationOf(follower.id)));
    await bench.db.conversationReference.create({ data: { complaintId: complaint.id, channelId: 'wechat', conversationId: follower.id, serviceUrl: reference.serviceUrl, reference } });
    const now = Date.now();
    const survey = await bench.db.satisfactionSurvey.create({
      data: { complaintId: complaint.id, cycle: 0, method: 'chat', feedbackAt: new Date(now - 1000), sendAt: new Date(now - 500), remindAt: new Date(now + 60_000), expiresAt: new Date(now + 120_000) },
    });

    const chat = surveyChatSender(router);
    await expect(chat(reference, { surveyId: survey.id, number: String(filed.body.number), locale: 'zh-CN', step: 'send' })).rejects.toBeInstanceOf(ChatWindowClosedError);

    const mail = createSurveyMailSender({ smtpUrl: bench.smtp.url, from: 'complaints@example.com' });
    try {
      const outcome = await runSendStep(
        { db: bench.db, log, senders: { chat, email: mail.send }, linkSecret: 'test-link-secret', publicBaseUrl: 'https://complaints.example.com', clock: () => new Date() },
        survey.id, 'send',
      );
      expect(outcome).toBe('fell_back');
    } finally {
      mail.close();
    }
    const [message] = await waitUntil(async () => bench.smtp.messages.filter((m) => m.envelopeTo.includes(email)).length > 0 && bench.smtp.messages.filter((m) => m.envelopeTo.includes(email)));
    expect(message!.text).toMatch(/https:\/\/complaints\.example\.com\/survey\/[A-Za-z0-9_-]{40,}/);
    expect(await bench.db.satisfactionSurvey.findUniqueOrThrow({ where: { id: survey.id } })).toMatchObject({ status: 'sent', method: 'email' });
    expect(await eventTypes(bench.db, complaint.id, 'survey.')).toEqual(['survey.chat_refused', 'survey.sent']);
    const sent = await bench.db.complaintEvent.findFirstOrThrow({ where: { complaintId: complaint.id, type: 'survey.sent' } });
    expect(sent.payload).toMatchObject({ method: 'email', fallbackFrom: 'chat', fallbackCause: 'wechat_45015' });
    expect(wechat.received.filter((m) => m.touser === openId)).toHaveLength(0);
  }, 30_000);
});

describe('survey link by SMS', () => {
  it('posts the signed message to the configured gateway; a refusal is an error the job retries', async () => {
    const http = await import('node:http');
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    let refuse = false;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(refuse ? 503 : 200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/sms`;
    try {
      const send = createSmsSender({ url, key: 'gateway-key' });
      await send('13912345678', { surveyId: randomUUID(), number: 'TS20261128-000001', locale: 'zh-CN', step: 'send', link: 'https://c.example.com/survey/abc' });
      const [{ headers, body }] = received as [(typeof received)[0]];
      expect(JSON.parse(body)).toMatchObject({ to: '13912345678', text: expect.stringContaining('https://c.example.com/survey/abc') });
      expect(headers['x-signature']).toBe(signSmsRequest('gateway-key', String(headers['x-timestamp']), String(headers['x-nonce']), body));
      refuse = true;
      await expect(send('13912345678', { surveyId: randomUUID(), number: 'TS20261128-000001', locale: 'en-US', step: 'remind', link: 'https://x' })).rejects.toThrow(/http_503/);
    } finally {
      server.close();
    }
  });
});

describe('npm run worker reaches our own channels', () => {
  it('a survey sent by the worker into a self-hosted Direct Line conversation lands in its activity log with the buttons', async () => {
    const log = createLogger({ level: 'silent' });
    const config = testConfig();
    const router = new ChannelRouter(bench.running.app.adapter, '');
    registerWorkerChannels(router, { config, db: bench.db, redis: bench.running.app.redis, log, clock: () => new Date() });
    const activityLog = new ActivityLog({ db: bench.db, redis: bench.running.app.redis, log });
    const conversation = await activityLog.createConversation('zh-CN');
    const reference = {
      channelId: DIRECTLINE_CHANNEL_ID, serviceUrl: bench.running.baseUrl, conversation: { id: conversation.id },
      user: { id: conversation.userId, role: 'user' }, bot: { id: 'complaint-bot', role: 'bot' },
    };
    const surveyId = randomUUID();
    await surveyChatSender(router)(reference, { surveyId, number: 'TS20261128-000007', locale: 'zh-CN', step: 'remind' });
    const { activities } = await activityLog.readAfter(conversation.id, 0);
    const sent = activities.at(-1)! as { text?: string; suggestedActions?: { actions: { value: unknown }[] } };
    expect(sent.text).toContain('【提醒】');
    expect(sent.suggestedActions!.actions.map((a) => a.value)).toEqual([1, 2, 3, 4, 5].map((rating) => ({ surveyAnswer: { surveyId, rating } })));
  });
});
