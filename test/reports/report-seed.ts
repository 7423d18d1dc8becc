// A small ledger whose figures were worked out by hand (see statistics.test.ts): twelve complaints
// in November 2026, eight in October 2026, six in November 2025, one just after November (Beijing
// time) — with deadlines, status events (the trigger derives resolved_at / closed_at / reopen_count),
// investigations with root causes, compensations, and personal data in texts and fields for the
// training-case export to remove; satisfaction surveys answered, unanswered, not yet due and cancelled.
import { randomUUID, createHash } from 'node:crypto';
import { migrate } from '../../services/db/migrate';
import { createDatabase, type Database } from '../../services/db/client';
import { createTestDatabase } from '../support/database';

const H = 3_600_000;

export interface SeedComplaint {
  ref: string;
  day: string;
  /** Local time of acceptance, default 10:00. */
  time?: string;
  line: 'insurance' | 'securities';
  type: 'insurance_product_inquiry' | 'claims_dispute' | 'securities_trading' | 'investment_advice' | 'other';
  channel: 'online_chat' | 'wechat' | 'hotline' | 'counter' | 'letter' | 'email';
  tier: 'L1' | 'L2' | 'L3';
  product?: string;
  group?: string;
  region?: string;
  dept: 'A' | 'B';
  handler?: 'h1' | 'h2' | 'h3';
  status: 'received' | 'acknowledged' | 'assigned' | 'investigating' | 'resolved' | 'closed';
  resolvedH?: number;
  reopened?: boolean;
  urgent?: boolean;
  cause?: 'internal_management' | 'business_process' | 'staff_service' | 'product' | 'third_party' | 'customer_misunderstanding' | 'other';
  comps?: { amount: number; status: 'requested' | 'approved' | 'refused' }[];
  deadlines?: { kind: 'first_response' | 'feedback' | 'statutory_decision'; dueH: number; metH?: number }[];
  /** The complainant's personal data (also written into texts). */
  person?: { name: string; phone: string; id: string; account: string; email: string };
  description?: string;
  /** Satisfaction surveys (one per answer given): sent `sendH` hours after acceptance. */
  surveys?: SeedSurvey[];
}

export interface SeedSurvey {
  cycle: number;
  status: 'scheduled' | 'sent' | 'reminded' | 'answered' | 'no_response' | 'cancelled';
  sendH: number;
  rating?: number;
  satisfied?: boolean;
}

/** People whose data the training export must not show. */
export const PEOPLE = [
  { name: '张伟', phone: '13812345678', id: '11010519491231002X', account: '6222020200112233445', email: 'zhangwei@example.cn' },
  { name: '李秀英', phone: '13987654321', id: '310101198503151234', account: '6217000010001234567', email: 'lixiuying@example.cn' },
  { name: '王建国', phone: '15011112222', id: '440301197707070011', account: '6228480012345678', email: 'wjg@example.cn' },
  { name: '欧阳娜娜', phone: '18600001111', id: '320102199001011234', account: '6013820000987654', email: 'oyn@example.cn' },
];
/** Someone named in a text who is neither complainant nor staff. */
export const THIRD_PARTY_NAME = '赵敏';
export const POLICY_NUMBER = 'P2026110300042';

