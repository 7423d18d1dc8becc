// A ledger for the KPI tests, in a database of the test's own: three departments, five handlers,
// complaints received, answered and closed in and around November 2026 (Beijing time), deadlines
// met on time, met late and missed, satisfaction surveys answered (with and without a rating),
// unanswered, expired, cancelled and not yet due, and reopened complaints. kpi-expected.ts works the
// figures out from these rows in plain TypeScript.
import { createHash, randomUUID } from 'node:crypto';
import { migrate } from '../../services/db/migrate';
import { createDatabase, type Database } from '../../services/db/client';
import { createTestDatabase } from '../support/database';

export const H = 3_600_000;

export type DeptKey = 'claims' | 'brokerage' | 'service';
export type StaffKey = 'a1' | 'a2' | 'b1' | 'c1' | 'c2' | 'sup' | 'lead' | 'vis';

export const DEPARTMENTS: Record<DeptKey, { code: string; name: string; nameEn: string }> = {
  claims: { code: 'KPI-CLM', name: '理赔部（考核）', nameEn: 'Claims (KPI)' },
  brokerage: { code: 'KPI-BRK', name: '经纪业务部（考核）', nameEn: 'Brokerage (KPI)' },
  service: { code: 'KPI-SVC', name: '客户服务部（考核）', nameEn: 'Service (KPI)' },
};

export const STAFF: Record<StaffKey, { employeeNo: string; displayName: string; role: 'agent' | 'supervisor' | 'leadership' | 'supervision'; dept: DeptKey | null }> = {
  a1: { employeeNo: 'K1001', displayName: '理赔专员甲', role: 'agent', dept: 'claims' },
  a2: { employeeNo: 'K1002', displayName: '理赔专员乙', role: 'agent', dept: 'claims' },
  b1: { employeeNo: 'K2001', displayName: '经纪专员丙', role: 'agent', dept: 'brokerage' },
  c1: { employeeNo: 'K3001', displayName: '客服专员丁', role: 'agent', dept: 'service' },
  c2: { employeeNo: 'K3002', displayName: '客服专员戊', role: 'agent', dept: 'service' },
  sup: { employeeNo: 'K9001', displayName: '理赔主管', role: 'supervisor', dept: 'claims' },
  lead: { employeeNo: 'K9002', displayName: '领导小组', role: 'leadership', dept: null },
  vis: { employeeNo: 'K9003', displayName: '监督专员', role: 'supervision', dept: null },
};

export interface SeedDeadline { kind: 'first_response' | 'feedback' | 'statutory_decision'; dueH: number; metH?: number }
export interface SeedSurvey { cycle: number; status: 'scheduled' | 'sent' | 'reminded' | 'answered' | 'no_response' | 'cancelled'; sendH: number; rating?: number; satisfied?: boolean }

export interface KpiComplaint {
  ref: string;
  /** Beijing time of acceptance. */
  accepted: string;
  dept: DeptKey | null;
  owner: StaffKey | null;
  status: 'received' | 'assigned' | 'investigating' | 'resolved' | 'closed' | 'reopened';
  /** Hours from acceptance to the first answer. */
  resolvedH?: number;
  /** Reopened an hour after the first answer (then answered again 5 h later unless status is reopened). */
  reopened?: boolean;
  /** Hours from acceptance to closing. */
  closedH?: number;
  deadlines?: SeedDeadline[];
  surveys?: SeedSurvey[];
}

