// The survey in the customer's own chat, end to end over /api/messages with the local connector: a
// complaint filed in chat, feedback by chat through the staff API, the survey arriving in the same
// conversation after the (shortened) delay; 满意 closes the complaint, 不满意 reopens it with a
// different, higher-level owner, a later feedback deadline and an alert to the supervisor, and the
// loop goes round again; an English customer answers with a button; 申请复核 inside and after the
// review window.
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatSession, fileZhComplaint, newZhComplaint, numberIn, randomEnglishName, randomId, randomMobileTyped, turnChoices, turnText } from '../support/e2e';
import { tokenFor } from '../case-handling/case-support';
import { eventTypes, handleToFeedback, startSurveyBench, waitUntil, type SurveyBench } from './survey-support';

let bench: SurveyBench;
beforeAll(async () => {
  bench = await startSurveyBench();
}, 30_000);
afterAll(async () => {
  await bench?.close();
});

async function zhCustomerWithFeedback(): Promise<{ session: ChatSession; conversationId: string; number: string; id: string; survey: Partial<Activity> }> {
  const conversationId = randomId('conv');
  const session = new ChatSession({ botUrl: bench.running.botUrl, connector: bench.connector, userId: randomId('u'), conversationId, userName: '客户' });
  await session.start();
  const turns = await fileZhComplaint((t) => session.say(t), newZhComplaint());
  const number = numberIn(turnText(turns.at(-1)!));
  const { id } = await bench.db.complaint.findUniqueOrThrow({ where: { number }, select: { id: true } });
  const before = bench.connector.activities(conversationId).length;
  await handleToFeedback(bench, number, { ownerId: bench.team.agent.id });
  // The feedback, then — a second later (24 h scaled) — the survey, in the same conversation.
  const received = await bench.connector.waitForActivities(conversationId, before + 2, 6_000);
  // The row moves to `sent` right after the message went out.
  await waitUntil(() => bench.db.satisfactionSurvey.findFirst({ where: { complaintId: id, status: 'sent' } }));
  return { session, conversationId, number, id, survey: received.at(-1)! };
}

