// 回避 (conflict of interest): a complaint may be about members of staff. Once recorded, none of them
// may own it, investigate it or decide its compensation; each refusal says why, and a refused
// assignment is on record. Recording a subject who already owns the complaint says it must be reassigned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { testDb } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { call, createTeam, eventsFrom, fileClaimsComplaint, type Team } from './case-support';

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

describe('回避', () => {
  it('a staff member the complaint is about is refused as owner, investigator and approver', async () => {
    const { id, number } = await fileClaimsComplaint(db);
    const base = running.baseUrl;
    const at = (p: string) => `/api/v1/complaints/${number}${p}`;

    // Staff of the complaint's department record whom it is about (before anyone owns it).
    const recorded = await call(base, 'POST', at('/subject-staff'), team.agent3.token, { staffId: team.agent2.id });
    expect(recorded).toMatchObject({ status: 201, body: { staffId: team.agent2.id, ownerIsSubject: false } });
    expect((await call(base, 'POST', at('/subject-staff'), team.agent3.token, { staffId: team.agent2.id })).status).toBe(409);
    // Staff of another department who do not handle it may not.
    expect((await call(base, 'POST', at('/subject-staff'), team.otherAgent.token, { staffId: team.agent.id })).status).toBe(403);

    const refused = await call(base, 'POST', at('/owner'), team.supervisor.token, { staffId: team.agent2.id });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/回避/);
    expect(refused.body.message).toMatch(/conflict of interest/);
    expect((await db.complaint.findUniqueOrThrow({ where: { id }, select: { ownerStaffId: true, status: true } }))).toEqual({ ownerStaffId: null, status: 'acknowledged' });
    const refusal = await db.complaintEvent.findFirstOrThrow({ where: { complaintId: id, type: 'case.assignment_refused' } });
    expect(refusal).toMatchObject({ actorId: team.supervisor.id, payload: { staffId: team.agent2.id, cause: 'subject_of_complaint' } });

    expect((await call(base, 'POST', at('/owner'), team.supervisor.token, { staffId: team.agent.id })).status).toBe(200);
    const asInvestigator = await call(base, 'POST', at('/investigation'), team.agent.token, { investigatorId: team.agent2.id, methods: ['interview'] });
    expect(asInvestigator.status).toBe(409);
    expect(asInvestigator.body.message).toMatch(/回避.*investigator/);
    expect((await call(base, 'POST', at('/investigation'), team.agent.token, { investigatorId: team.agent3.id, methods: ['interview'] })).status).toBe(200);

    // The supervisor is named later: they may not decide the compensation; another supervisor may.
    expect((await call(base, 'POST', at('/subject-staff'), team.agent.token, { staffId: team.supervisor.id })).status).toBe(201);
    const requested = await call(base, 'POST', at('/compensations'), team.agent.token, { amountYuan: 20_000, reason: '延误补偿' });
    expect(requested).toMatchObject({ status: 201, body: { band: 'department_head' } });
    const decision = `/api/v1/compensations/${String(requested.body.id)}/decision`;
    const asApprover = await call(base, 'POST', decision, team.supervisor.token, { approve: true });
    expect(asApprover.status).toBe(409);
    expect(asApprover.body.message).toMatch(/回避.*approver/);
    expect((await call(base, 'POST', decision, team.supervisor2.token, { approve: true })).status).toBe(200);

    // Naming the owner: the answer says the complaint must be reassigned; reassigning works.
    const ownerNamed = await call(base, 'POST', at('/subject-staff'), team.supervisor2.token, { staffId: team.agent.id });
    expect(ownerNamed).toMatchObject({ status: 201, body: { ownerIsSubject: true, investigatorIsSubject: false } });
    const reassigned = await call(base, 'POST', at('/owner'), team.supervisor2.token, { staffId: team.agent3.id, reason: '原经办人回避' });
    expect(reassigned).toMatchObject({ status: 200, body: { ownerStaffId: team.agent3.id, previousOwnerStaffId: team.agent.id, status: 'investigating' } });

    expect(await eventsFrom(db, id, 'case.subject_recorded')).toEqual([
      'case.subject_recorded', 'case.assignment_refused', 'case.owner_assigned', 'status.changed', 'deadline.met', 'investigation.started', 'status.changed',
      'case.subject_recorded', 'compensation.requested', 'compensation.approved', 'case.subject_recorded', 'case.owner_assigned',
    ]);
    const file = await call(base, 'GET', at('/case'), team.supervision.token);
    expect((file.body.subjects as { id: string }[]).map((s) => s.id)).toEqual([team.agent2.id, team.supervisor.id, team.agent.id]);
  });
});
