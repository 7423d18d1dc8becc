// R-TIER1: the leadership group's meeting record (plan, responsible person, milestones) meets the
// leadership_meeting deadline at the time it was held; the report to senior management is a record
// with its content. R-FEEDBACK by a recorded phone call; a chat message the channel refuses changes
// nothing; the order of the steps is enforced; open corrective actions do not hold the complaint open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { testDb } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { call, createTeam, eventsFrom, fileClaimsComplaint, inDays, type Team } from './case-support';

let running: RunningApp;
let db: Database;
let team: Team;

beforeAll(async () => {
  running = await startApp();
  db = testDb(2);
  team = await createTeam(db);
});
afterAll(async () => {
  await running?.app.close();
  await db?.$disconnect();
});

describe('level 1: the leadership group', () => {
  it('records its meeting (the deadline is met when it was held) and reports to senior management', async () => {
    const { id, number } = await fileClaimsComplaint(db, { lossYuan: 800_000, acceptedAt: new Date(Date.now() - 3 * 3_600_000) });
    expect((await db.complaint.findUniqueOrThrow({ where: { id }, select: { tier: true } })).tier).toBe('L1');
    const at = (p: string) => `/api/v1/complaints/${number}${p}`;
    const heldAt = new Date(Date.now() - 60 * 60_000);
    const meeting = {
      heldAt: heldAt.toISOString(), plan: '由理赔部牵头复核理赔材料，三日内给出赔付方案并答复客户。', responsibleStaffId: team.supervisor.id,
      milestones: [{ description: '完成材料复核', dueOn: inDays(1) }, { description: '答复客户', dueOn: inDays(3) }],
    };
    expect((await call(running.baseUrl, 'POST', at('/leadership-meeting'), team.supervisor.token, meeting)).status).toBe(403);
    expect((await call(running.baseUrl, 'POST', at('/leadership-meeting'), team.leadership.token, { ...meeting, milestones: [] })).status).toBe(400);
    expect((await call(running.baseUrl, 'POST', at('/leadership-meeting'), team.leadership.token, { ...meeting, heldAt: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(400);
    expect((await call(running.baseUrl, 'POST', at('/leadership-meeting'), team.leadership.token, { ...meeting, heldAt: new Date(Date.now() - 5 * 3_600_000).toISOString() })).status).toBe(400); // before acceptance
    const recorded = await call(running.baseUrl, 'POST', at('/leadership-meeting'), team.leadership.token, meeting);
    expect(recorded).toMatchObject({ status: 201, body: { leadershipMeetingDeadlineMet: true } });
    const deadline = await db.complaintDeadline.findUniqueOrThrow({ where: { complaintId_kind: { complaintId: id, kind: 'leadership_meeting' } } });
    expect(deadline.metAt?.toISOString()).toBe(heldAt.toISOString());

    expect((await call(running.baseUrl, 'POST', at('/senior-report'), team.agent.token, { content: 'x' })).status).toBe(403);
    expect((await call(running.baseUrl, 'POST', at('/senior-report'), team.leadership.token, { content: '  ' })).status).toBe(400);
    expect((await call(running.baseUrl, 'POST', at('/senior-report'), team.leadership.token, { content: '一级投诉处理情况报告：已召开领导小组会议，方案见会议纪要。' })).status).toBe(201);

    expect(await eventsFrom(db, id, 'leadership.meeting_recorded')).toEqual(['leadership.meeting_recorded', 'deadline.met', 'senior_report.recorded']);
    const file = await call(running.baseUrl, 'GET', at('/case'), team.supervision.token);
    const records = file.body.records as { kind: string; body: string; details: Record<string, unknown> }[];
    expect(records.map((r) => r.kind)).toEqual(['leadership_meeting', 'senior_report']);
    expect(records[0]).toMatchObject({ body: meeting.plan, details: { responsibleStaffId: team.supervisor.id, milestones: meeting.milestones } });
  });
});

describe('feedback and close', () => {
  it('steps in order; feedback by a recorded phone call; closing with an open corrective action still tracked', async () => {
    const { id, number } = await fileClaimsComplaint(db);
    const at = (p: string) => `/api/v1/complaints/${number}${p}`;
    const base = running.baseUrl;
    const phone = { method: 'phone', findings: '理赔材料齐全，审核延误。', decision: '三日内赔付。', content: '10:05 致电客户，告知调查结论与赔付安排，客户表示接受。' };
    // Not before the investigation, not before the root cause.
    expect((await call(base, 'POST', at('/owner'), team.supervisor.token, { staffId: team.agent.id })).status).toBe(200);
    expect((await call(base, 'POST', at('/feedback'), team.agent.token, phone)).status).toBe(409);
    expect((await call(base, 'POST', at('/close'), team.agent.token, {})).status).toBe(409);
    expect((await call(base, 'POST', at('/investigation'), team.agent.token, { investigatorId: team.agent.id, methods: ['interview'] })).status).toBe(200);
    const noAnalysis = await call(base, 'POST', at('/feedback'), team.agent.token, phone);
    expect(noAnalysis.status).toBe(409);
    expect(noAnalysis.body.message).toMatch(/root cause/);
    expect((await call(base, 'POST', at('/analysis'), team.agent.token, { rootCause: 'other', impactLevel: 'low', impactAssessment: '个案' })).status).toBe(400); // other needs a detail
    expect((await call(base, 'POST', at('/analysis'), team.agent.token, { rootCause: 'staff_service', impactLevel: 'low', impactAssessment: '个案' })).status).toBe(200);
    expect((await call(base, 'POST', at('/negotiations'), team.agent.token, { text: '电话协商，客户同意三日内赔付方案。', channel: 'phone', outcome: 'agreed' })).status).toBe(201);

    // The complaint came from a chat whose connector cannot be reached: nothing changes, the failure is on record.
    const failed = await call(base, 'POST', at('/feedback'), team.agent.token, { method: 'chat', findings: '查明', decision: '赔付' });
    expect(failed.status).toBe(503);
    expect((await db.complaint.findUniqueOrThrow({ where: { id }, select: { status: true } })).status).toBe('investigating');
    // A call or letter needs what was said.
    expect((await call(base, 'POST', at('/feedback'), team.agent.token, { ...phone, content: undefined })).status).toBe(400);

    const action = await call(base, 'POST', at('/corrective-actions'), team.agent.token, { description: '服务话术培训', ownerStaffId: team.supervisor.id, departmentCode: 'CLAIMS', dueOn: inDays(60) });
    expect(action.status).toBe(201);
    expect((await call(base, 'POST', at('/corrective-actions'), team.agent.token, { description: 'x', ownerStaffId: team.otherAgent.id, departmentCode: 'CLAIMS', dueOn: inDays(5) })).status).toBe(400);
    expect((await call(base, 'POST', at('/corrective-actions'), team.agent.token, { description: 'x', ownerStaffId: team.agent.id, departmentCode: 'CLAIMS', dueOn: '2020-01-01' })).status).toBe(400);

    const given = await call(base, 'POST', at('/feedback'), team.agent.token, { ...phone, expectedFrom: 'investigating' });
    expect(given).toMatchObject({ status: 200, body: { method: 'phone', delivery: 'recorded', status: 'resolved', deadlinesMet: ['feedback', 'statutory_decision'] } });
    expect((await call(base, 'POST', at('/feedback'), team.agent.token, phone)).status).toBe(409);

    const closed = await call(base, 'POST', at('/close'), team.agent.token, { expectedFrom: 'resolved' });
    expect(closed).toMatchObject({ status: 200, body: { status: 'closed', openCorrectiveActions: 1 } });
    // Closed: no more notes, but the corrective action is still tracked to done by its owner.
    expect((await call(base, 'POST', at('/notes'), team.agent.token, { text: '补充' })).status).toBe(409);
    expect((await call(base, 'POST', `/api/v1/corrective-actions/${String(action.body.id)}/done`, team.supervisor.token, {})).body).toMatchObject({ status: 'done' });

    expect(await eventsFrom(db, id, 'feedback.send_failed')).toEqual([
      'feedback.send_failed', 'corrective_action.created', 'feedback.given', 'status.changed', 'deadline.met', 'deadline.met', 'survey.scheduled', 'status.changed', 'corrective_action.done',
    ]);
    const feedback = await db.caseRecord.findFirstOrThrow({ where: { complaintId: id, kind: 'feedback' } });
    expect(feedback).toMatchObject({ body: phone.content, details: { method: 'phone', findings: phone.findings, decision: phone.decision } });
  });
});
