// A complaint handled to the end through the HTTP API of the real app: a customer files it in chat
// (restify → CloudAdapter → dialogs, replies to a LocalConnector); the CLAIMS supervisor assigns it;
// the owner investigates (note, evidence), records the root cause, asks for compensation, which the
// supervisor approves; a corrective action is done; the owner answers the customer by chat — the
// customer receives it in the same conversation — and closes the complaint. The events are checked
// one by one, and the feedback deadline is met. A stale action (expectedFrom) is refused with 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../../services/db/client';
import { testDb } from '../support/app';
import { ChatSession, fileZhComplaint, LocalConnector, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp } from '../support/e2e';
import { call, createTeam, eventsFrom, inDays, type Team } from './case-support';

// The smallest valid PNG (1×1 pixel).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let running: RunningApp;
let connector: LocalConnector;
let db: Database;
let team: Team;
let fileDir: string;

beforeAll(async () => {
  fileDir = await mkdtemp(path.join(tmpdir(), 'case-e2e-'));
  [running, connector] = await Promise.all([startApp({ FILE_STORE_DIR: fileDir }), LocalConnector.start()]);
  db = testDb(2);
  team = await createTeam(db);
});
afterAll(async () => {
  await running?.app.close();
  await connector?.close();
  await db?.$disconnect();
  await rm(fileDir, { recursive: true, force: true });
});

