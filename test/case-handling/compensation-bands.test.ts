// Compensation approval by amount band (policy compensationApproval: ≤10 000 team lead = an agent of
// the complaint's department or higher, ≤100 000 department head = its supervisor, above it the
// leadership group), never by the requester. Pure band rules first, then over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { complaintPolicySchema } from '../../services/policy/policy-schema';
import { approvalBand, approvalRefusal } from '../../services/case-handling/compensation';
import { testDb } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { call, createTeam, fileClaimsComplaint, type Team, type TestStaff } from './case-support';

describe('approval bands (pure)', () => {
  it.each([
    [0.01, 'team_lead'], [10_000, 'team_lead'], [10_000.01, 'department_head'], [100_000, 'department_head'],
    [100_000.01, 'leadership_group'], [100_001, 'leadership_group'], [5_000_000, 'leadership_group'],
  ] as const)('%s yuan → %s', (amount, band) => {
    expect(approvalBand(amount, DEFAULT_POLICY)).toBe(band);
  });

  it('a role at or above the band decides; agents and supervisors only in the complaint department', () => {
    const claims = 'claims-dept';
    const agent = { role: 'agent' as const, departmentId: claims };
    const supervisor = { role: 'supervisor' as const, departmentId: claims };
    expect(approvalRefusal(agent, 'team_lead', claims, DEFAULT_POLICY)).toBeNull();
    expect(approvalRefusal(agent, 'department_head', claims, DEFAULT_POLICY)).toMatch(/needs a supervisor/);
    expect(approvalRefusal(supervisor, 'team_lead', claims, DEFAULT_POLICY)).toBeNull();
    expect(approvalRefusal(supervisor, 'department_head', claims, DEFAULT_POLICY)).toBeNull();
    expect(approvalRefusal(supervisor, 'leadership_group', claims, DEFAULT_POLICY)).toMatch(/needs a leadership/);
    expect(approvalRefusal({ role: 'supervisor', departmentId: 'cs' }, 'team_lead', claims, DEFAULT_POLICY)).toMatch(/department/);
    expect(approvalRefusal({ role: 'leadership', departmentId: 'lg' }, 'leadership_group', claims, DEFAULT_POLICY)).toBeNull();
    expect(approvalRefusal({ role: 'supervision', departmentId: null }, 'team_lead', claims, DEFAULT_POLICY)).not.toBeNull();
  });

  it('the policy names the approvers; a company may make the team lead a supervisor', () => {
    const stricter = { ...DEFAULT_POLICY, compensationApproval: { ...DEFAULT_POLICY.compensationApproval, approvers: { teamLead: 'supervisor' as const, departmentHead: 'supervisor' as const, leadershipGroup: 'leadership' as const } } };
    expect(approvalRefusal({ role: 'agent', departmentId: 'd' }, 'team_lead', 'd', stricter)).toMatch(/needs a supervisor/);
    const inverted = { ...stricter, compensationApproval: { ...stricter.compensationApproval, approvers: { teamLead: 'leadership', departmentHead: 'supervisor', leadershipGroup: 'leadership' } } };
    expect(complaintPolicySchema.safeParse(JSON.parse(JSON.stringify(inverted))).success).toBe(false);
  });
});

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

/** A complaint owned and investigated by team.agent, with a compensation of `amountYuan` requested by `requester`. */
async function requestOf(amountYuan: number, requester: () => TestStaff = () => team.agent): Promise<{ decision: string; band: unknown; number: string }> {
  const { number } = await fileClaimsComplaint(db);
  const base = running.baseUrl;
  expect((await call(base, 'POST', `/api/v1/complaints/${number}/owner`, team.supervisor.token, { staffId: team.agent.id })).status).toBe(200);
  expect((await call(base, 'POST', `/api/v1/complaints/${number}/investigation`, team.agent.token, { investigatorId: team.agent.id, methods: ['document_review'] })).status).toBe(200);
  const requested = await call(base, 'POST', `/api/v1/complaints/${number}/compensations`, requester().token, { amountYuan, reason: '理赔延误补偿' });
  expect(requested.status).toBe(201);
  return { decision: `/api/v1/compensations/${String(requested.body.id)}/decision`, band: requested.body.band, number };
}