export const NOVEMBER: SeedComplaint[] = [
  { ref: 'N1', day: '2026-11-02', line: 'insurance', type: 'claims_dispute', channel: 'online_chat', tier: 'L3', product: '医疗险', group: '个人', region: '上海', dept: 'A', handler: 'h1', status: 'closed', resolvedH: 20, cause: 'business_process', comps: [{ amount: 500, status: 'approved' }], deadlines: [{ kind: 'feedback', dueH: 72, metH: 20 }], person: PEOPLE[0], description: `我是${PEOPLE[0]!.name}，手机${PEOPLE[0]!.phone}，身份证${PEOPLE[0]!.id}，医疗险理赔材料交了三次还说不全，理赔拖延。` },
  { ref: 'N2', day: '2026-11-03', line: 'insurance', type: 'claims_dispute', channel: 'wechat', tier: 'L2', product: '医疗险', group: '个人', region: '北京', dept: 'A', handler: 'h1', status: 'closed', resolvedH: 50, reopened: true, cause: 'business_process', deadlines: [{ kind: 'first_response', dueH: 1, metH: 0.5 }, { kind: 'feedback', dueH: 48, metH: 50 }], person: PEOPLE[1], description: `保单号${POLICY_NUMBER}，理赔被拒绝，理由不清楚，业务员${THIRD_PARTY_NAME}一直不回电话，退款账户${PEOPLE[1]!.account}。` },
  { ref: 'N3', day: '2026-11-05', line: 'insurance', type: 'insurance_product_inquiry', channel: 'hotline', tier: 'L3', product: '寿险', group: '团体', region: '上海', dept: 'A', handler: 'h2', status: 'resolved', resolvedH: 100, cause: 'product', deadlines: [{ kind: 'feedback', dueH: 120, metH: 100 }], description: '寿险产品条款看不懂，销售时没有说明犹豫期。' },
  { ref: 'N4', day: '2026-11-06', line: 'securities', type: 'securities_trading', channel: 'online_chat', tier: 'L2', product: '两融', group: '个人', region: '深圳', dept: 'B', handler: 'h3', status: 'investigating', deadlines: [{ kind: 'feedback', dueH: 24 }], description: '融资融券强制平仓没有提前通知，交易系统卡顿。' },
  { ref: 'N5', day: '2026-11-09', line: 'securities', type: 'investment_advice', channel: 'email', tier: 'L1', product: '基金投顾', group: '高净值', region: '深圳', dept: 'B', handler: 'h3', status: 'closed', resolvedH: 400, cause: 'staff_service', comps: [{ amount: 20000, status: 'approved' }, { amount: 3000, status: 'requested' }], deadlines: [{ kind: 'first_response', dueH: 0.5, metH: 0.2 }, { kind: 'statutory_decision', dueH: 360, metH: 400 }], person: PEOPLE[2], description: `投资顾问推荐的基金亏损严重，风险提示不足，联系邮箱${PEOPLE[2]!.email}，电话 ${PEOPLE[2]!.phone.slice(0, 3)} ${PEOPLE[2]!.phone.slice(3, 7)} ${PEOPLE[2]!.phone.slice(7)}。` },
  { ref: 'N6', day: '2026-11-10', line: 'insurance', type: 'claims_dispute', channel: 'counter', tier: 'L3', dept: 'A', handler: 'h1', status: 'closed', resolvedH: 10, deadlines: [{ kind: 'feedback', dueH: 72, metH: 10 }], person: PEOPLE[3], description: `网点柜台理赔排队太久，${PEOPLE[3]!.name}女士等了两个小时。` },
  { ref: 'N7', day: '2026-11-12', line: 'insurance', type: 'claims_dispute', channel: 'online_chat', tier: 'L3', product: '医疗险', group: '个人', region: '上海', dept: 'A', handler: 'h2', status: 'received', deadlines: [{ kind: 'feedback', dueH: 720 }], description: '医疗险理赔进度查询不到。' },
  { ref: 'N8', day: '2026-11-16', line: 'securities', type: 'securities_trading', channel: 'wechat', tier: 'L3', product: '两融', group: '个人', region: '北京', dept: 'B', handler: 'h3', status: 'closed', resolvedH: 30, cause: 'third_party', comps: [{ amount: 800, status: 'refused' }], description: '第三方行情数据延迟导致交易损失。' },
  { ref: 'N9', day: '2026-11-20', line: 'insurance', type: 'other', channel: 'letter', tier: 'L3', group: '个人', region: '广州', dept: 'A', status: 'acknowledged', description: '来信反映营业厅服务态度差。' },
  { ref: 'N10', day: '2026-11-23', line: 'securities', type: 'securities_trading', channel: 'online_chat', tier: 'L2', product: '股票交易', group: '个人', region: '上海', dept: 'B', handler: 'h3', status: 'closed', resolvedH: 200, cause: 'business_process', description: '开户流程复杂，交易权限开通太慢。' },
  { ref: 'N11', day: '2026-11-27', line: 'insurance', type: 'claims_dispute', channel: 'online_chat', tier: 'L3', product: '医疗险', group: '团体', region: '上海', dept: 'A', handler: 'h1', status: 'resolved', resolvedH: 60, cause: 'customer_misunderstanding', description: '团体医疗险理赔金额比预期少。' },
  { ref: 'N12', day: '2026-11-30', time: '23:50', line: 'securities', type: 'investment_advice', channel: 'hotline', tier: 'L3', product: '基金投顾', group: '个人', region: '深圳', dept: 'B', handler: 'h3', status: 'resolved', resolvedH: 5, urgent: true, cause: 'staff_service', description: '投资顾问服务费扣费不透明。' },
];

