// Shared set-up of the case-handling tests: staff of our own (unique employee numbers, so test files
// never share people), staff tokens, complaints filed through the real desk, and a small HTTP client
// for the staff API.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../../services/db/client';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { issueStaffToken } from '../../services/staff/staff-token';
import { acknowledgeComplaint } from '../../services/complaints/acknowledge-complaint';
import { randomMobile, testConfig, testDesk } from '../support/app';

export type Role = 'agent' | 'supervisor' | 'leadership' | 'supervision' | 'admin';

export interface TestStaff {
  id: string;
  role: Role;
  department: string;
  token: string;
}

let seeded: Promise<unknown> | undefined;

/** The demo departments and staff, seeded once per test file (parallel upserts would race). */
export function seedOnce(db: Database): Promise<unknown> {
  seeded ??= seedDemoData(db);
  return seeded;
}

export async function departmentId(db: Database, code: string): Promise<string> {
  await seedOnce(db);
  return (await db.department.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
}

/** A new active staff member of `department` (a code of the demo departments). */
export async function createStaff(db: Database, role: Role, department: string): Promise<TestStaff> {
  const deptId = await departmentId(db, department);
  const row = await db.staff.create({
    data: { employeeNo: `T${randomBytes(5).toString('hex')}`, displayName: `测试${role}${randomBytes(2).toString('hex')}`, role, departmentId: deptId },
    select: { id: true },
  });
  return { id: row.id, role, department, token: tokenFor(row.id) };
}

export function tokenFor(staffId: string): string {
  return issueStaffToken({ staffId, secret: testConfig().staffTokenSecret, ttlSeconds: 3600, now: new Date() });
}

/** The people a case needs: agents and a supervisor of CLAIMS, one of CS, the leadership group, supervision, admin. */
export async function createTeam(db: Database) {
  const [agent, agent2, agent3, supervisor, supervisor2, otherSupervisor, otherAgent, leadership, supervision, admin] = await Promise.all([
    createStaff(db, 'agent', 'CLAIMS'), createStaff(db, 'agent', 'CLAIMS'), createStaff(db, 'agent', 'CLAIMS'),
    createStaff(db, 'supervisor', 'CLAIMS'), createStaff(db, 'supervisor', 'CLAIMS'), createStaff(db, 'supervisor', 'CS'),
    createStaff(db, 'agent', 'CS'), createStaff(db, 'leadership', 'COMPLAINTS-LG'), createStaff(db, 'supervision', 'SUPERVISION'),
    createStaff(db, 'admin', 'CS'),
  ]);
  return { agent, agent2, agent3, supervisor, supervisor2, otherSupervisor, otherAgent, leadership, supervision, admin };
}
export type Team = Awaited<ReturnType<typeof createTeam>>;

/**
 * A claims dispute (department CLAIMS) filed through the real desk and acknowledged, as the intake
 * dialog leaves it. The claimed loss decides the tier (80 000 → L2, 800 000 → L1).
 */
export async function fileClaimsComplaint(db: Database, { lossYuan = 80_000, acceptedAt }: { lossYuan?: number; acceptedAt?: Date } = {}): Promise<{ id: string; number: string }> {
  const desk = testDesk(db, acceptedAt ? () => acceptedAt : undefined);
  const filed = await desk.fileComplaint({
    draft: {
      businessLine: 'insurance', type: 'claims_dispute', description: '车险理赔申请提交一个月还没有处理，请尽快处理', claimedLossYuan: lossYuan, name: '测试客户',
      phone: randomMobile(), feedbackMethod: 'phone',
    },
    user: { channelId: 'test-case', channelUserId: randomUUID() },
    locale: 'zh-CN',
    reference: { channelId: 'test-case', serviceUrl: 'https://test.invalid', conversation: { id: randomUUID() } },
    consent: { noticeVersion: 'test' },
    submissionId: randomUUID(),
  });
  const row = await db.complaint.findUniqueOrThrow({ where: { number: filed.number }, select: { id: true } });
  await acknowledgeComplaint({ db, complaintId: row.id, actor: { type: 'bot', channel: 'test-case' }, now: acceptedAt ?? new Date() });
  return { id: row.id, number: filed.number };
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** Calls the staff API with JSON; `token` null = anonymous. */
export async function call(baseUrl: string, method: string, path: string, token: string | null, body?: unknown): Promise<Reply> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed };
}

/** The complaint's event types after the first event of type `from` (inclusive), in order. */
export async function eventsFrom(db: Database, complaintId: string, from: string): Promise<string[]> {
  const types = (await db.complaintEvent.findMany({ where: { complaintId }, orderBy: { id: 'asc' }, select: { type: true } })).map((e) => e.type);
  const start = types.indexOf(from);
  return start < 0 ? [] : types.slice(start);
}

/** A date `days` from now as yyyy-mm-dd (UTC is fine: tests keep a margin of days). */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