describe('satisfaction survey in chat', () => {
  it('满意 closes the complaint; the comment is kept in the survey row; a review inside the window reopens it, after the window it is explained', async () => {
    const { session, number, id, survey } = await zhCustomerWithFeedback();
    expect(survey.text).toContain(number);
    expect(survey.text).toContain('是否满意');
    expect(turnChoices([survey])).toEqual(['1 非常不满意', '2 不满意', '3 一般', '4 满意', '5 非常满意']);
    const row = await bench.db.satisfactionSurvey.findFirstOrThrow({ where: { complaintId: id } });
    expect(row).toMatchObject({ cycle: 0, method: 'chat', status: 'sent' });

    const answered = turnText(await session.say('满意'));
    expect(answered).toContain('已办结');
    expect(answered).toContain('跳过');
    expect((await bench.db.complaint.findUniqueOrThrow({ where: { id }, select: { status: true } })).status).toBe('closed');
    expect(turnText(await session.say('处理很及时，谢谢'))).toContain('已记录您的意见');
    expect(await bench.db.satisfactionSurvey.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'answered', satisfied: true, rating: null, comment: '处理很及时，谢谢' });
    const answeredEvent = await bench.db.complaintEvent.findFirstOrThrow({ where: { complaintId: id, type: 'survey.answered' } });
    expect(answeredEvent.payload).toMatchObject({ satisfied: true, rating: null, commented: false });
    expect(JSON.stringify(answeredEvent.payload)).not.toContain('处理很及时');
    expect(await eventTypes(bench.db, id, 'survey.')).toEqual(['survey.scheduled', 'survey.sent', 'survey.answered']);
    const closing = await bench.db.complaintEvent.findFirstOrThrow({ where: { complaintId: id, type: 'status.changed', payload: { path: ['to'], equals: 'closed' } } });
    expect(closing).toMatchObject({ actorType: 'system', payload: { reason: 'customer_satisfied' } });

    // Not a survey answer any more: the ordinary menu answers.
    expect(turnText(await session.say('查询进度'))).not.toContain('已办结');

    // After the window (the answer 31 days ago): explained, nothing changes.
    await bench.db.satisfactionSurvey.update({ where: { id: row.id }, data: { feedbackAt: new Date(Date.now() - 31 * 86_400_000) } });
    expect(turnText(await session.say(`申请复核 ${number}`))).toContain('期限（答复后 30 日内）已过');
    expect((await bench.db.complaint.findUniqueOrThrow({ where: { id }, select: { status: true } })).status).toBe('closed');
    // Within the window: reopened as a review, to someone above the agent.
    await bench.db.satisfactionSurvey.update({ where: { id: row.id }, data: { feedbackAt: new Date() } });
    expect(turnText(await session.say('我要复核'))).toContain('已收到您的复核申请');
    const reviewed = await bench.db.complaint.findUniqueOrThrow({ where: { id }, select: { status: true, reopenCount: true, owner: { select: { id: true, role: true } } } });
    expect(reviewed).toMatchObject({ status: 'assigned', reopenCount: 1, owner: { role: 'supervisor' } });
    expect(reviewed.owner!.id).not.toBe(bench.team.agent.id);
    const reopening = await bench.db.complaintEvent.findFirstOrThrow({ where: { complaintId: id, type: 'status.changed', payload: { path: ['to'], equals: 'reopened' } } });
    expect(reopening.payload).toMatchObject({ reason: 'review_requested', review: true });
    // The status check (still waiting for a number since 查询进度) shows the round of handling.
    expect(turnText(await session.say(number))).toContain('已重新处理 1 次');
  }, 40_000);

  it('不满意 reopens it: a different, higher-level owner, a later feedback deadline, the supervisor alerted; the next feedback brings survey cycle 1', async () => {
    const { session, number, id } = await zhCustomerWithFeedback();
    // As if accepted ten days ago (a reopening the same day would count the same window again).
    const original = await bench.db.complaintDeadline.findUniqueOrThrow({ where: { complaintId_kind: { complaintId: id, kind: 'feedback' } } });
    const before = await bench.db.complaintDeadline.update({ where: { id: original.id }, data: { dueAt: new Date(original.dueAt.getTime() - 10 * 86_400_000) } });
    expect(before.metAt).not.toBeNull();

    // Something else while the survey waits: not swallowed — the status check asks for a number, the survey stays open.
    expect(turnText(await session.say('查询进度'))).toContain('投诉编号');
    expect((await bench.db.satisfactionSurvey.findFirstOrThrow({ where: { complaintId: id } })).status).toBe('sent');
    const reply = turnText(await session.say('不满意'));
    expect(reply).toContain('已重新受理');
    expect(reply).toContain('更高级别');
    const complaint = await bench.db.complaint.findUniqueOrThrow({ where: { id }, select: { status: true, reopenCount: true, ownerStaffId: true, owner: { select: { role: true, departmentId: true } } } });
    expect(complaint).toMatchObject({ status: 'assigned', reopenCount: 1, owner: { role: 'supervisor' } });
    expect(complaint.ownerStaffId).not.toBe(bench.team.agent.id);
    const after = await bench.db.complaintDeadline.findUniqueOrThrow({ where: { complaintId_kind: { complaintId: id, kind: 'feedback' } } });
    expect(after.metAt).toBeNull();
    expect(after.dueAt.getTime()).toBeGreaterThan(before.dueAt.getTime());
    // The clock restarted at the reopening, so a later recompute (tier change, extension) keeps the new date.
    const set = await bench.db.complaintEvent.findFirstOrThrow({ where: { complaintId: id, type: 'deadlines.set' }, orderBy: { id: 'desc' } });
    expect(set.payload).toMatchObject({ basis: expect.stringContaining('reopened (customer_dissatisfied)'), feedback: after.dueAt.toISOString() });
    const alerts = await bench.db.alert.findMany({ where: { complaintId: id, kind: 'survey.dissatisfied' }, select: { recipientRole: true, recipientStaffId: true } });
    expect(alerts.map((a) => a.recipientStaffId)).toContain(bench.team.supervisor.id);
    expect(alerts.every((a) => a.recipientRole === 'supervisor')).toBe(true);
    const answered = await bench.db.complaintEvent.findFirstOrThrow({ where: { complaintId: id, type: 'survey.answered' } });
    expect(answered.payload).toMatchObject({ satisfied: false, rating: null });
    expect(turnText(await session.say('跳过'))).toContain('谢谢');

    // Console/API: the rounds and the reopen count.
    const state = await fetch(`${bench.running.baseUrl}/api/v1/complaints/${number}/survey`, { headers: { authorization: `Bearer ${bench.team.supervision.token}` } });
    expect(await state.json()).toMatchObject({ number, reopenCount: 1, surveys: [{ cycle: 0, status: 'answered', satisfied: false }] });

    // The loop: the new owner handles it again and gives feedback; the next survey is cycle 1.
    const newOwner = complaint.ownerStaffId!;
    const base = bench.running.baseUrl;
    const inv = await fetch(`${base}/api/v1/complaints/${number}/investigation`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(newOwner)}` },
      body: JSON.stringify({ investigatorId: newOwner, methods: ['document_review'] }),
    });
    expect(inv.status).toBe(200);
    const fb = await fetch(`${base}/api/v1/complaints/${number}/feedback`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(newOwner)}` },
      body: JSON.stringify({ method: 'chat', findings: '复核后确认延误属实。', decision: '追加补偿500元。' }),
    });
    expect(fb.status).toBe(200);
    const second = await waitUntil(() => bench.db.satisfactionSurvey.findFirst({ where: { complaintId: id, cycle: 1, status: 'sent' } }));
    expect(second.method).toBe('chat');
    const reply2 = turnText(await session.say('5分'));
    expect(reply2).toContain('已办结');
    expect(await bench.db.satisfactionSurvey.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ rating: 5, satisfied: true });
  }, 40_000);

  it('English: the survey in English, a rating button recorded for that survey, skip declines the comment', async () => {
    const conversationId = randomId('conv');
    const session = new ChatSession({ botUrl: bench.running.botUrl, connector: bench.connector, userId: randomId('u'), conversationId, locale: 'en-US' });
    await session.start();
    const answers = ['File a complaint', 'Agree', 'Insurance', 'Claims dispute', 'My car insurance claim has had no answer for three months.', 'skip', 'skip', 'none', randomEnglishName(), randomMobileTyped().typed, 'skip', 'Phone', 'Submit'];
    let replies: Partial<Activity>[] = [];
    for (const answer of answers) replies = await session.say(answer);
    const number = numberIn(turnText(replies));
    const before = bench.connector.activities(conversationId).length;
    await handleToFeedback(bench, number, { ownerId: bench.team.agent2.id });
    const survey = (await bench.connector.waitForActivities(conversationId, before + 2, 6_000)).at(-1)!;
    await waitUntil(() => bench.db.satisfactionSurvey.findFirst({ where: { complaint: { number }, status: 'sent' } }));
    expect(survey.text).toContain(`complaint ${number}`);
    expect(turnChoices([survey])).toEqual(['1 Very dissatisfied', '2 Dissatisfied', '3 Neutral', '4 Satisfied', '5 Very satisfied']);
    const button = survey.suggestedActions!.actions[4]!;
    const clicked = turnText(await session.say(String(button.text), { value: button.value }));
    expect(clicked).toContain(`Complaint ${number} is now closed`);
    expect(clicked).toContain('"skip"');
    expect(turnText(await session.say('skip'))).toContain('thank you');
    const row = await bench.db.satisfactionSurvey.findFirstOrThrow({ where: { complaint: { number } } });
    expect(row).toMatchObject({ locale: 'en-US', status: 'answered', rating: 5, satisfied: true, comment: null });
  }, 40_000);
});