/** Surveys of November's complaints (report and KPI figures): answered, unanswered, not yet due, cancelled. */
const NOVEMBER_SURVEYS: Record<string, SeedSurvey[]> = {
  N1: [{ cycle: 0, status: 'answered', sendH: 22, rating: 5, satisfied: true }],
  // Dissatisfied with the first answer (reopened), satisfied with the second.
  N2: [{ cycle: 0, status: 'answered', sendH: 51, rating: 2, satisfied: false }, { cycle: 1, status: 'answered', sendH: 57, rating: 4, satisfied: true }],
  N3: [{ cycle: 0, status: 'sent', sendH: 102 }],
  N5: [{ cycle: 0, status: 'no_response', sendH: 402 }],
  N6: [{ cycle: 0, status: 'answered', sendH: 12, rating: 3, satisfied: true }],
  // Answered in words only (不满意): satisfied = false, no rating.
  N8: [{ cycle: 0, status: 'answered', sendH: 32, satisfied: false }],
  // Not due yet at the report time (3 December): neither sent nor counted.
  N10: [{ cycle: 0, status: 'scheduled', sendH: 400 }],
  N11: [{ cycle: 0, status: 'cancelled', sendH: 62 }],
};
for (const c of NOVEMBER) c.surveys = NOVEMBER_SURVEYS[c.ref];

const base = { line: 'insurance', channel: 'online_chat', tier: 'L3', dept: 'A', status: 'received' } as const;
export const OCTOBER: SeedComplaint[] = [
  // October's: not November's satisfaction.
  { ...base, ref: 'O1', day: '2026-10-08', type: 'claims_dispute', surveys: [{ cycle: 0, status: 'answered', sendH: 30, rating: 1, satisfied: false }] },
  { ...base, ref: 'O2', day: '2026-10-09', type: 'claims_dispute' },
  { ...base, ref: 'O3', day: '2026-10-15', type: 'claims_dispute' },
  { ...base, ref: 'O4', day: '2026-10-16', type: 'insurance_product_inquiry' },
  { ...base, ref: 'O5', day: '2026-10-20', type: 'other' },
  { ...base, ref: 'O6', day: '2026-10-21', type: 'securities_trading', line: 'securities', dept: 'B' },
  { ...base, ref: 'O7', day: '2026-10-22', type: 'securities_trading', line: 'securities', dept: 'B' },
  { ...base, ref: 'O8', day: '2026-10-31', time: '23:59', type: 'investment_advice', line: 'securities', dept: 'B' },
];
export const NOVEMBER_2025: SeedComplaint[] = [
  { ...base, ref: 'Y1', day: '2025-11-03', type: 'claims_dispute' },
  { ...base, ref: 'Y2', day: '2025-11-04', type: 'claims_dispute' },
  { ...base, ref: 'Y3', day: '2025-11-10', type: 'securities_trading', line: 'securities', dept: 'B' },
  { ...base, ref: 'Y4', day: '2025-11-11', type: 'securities_trading', line: 'securities', dept: 'B' },
  { ...base, ref: 'Y5', day: '2025-11-20', type: 'investment_advice', line: 'securities', dept: 'B' },
  { ...base, ref: 'Y6', day: '2025-11-28', type: 'investment_advice', line: 'securities', dept: 'B' },
];
/** 00:10 on 1 December in Beijing is still 30 November in UTC: not November's. */
export const DECEMBER: SeedComplaint[] = [{ ...base, ref: 'D1', day: '2026-12-01', time: '00:10', type: 'claims_dispute' }];