describe('a complaint handled through investigation, compensation approval and feedback to closure', () => {
  it('every step through the staff API, the answer reaches the customer in their chat, the events in order', async () => {
    const conversationId = randomId('conv');
    const session = new ChatSession({ botUrl: running.botUrl, connector, userId: randomId('u'), conversationId, userName: '客户' });
    await session.start();
    const turns = await fileZhComplaint((t) => session.say(t), newZhComplaint());
    const number = numberIn(turnText(turns.at(-1)!));
    const complaint = await db.complaint.findUniqueOrThrow({ where: { number }, select: { id: true, status: true, department: { select: { code: true } } } });
    expect(complaint).toMatchObject({ status: 'acknowledged', department: { code: 'CLAIMS' } });
    const base = running.baseUrl;
    const at = (p: string) => `/api/v1/complaints/${number}${p}`;

    // Assign (acknowledged → assigned).
    const assigned = await call(base, 'POST', at('/owner'), team.supervisor.token, { staffId: team.agent.id, expectedFrom: 'acknowledged' });
    expect(assigned).toMatchObject({ status: 200, body: { ownerStaffId: team.agent.id, previousOwnerStaffId: null, status: 'assigned', toSupervisorMet: true } });

    // A stale screen: the supervisor still sees "acknowledged" and tries to hand it to someone else.
    const stale = await call(base, 'POST', at('/owner'), team.supervisor.token, { staffId: team.agent2.id, expectedFrom: 'acknowledged' });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('is assigned, not acknowledged');
    expect((await db.complaint.findUniqueOrThrow({ where: { number }, select: { ownerStaffId: true } })).ownerStaffId).toBe(team.agent.id);

    // Investigate: start, a note, evidence.
    const started = await call(base, 'POST', at('/investigation'), team.agent.token, {
      investigatorId: team.agent.id, methods: ['call_recording_review', 'document_review'], expectedFrom: 'assigned',
    });
    expect(started).toMatchObject({ status: 200, body: { status: 'investigating', investigatorId: team.agent.id } });
    expect((await call(base, 'POST', at('/notes'), team.agent.token, { text: '调取理赔档案：查勘报告已于10月5日提交，审核环节积压。' })).status).toBe(201);
    const upload = await fetch(`${base}${at('/evidence')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${team.agent.token}`, 'content-type': 'application/octet-stream', 'x-file-type': 'image/png', 'x-file-name': encodeURIComponent('查勘照片.png') },
      body: PNG,
    });
    expect(upload.status).toBe(201);
    const evidence = (await upload.json()) as { id: string; fileName: string; size: number };
    expect(evidence).toMatchObject({ fileName: '查勘照片.png', size: PNG.length, contentType: 'image/png' });

    // Root cause and impact: the investigation deadline is met.
    const analysed = await call(base, 'POST', at('/analysis'), team.agent.token, {
      rootCause: 'business_process', rootCauseDetail: '理赔审核环节积压，未按时限处理', impactLevel: 'medium', impactAssessment: '个案，客户等待三个月，未造成额外损失',
    });
    expect(analysed).toMatchObject({ status: 200, body: { rootCause: 'business_process', investigationDeadlineMet: true } });

    // Compensation 5 000 (team-lead band): the requester may not approve it, the supervisor does.
    const requested = await call(base, 'POST', at('/compensations'), team.agent.token, { amountYuan: 5000, reason: '理赔延误补偿' });
    expect(requested).toMatchObject({ status: 201, body: { band: 'team_lead', status: 'requested' } });
    const compensationId = String(requested.body.id);
    expect((await call(base, 'POST', `/api/v1/compensations/${compensationId}/decision`, team.agent.token, { approve: true })).status).toBe(403);
    // Feedback waits for the decision.
    expect((await call(base, 'POST', at('/feedback'), team.agent.token, { method: 'chat', findings: 'x', decision: 'y' })).status).toBe(409);
    const approved = await call(base, 'POST', `/api/v1/compensations/${compensationId}/decision`, team.supervisor.token, { approve: true, note: '同意' });
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', amountYuan: 5000 } });

    // A corrective action, done by its owner.
    const action = await call(base, 'POST', at('/corrective-actions'), team.agent.token, {
      description: '理赔审核设置超期提醒', ownerStaffId: team.agent2.id, departmentCode: 'CLAIMS', dueOn: inDays(30),
    });
    expect(action).toMatchObject({ status: 201, body: { status: 'open', ownerStaffId: team.agent2.id } });
    expect((await call(base, 'POST', `/api/v1/corrective-actions/${String(action.body.id)}/done`, team.agent2.token, { note: '已上线' })).body).toMatchObject({ status: 'done', late: false });

    // Feedback by chat: the customer gets it in the conversation the complaint came from.
    const before = connector.activities(conversationId).length;
    const findings = '经核查，您的理赔材料齐全，因审核环节积压导致延误。';
    const feedback = await call(base, 'POST', at('/feedback'), team.agent.token, {
      method: 'chat', findings, decision: '我司将于3个工作日内赔付，并另行补偿5000元。', expectedFrom: 'investigating',
    });
    expect(feedback).toMatchObject({ status: 200, body: { method: 'chat', delivery: 'sent', status: 'resolved', deadlinesMet: ['feedback', 'statutory_decision'] } });
    const received = (await connector.waitForActivities(conversationId, before + 1)).at(-1)!;
    expect(received).toMatchObject({ type: 'message', conversation: { id: conversationId } });
    expect(received.text).toContain(number);
    expect(received.text).toContain(findings);
    expect(received.text).toContain('申请复核');

    // Close (resolved → closed).
    const closed = await call(base, 'POST', at('/close'), team.agent.token, { expectedFrom: 'resolved' });
    expect(closed).toMatchObject({ status: 200, body: { status: 'closed', openCorrectiveActions: 0 } });
    expect((await call(base, 'POST', at('/close'), team.agent.token, { expectedFrom: 'resolved' })).status).toBe(409);

    // The record, in order.
    expect(await eventsFrom(db, complaint.id, 'case.owner_assigned')).toEqual([
      'case.owner_assigned', 'status.changed', 'deadline.met', // → assigned; to_supervisor (the supervisor has it)
      'investigation.started', 'status.changed', // → investigating
      'investigation.note_added',
      'file.stored',
      'analysis.recorded', 'deadline.met', // investigation
      'compensation.requested', 'compensation.approved',
      'corrective_action.created', 'corrective_action.done',
      'feedback.given', 'status.changed', 'deadline.met', 'deadline.met', // → resolved; feedback, statutory decision
      'survey.scheduled', // the satisfaction survey of this answer (R-SURVEY)
      'status.changed', // → closed
    ]);
    const statusChanges = await db.complaintEvent.findMany({ where: { complaintId: complaint.id, type: 'status.changed' }, orderBy: { id: 'asc' }, select: { payload: true, actorId: true } });
    expect(statusChanges.map((e) => `${(e.payload as { from: string }).from}→${(e.payload as { to: string }).to}`)).toEqual([
      'received→acknowledged', 'acknowledged→assigned', 'assigned→investigating', 'investigating→resolved', 'resolved→closed',
    ]);
    const feedbackDeadline = await db.complaintDeadline.findUniqueOrThrow({ where: { complaintId_kind: { complaintId: complaint.id, kind: 'feedback' } } });
    expect(feedbackDeadline.metAt).not.toBeNull();

    // The whole case file as the supervision department reads it.
    const file = await call(base, 'GET', at('/case'), team.supervision.token);
    expect(file.body).toMatchObject({
      status: 'closed', owner: { id: team.agent.id },
      investigation: { rootCause: 'business_process', impactLevel: 'medium', methods: ['call_recording_review', 'document_review'] },
      compensations: [{ status: 'approved', amountYuan: 5000, band: 'team_lead' }],
      correctiveActions: [{ status: 'done' }],
      evidence: [{ id: evidence.id, contentType: 'image/png' }],
    });
    expect((file.body.records as { kind: string }[]).map((r) => r.kind)).toEqual(['investigation_note', 'feedback']);
  });
});