describe('approval over the staff API', () => {
  it('10 000 yuan: another agent of the department or its supervisor approves; the CS supervisor may not', async () => {
    const byAgent = await requestOf(10_000);
    expect(byAgent.band).toBe('team_lead');
    expect((await call(running.baseUrl, 'POST', byAgent.decision, team.otherSupervisor.token, { approve: true })).status).toBe(403);
    expect((await call(running.baseUrl, 'POST', byAgent.decision, team.agent2.token, { approve: true })).body).toMatchObject({ status: 'approved', amountYuan: 10_000 });

    const bySupervisor = await requestOf(10_000);
    const approved = await call(running.baseUrl, 'POST', bySupervisor.decision, team.supervisor.token, { approve: true });
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', band: 'team_lead' } });
    // Decided once.
    expect((await call(running.baseUrl, 'POST', bySupervisor.decision, team.supervisor2.token, { approve: false })).status).toBe(409);
  });

  it('10 001 yuan needs the department head: an agent is refused, the supervisor approves', async () => {
    const { decision, band } = await requestOf(10_001);
    expect(band).toBe('department_head');
    const refused = await call(running.baseUrl, 'POST', decision, team.agent2.token, { approve: true });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/department_head band needs a supervisor/);
    expect((await call(running.baseUrl, 'POST', decision, team.supervisor.token, { approve: true })).status).toBe(200);
  });

  it('100 001 yuan needs the leadership group: the supervisor is refused, leadership approves (or refuses, on record)', async () => {
    const first = await requestOf(100_001);
    expect(first.band).toBe('leadership_group');
    const refused = await call(running.baseUrl, 'POST', first.decision, team.supervisor.token, { approve: true });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/leadership_group band needs a leadership/);
    expect((await call(running.baseUrl, 'POST', first.decision, team.leadership.token, { approve: true })).body).toMatchObject({ status: 'approved', band: 'leadership_group' });

    const second = await requestOf(100_001);
    expect((await call(running.baseUrl, 'POST', second.decision, team.leadership.token, { approve: false, note: '金额过高，请重新协商' })).body).toMatchObject({ status: 'refused' });
    const complaint = await db.complaint.findUniqueOrThrow({ where: { number: second.number }, select: { id: true } });
    const event = await db.complaintEvent.findFirstOrThrow({ where: { complaintId: complaint.id, type: 'compensation.refused' } });
    expect(event).toMatchObject({ actorId: team.leadership.id, payload: { amountYuan: 100_001, band: 'leadership_group', approverRole: 'leadership' } });
  });

  it('nobody approves their own request, whatever their role', async () => {
    const { decision } = await requestOf(5_000, () => team.supervisor);
    const own = await call(running.baseUrl, 'POST', decision, team.supervisor.token, { approve: true });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/their own/);
    expect((await call(running.baseUrl, 'POST', decision, team.agent.token, { approve: true })).status).toBe(200);
  });

  it('bad amounts and a second pending request are refused', async () => {
    const { number } = await requestOf(300);
    const path = `/api/v1/complaints/${number}/compensations`;
    expect((await call(running.baseUrl, 'POST', path, team.agent.token, { amountYuan: 100, reason: '再补偿' })).status).toBe(409);
    expect((await call(running.baseUrl, 'POST', path, team.agent.token, { amountYuan: -5, reason: 'x' })).status).toBe(400);
    expect((await call(running.baseUrl, 'POST', path, team.agent.token, { amountYuan: 10.005, reason: 'x' })).status).toBe(400);
    expect((await call(running.baseUrl, 'POST', path, team.agent.token, { amountYuan: '5000', reason: 'x' })).status).toBe(400);
  });
});