export const STAFF = {
  h1: { employeeNo: 'E1001', displayName: '陈晓东', role: 'agent' as const, dept: 'A' as const },
  h2: { employeeNo: 'E1002', displayName: '刘芳', role: 'agent' as const, dept: 'A' as const },
  h3: { employeeNo: 'E2001', displayName: '周海涛', role: 'agent' as const, dept: 'B' as const },
  sup: { employeeNo: 'S1001', displayName: '孙主管', role: 'supervisor' as const, dept: 'A' as const },
  lead1: { employeeNo: 'L0001', displayName: '领导甲', role: 'leadership' as const, dept: null, email: 'lead1@example.cn' },
  lead2: { employeeNo: 'L0002', displayName: '领导乙', role: 'leadership' as const, dept: null, email: 'lead2@example.cn', contact: 'lead2.reports@example.cn' },
  lead3: { employeeNo: 'L0003', displayName: '领导丙（离任）', role: 'leadership' as const, dept: null, email: 'lead3@example.cn', inactive: true },
};

export interface SeededLedger {
  url: string;
  db: Database;
  staffIds: Record<keyof typeof STAFF, string>;
  complaintIds: Record<string, string>;
  drop(): Promise<void>;
}

export function acceptedAtOf(c: SeedComplaint): Date {
  return new Date(`${c.day}T${c.time ?? '10:00'}:00+08:00`);
}

