// Every case-handling route of the staff API, for every role: anonymous → 401; a role the route does
// not allow → 403 (the supervision department reads and never writes); an allowed role gets through
// to the use case (here: 404 for a complaint that does not exist). Then the checks the use cases add
// on a real complaint: only its handlers write, only a supervisor of its department assigns it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { testDb } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { call, createTeam, fileClaimsComplaint, inDays, type Role, type Team } from './case-support';

const ALL: Role[] = ['agent', 'supervisor', 'leadership', 'supervision', 'admin'];
const WRITE: Role[] = ['agent', 'supervisor', 'leadership', 'admin'];
const MISSING = 'TS20990101-000001';
const ID = randomUUID();

const ROUTES: { method: string; path: string; roles: Role[]; body?: unknown }[] = [
  { method: 'GET', path: `/api/v1/complaints/${MISSING}/case`, roles: ALL },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/owner`, roles: ['supervisor', 'leadership', 'admin'], body: { staffId: ID } },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/subject-staff`, roles: WRITE, body: { staffId: ID } },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/investigation`, roles: WRITE, body: { investigatorId: ID, methods: ['interview'] } },
  { method: 'PUT', path: `/api/v1/complaints/${MISSING}/investigation`, roles: WRITE, body: { investigatorId: ID, methods: ['interview'] } },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/notes`, roles: WRITE, body: { text: '调取了通话录音' } },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/negotiations`, roles: WRITE, body: { text: '与客户电话协商', channel: 'phone' } },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/evidence`, roles: WRITE },
  { method: 'GET', path: `/api/v1/complaints/${MISSING}/evidence/${ID}`, roles: ALL },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/analysis`, roles: WRITE, body: { rootCause: 'business_process', impactLevel: 'low', impactAssessment: '个案' } },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/compensations`, roles: WRITE, body: { amountYuan: 500, reason: '延误补偿' } },
  { method: 'POST', path: `/api/v1/compensations/${ID}/decision`, roles: WRITE, body: { approve: true } },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/corrective-actions`, roles: WRITE, body: { description: '优化流程', ownerStaffId: ID, departmentCode: 'CLAIMS', dueOn: inDays(30) } },
  { method: 'POST', path: `/api/v1/corrective-actions/${ID}/done`, roles: WRITE, body: {} },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/feedback`, roles: WRITE, body: { method: 'phone', findings: '查明', decision: '赔付', content: '电话告知' } },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/close`, roles: WRITE, body: {} },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/leadership-meeting`, roles: ['leadership', 'admin'], body: { heldAt: new Date().toISOString(), plan: '方案', responsibleStaffId: ID, milestones: [{ description: '完成调查', dueOn: inDays(3) }] } },
  { method: 'POST', path: `/api/v1/complaints/${MISSING}/senior-report`, roles: ['leadership', 'admin'], body: { content: '处理结果报告' } },
];

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

const tokenOf = (role: Role) => ({ agent: team.agent, supervisor: team.supervisor, leadership: team.leadership, supervision: team.supervision, admin: team.admin })[role].token;

describe('role checks on every case route', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path.replace(MISSING, ':number').replace(ID, ':id').replace(ID, ':id')}`, r] as const))('%s', async (_name, route) => {
    const anonymous = await call(running.baseUrl, route.method, route.path, null, route.body);
    expect(anonymous.status).toBe(401);
    for (const role of ALL) {
      const reply = await call(running.baseUrl, route.method, route.path, tokenOf(role), route.body);
      if (route.roles.includes(role)) {
        expect([400, 404], `${role}: ${JSON.stringify(reply.body)}`).toContain(reply.status);
      } else {
        expect(reply.status, `${role} must be refused`).toBe(403);
      }
    }
  });
});

describe('on a real complaint, the use case checks the handler', () => {
  it('only handlers write; a supervisor of another department neither assigns nor writes; supervision reads', async () => {
    const { number } = await fileClaimsComplaint(db);
    const base = running.baseUrl;
    // The CS supervisor may not assign a CLAIMS complaint; the CLAIMS supervisor may.
    expect((await call(base, 'POST', `/api/v1/complaints/${number}/owner`, team.otherSupervisor.token, { staffId: team.agent.id })).status).toBe(403);
    // The owner must belong to the complaint's department.
    expect((await call(base, 'POST', `/api/v1/complaints/${number}/owner`, team.supervisor.token, { staffId: team.otherAgent.id })).status).toBe(400);
    const assigned = await call(base, 'POST', `/api/v1/complaints/${number}/owner`, team.supervisor.token, { staffId: team.agent.id, expectedFrom: 'acknowledged' });
    expect(assigned).toMatchObject({ status: 200, body: { ownerStaffId: team.agent.id, status: 'assigned' } });

    const note = { text: '已调取理赔档案' };
    expect((await call(base, 'POST', `/api/v1/complaints/${number}/notes`, team.agent2.token, note)).status).toBe(403); // not the owner
    expect((await call(base, 'POST', `/api/v1/complaints/${number}/notes`, team.otherSupervisor.token, note)).status).toBe(403);
    expect((await call(base, 'POST', `/api/v1/complaints/${number}/notes`, team.supervision.token, note)).status).toBe(403);
    expect((await call(base, 'POST', `/api/v1/complaints/${number}/notes`, team.agent.token, note)).status).toBe(201);
    expect((await call(base, 'POST', `/api/v1/complaints/${number}/notes`, team.supervisor.token, note)).status).toBe(201);

    const read = await call(base, 'GET', `/api/v1/complaints/${number}/case`, team.supervision.token);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ number, status: 'assigned', owner: { id: team.agent.id }, actions: ['readEvidence'] });
    expect((read.body.records as unknown[]).length).toBe(2);
    const own = await call(base, 'GET', `/api/v1/complaints/${number}/case`, team.agent.token);
    expect(own.body.actions).toEqual(expect.arrayContaining(['startInvestigation', 'addNote', 'uploadEvidence', 'recordSubject']));
    expect(own.body.actions).not.toContain('assign');
    const other = await call(base, 'GET', `/api/v1/complaints/${number}/case`, team.agent2.token);
    expect(other.body.actions).toEqual(['recordSubject']);
  });
});