export const COMPLAINTS: KpiComplaint[] = [
  // Claims: a1
  { ref: 'C1', accepted: '2026-11-02T09:00', dept: 'claims', owner: 'a1', status: 'closed', resolvedH: 20, closedH: 60,
    deadlines: [{ kind: 'first_response', dueH: 1, metH: 0.5 }, { kind: 'feedback', dueH: 72, metH: 20 }],
    surveys: [{ cycle: 0, status: 'answered', sendH: 22, rating: 5, satisfied: true }] },
  { ref: 'C2', accepted: '2026-11-04T14:30', dept: 'claims', owner: 'a1', status: 'closed', resolvedH: 50, reopened: true, closedH: 100,
    deadlines: [{ kind: 'first_response', dueH: 1, metH: 3 }, { kind: 'feedback', dueH: 48, metH: 50 }],
    surveys: [{ cycle: 0, status: 'answered', sendH: 51, rating: 1, satisfied: false }, { cycle: 1, status: 'answered', sendH: 60, rating: 4, satisfied: true }] },
  { ref: 'C3', accepted: '2026-11-20T10:00', dept: 'claims', owner: 'a1', status: 'investigating',
    deadlines: [{ kind: 'feedback', dueH: 96 }] },
  // Accepted in October, answered and closed in November: counts as answered/closed, not received.
  { ref: 'C4', accepted: '2026-10-28T10:00', dept: 'claims', owner: 'a1', status: 'closed', resolvedH: 130, closedH: 150,
    deadlines: [{ kind: 'feedback', dueH: 120, metH: 130 }],
    surveys: [{ cycle: 0, status: 'no_response', sendH: 132 }] },
  // Claims: a2
  { ref: 'C5', accepted: '2026-11-10T08:00', dept: 'claims', owner: 'a2', status: 'resolved', resolvedH: 8,
    deadlines: [{ kind: 'feedback', dueH: 72, metH: 8 }],
    surveys: [{ cycle: 0, status: 'answered', sendH: 10, satisfied: true }] },
  { ref: 'C6', accepted: '2026-11-25T16:00', dept: 'claims', owner: 'a2', status: 'reopened', resolvedH: 30, reopened: true,
    deadlines: [{ kind: 'statutory_decision', dueH: 200 }],
    surveys: [{ cycle: 0, status: 'answered', sendH: 31, rating: 2, satisfied: false }] },
  // Claims, nobody assigned yet.
  { ref: 'C7', accepted: '2026-11-30T23:50', dept: 'claims', owner: null, status: 'received',
    deadlines: [{ kind: 'first_response', dueH: 1 }] },
  // Brokerage: b1
  { ref: 'B1', accepted: '2026-11-03T11:00', dept: 'brokerage', owner: 'b1', status: 'closed', resolvedH: 400, closedH: 420,
    deadlines: [{ kind: 'first_response', dueH: 0.5, metH: 0.2 }, { kind: 'statutory_decision', dueH: 360, metH: 400 }],
    surveys: [{ cycle: 0, status: 'sent', sendH: 401 }] },
  { ref: 'B2', accepted: '2026-11-12T09:30', dept: 'brokerage', owner: 'b1', status: 'resolved', resolvedH: 70,
    deadlines: [{ kind: 'feedback', dueH: 72, metH: 70 }],
    surveys: [{ cycle: 0, status: 'reminded', sendH: 71 }] },
  { ref: 'B3', accepted: '2026-11-27T09:00', dept: 'brokerage', owner: 'b1', status: 'resolved', resolvedH: 100,
    deadlines: [{ kind: 'feedback', dueH: 90, metH: 100 }],
    // Scheduled for 10 December: not due at the report time.
    surveys: [{ cycle: 0, status: 'scheduled', sendH: 300 }] },
  // Service: c1, c2
  { ref: 'S1', accepted: '2026-11-05T10:00', dept: 'service', owner: 'c1', status: 'closed', resolvedH: 5, closedH: 30,
    deadlines: [{ kind: 'feedback', dueH: 48, metH: 5 }],
    surveys: [{ cycle: 0, status: 'answered', sendH: 6, rating: 3, satisfied: true }] },
  { ref: 'S2', accepted: '2026-11-06T10:00', dept: 'service', owner: 'c1', status: 'resolved', resolvedH: 12,
    surveys: [{ cycle: 0, status: 'cancelled', sendH: 13 }] },
  { ref: 'S3', accepted: '2026-11-15T10:00', dept: 'service', owner: 'c2', status: 'assigned',
    deadlines: [{ kind: 'feedback', dueH: 48 }] },
  // Outside the period: 1 December 00:10 in Beijing (still 30 November in UTC), and September.
  { ref: 'X1', accepted: '2026-12-01T00:10', dept: 'service', owner: 'c2', status: 'resolved', resolvedH: 2,
    deadlines: [{ kind: 'feedback', dueH: 24, metH: 2 }], surveys: [{ cycle: 0, status: 'answered', sendH: 3, rating: 1, satisfied: false }] },
  { ref: 'X2', accepted: '2026-09-10T10:00', dept: 'claims', owner: 'a2', status: 'closed', resolvedH: 20, closedH: 40,
    deadlines: [{ kind: 'feedback', dueH: 48, metH: 20 }] },
];