/** A database of the test's own, migrated and seeded (reports count everything in it). */
export async function seedLedger(): Promise<SeededLedger> {
  const target = await createTestDatabase();
  await migrate({ databaseUrl: target.url });
  const db = createDatabase({ databaseUrl: target.url, poolSize: 4 });
  const depts = {
    A: await db.department.create({ data: { code: 'INS-CS', name: '保险客服部', nameEn: 'Insurance service', businessLine: 'insurance' } }),
    B: await db.department.create({ data: { code: 'SEC-CS', name: '证券客服部', nameEn: 'Securities service', businessLine: 'securities' } }),
  };
  const staffIds = {} as Record<keyof typeof STAFF, string>;
  for (const [key, s] of Object.entries(STAFF) as [keyof typeof STAFF, (typeof STAFF)[keyof typeof STAFF]][]) {
    const row = await db.staff.create({
      data: { employeeNo: s.employeeNo, displayName: s.displayName, role: s.role, departmentId: s.dept ? depts[s.dept].id : null, email: 'email' in s ? s.email : null, active: !('inactive' in s) },
    });
    staffIds[key] = row.id;
    if ('contact' in s) await db.staffContact.create({ data: { staffId: row.id, kind: 'email', address: s.contact } });
  }
  const complaintIds: Record<string, string> = {};
  const all = [...NOVEMBER, ...OCTOBER, ...NOVEMBER_2025, ...DECEMBER];
  let seq = 0;
  for (const c of all) {
    seq++;
    const person = c.person ?? { name: `客户${seq}`, phone: `1370000${String(seq).padStart(4, '0')}`, id: '', account: '', email: '' };
    const complainant = await db.complainant.create({
      data: { name: person.name, phone: person.phone, phoneHash: createHash('sha256').update(`${person.phone}/${randomUUID()}`).digest('hex'), email: person.email || null },
    });
    const acceptedAt = acceptedAtOf(c);
    const day = c.day.replaceAll('-', '');
    const row = await db.complaint.create({
      data: {
        number: `TS${day}-${String(seq).padStart(6, '0')}`, acceptedDay: day, dailySeq: seq, complainantId: complainant.id,
        businessLine: c.line, type: c.type, description: c.description ?? `${c.ref} 投诉内容`, feedbackMethod: 'phone', intakeChannel: c.channel,
        channelId: c.channel === 'wechat' ? 'wechat' : 'webchat', channelUserId: `user-${c.ref}`, status: c.status, tier: c.tier, urgent: c.urgent ?? false,
        policyVersion: 'test', departmentId: depts[c.dept].id, ownerStaffId: c.handler ? staffIds[c.handler] : null, acceptedAt,
        product: c.product ?? null, customerGroup: c.group ?? null, region: c.region ?? null,
        referenceNumber: c.person ? (c.ref === 'N2' ? POLICY_NUMBER : c.person.account) : null,
      },
    });
    complaintIds[c.ref] = row.id;
    const event = (to: string, at: Date) =>
      db.complaintEvent.create({ data: { complaintId: row.id, type: 'status.changed', actorType: 'staff', actorId: staffIds.sup, payload: { to }, occurredAt: at } });
    if (c.resolvedH !== undefined) {
      const resolvedAt = new Date(acceptedAt.getTime() + c.resolvedH * H);
      await event('resolved', resolvedAt);
      if (c.reopened) {
        await event('reopened', new Date(resolvedAt.getTime() + 1 * H));
        await event('resolved', new Date(resolvedAt.getTime() + 5 * H));
      }
      if (c.status === 'closed') await event('closed', new Date(resolvedAt.getTime() + 24 * H));
    }
    for (const d of c.deadlines ?? []) {
      await db.complaintDeadline.create({
        data: { complaintId: row.id, kind: d.kind, dueAt: new Date(acceptedAt.getTime() + d.dueH * H), metAt: d.metH === undefined ? null : new Date(acceptedAt.getTime() + d.metH * H) },
      });
    }
    if (c.cause) {
      const at = new Date(acceptedAt.getTime() + 2 * H);
      await db.caseInvestigation.create({
        data: {
          complaintId: row.id, departmentId: depts[c.dept].id, investigatorId: staffIds.sup, methods: ['call_recording'], startedBy: staffIds.sup, startedAt: at,
          rootCause: c.cause, rootCauseDetail: `${STAFF.h1.displayName}核实：${person.name}反映的问题属实`, impactLevel: 'medium',
          impactAssessment: `影响客户${person.name}（${person.phone}）`, analysedBy: staffIds.sup, analysedAt: at,
        },
      });
    }
    for (const v of c.surveys ?? []) {
      const sendAt = new Date(acceptedAt.getTime() + v.sendH * H);
      const sent = v.status !== 'scheduled' && v.status !== 'cancelled';
      await db.satisfactionSurvey.create({
        data: {
          complaintId: row.id, cycle: v.cycle, method: 'chat', status: v.status, feedbackAt: new Date(sendAt.getTime() - 2 * H), sendAt,
          remindAt: new Date(sendAt.getTime() + 24 * H), expiresAt: new Date(sendAt.getTime() + 72 * H), sentAt: sent ? sendAt : null,
          answeredAt: v.status === 'answered' ? new Date(sendAt.getTime() + 1 * H) : null, rating: v.rating ?? null, satisfied: v.satisfied ?? null,
        },
      });
    }
    for (const m of c.comps ?? []) {
      const decided = m.status !== 'requested';
      await db.compensation.create({
        data: {
          complaintId: row.id, amountYuan: m.amount, reason: '补偿', band: 'team_lead', policyVersion: 'test', requestedBy: staffIds.h1, requestedAt: acceptedAt, status: m.status,
          decidedBy: decided ? staffIds.sup : null, decidedAt: decided ? acceptedAt : null,
        },
      });
    }
    if (c.person && c.status === 'closed') {
      await db.caseRecord.create({
        data: { complaintId: row.id, kind: 'feedback', body: `已电话告知${person.name}（${person.phone}）处理结果，账户${person.account}已退款，身份证${person.id}核验通过。承办人${STAFF.h2.displayName}。`, recordedBy: staffIds.sup, recordedAt: acceptedAt },
      });
      await db.correctiveAction.create({
        data: { complaintId: row.id, description: `培训${STAFF.h3.displayName}所在团队，回访${person.name}`, ownerStaffId: staffIds.sup, departmentId: depts[c.dept].id, dueOn: new Date('2026-12-31'), createdBy: staffIds.sup, createdAt: acceptedAt },
      });
    }
  }
  return { url: target.url, db, staffIds, complaintIds, drop: async () => { await db.$disconnect(); await target.drop(); } };
}