export const acceptedAt = (c: KpiComplaint) => new Date(`${c.accepted}:00+08:00`);
export const at = (c: KpiComplaint, hours: number) => new Date(acceptedAt(c).getTime() + hours * H);

export interface KpiLedger {
  url: string;
  db: Database;
  staffIds: Record<StaffKey, string>;
  deptIds: Record<DeptKey, string>;
  drop(): Promise<void>;
}

export async function seedKpiLedger(): Promise<KpiLedger> {
  const target = await createTestDatabase();
  await migrate({ databaseUrl: target.url });
  const db = createDatabase({ databaseUrl: target.url, poolSize: 4 });
  const deptIds = {} as Record<DeptKey, string>;
  for (const [key, d] of Object.entries(DEPARTMENTS) as [DeptKey, (typeof DEPARTMENTS)[DeptKey]][]) {
    deptIds[key] = (await db.department.create({ data: d })).id;
  }
  const staffIds = {} as Record<StaffKey, string>;
  for (const [key, s] of Object.entries(STAFF) as [StaffKey, (typeof STAFF)[StaffKey]][]) {
    staffIds[key] = (await db.staff.create({ data: { employeeNo: s.employeeNo, displayName: s.displayName, role: s.role, departmentId: s.dept ? deptIds[s.dept] : null } })).id;
  }
  let seq = 0;
  for (const c of COMPLAINTS) {
    seq++;
    const phone = `1390000${String(seq).padStart(4, '0')}`;
    const complainant = await db.complainant.create({ data: { name: `客户${seq}`, phone, phoneHash: createHash('sha256').update(`${phone}/${randomUUID()}`).digest('hex') } });
    const day = c.accepted.slice(0, 10).replaceAll('-', '');
    const row = await db.complaint.create({
      data: {
        number: `TS${day}-${String(seq).padStart(6, '0')}`, acceptedDay: day, dailySeq: seq, complainantId: complainant.id,
        businessLine: c.dept === 'brokerage' ? 'securities' : 'insurance', type: 'other', description: `${c.ref} 投诉内容`, feedbackMethod: 'phone',
        intakeChannel: 'online_chat', channelId: 'webchat', channelUserId: `user-${c.ref}`, status: c.status, tier: 'L3', policyVersion: 'test',
        departmentId: c.dept ? deptIds[c.dept] : null, ownerStaffId: c.owner ? staffIds[c.owner] : null, acceptedAt: acceptedAt(c),
      },
    });
    // The trigger derives resolved_at (first answer), closed_at and reopen_count from these events.
    const event = (to: string, when: Date) =>
      db.complaintEvent.create({ data: { complaintId: row.id, type: 'status.changed', actorType: 'staff', actorId: staffIds.sup, payload: { to }, occurredAt: when } });
    if (c.resolvedH !== undefined) {
      await event('resolved', at(c, c.resolvedH));
      if (c.reopened) {
        await event('reopened', at(c, c.resolvedH + 1));
        if (c.status !== 'reopened') await event('resolved', at(c, c.resolvedH + 5));
      }
      if (c.closedH !== undefined) await event('closed', at(c, c.closedH));
    }
    for (const d of c.deadlines ?? []) {
      await db.complaintDeadline.create({ data: { complaintId: row.id, kind: d.kind, dueAt: at(c, d.dueH), metAt: d.metH === undefined ? null : at(c, d.metH) } });
    }
    for (const v of c.surveys ?? []) {
      const sendAt = at(c, v.sendH);
      const sent = v.status !== 'scheduled' && v.status !== 'cancelled';
      await db.satisfactionSurvey.create({
        data: {
          complaintId: row.id, cycle: v.cycle, method: 'chat', status: v.status, feedbackAt: new Date(sendAt.getTime() - H), sendAt,
          remindAt: new Date(sendAt.getTime() + 24 * H), expiresAt: new Date(sendAt.getTime() + 72 * H), sentAt: sent ? sendAt : null,
          answeredAt: v.status === 'answered' ? new Date(sendAt.getTime() + H) : null, rating: v.rating ?? null, satisfied: v.satisfied ?? null,
        },
      });
    }
  }
  return { url: target.url, db, staffIds, deptIds, drop: async () => { await db.$disconnect(); await target.drop(); } };
}
