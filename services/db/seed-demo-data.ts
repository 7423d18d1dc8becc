// Demo departments and staff so a fresh install has someone to route complaints to. Idempotent:
// upserts on the natural keys, so every start (and several instances starting together) is safe.
import type { Database } from './client';

const DEPARTMENTS = [
  { code: 'CS', name: '客户服务部', nameEn: 'Customer Service', businessLine: null },
  { code: 'CLAIMS', name: '理赔部', nameEn: 'Claims', businessLine: 'insurance' as const },
  { code: 'BROKERAGE', name: '经纪业务部', nameEn: 'Brokerage', businessLine: 'securities' as const },
  { code: 'COMPLAINTS-LG', name: '投诉处理领导小组', nameEn: 'Complaint Leadership Group', businessLine: null },
  { code: 'SUPERVISION', name: '监督部', nameEn: 'Supervision', businessLine: null },
];

const STAFF = [
  { employeeNo: 'A1001', displayName: '客服专员 一号', role: 'agent' as const, department: 'CS' },
  { employeeNo: 'A1002', displayName: '客服专员 二号', role: 'agent' as const, department: 'CS' },
  { employeeNo: 'S2001', displayName: '客服主管', role: 'supervisor' as const, department: 'CS' },
  { employeeNo: 'S2002', displayName: '理赔主管', role: 'supervisor' as const, department: 'CLAIMS' },
  { employeeNo: 'S2003', displayName: '经纪业务主管', role: 'supervisor' as const, department: 'BROKERAGE' },
  { employeeNo: 'L3001', displayName: '领导小组组长', role: 'leadership' as const, department: 'COMPLAINTS-LG' },
  { employeeNo: 'V4001', displayName: '监督专员', role: 'supervision' as const, department: 'SUPERVISION' },
  // Handles complaints about how complaints are handled (R-SUPERVISION): the supervision role only reads.
  { employeeNo: 'S2004', displayName: '监督部主管', role: 'supervisor' as const, department: 'SUPERVISION' },
  { employeeNo: 'ADMIN', displayName: '系统管理员', role: 'admin' as const, department: 'CS' },
];

export async function seedDemoData(db: Database): Promise<{ departments: number; staff: number }> {
  const ids = new Map<string, string>();
  for (const d of DEPARTMENTS) {
    const row = await db.department.upsert({ where: { code: d.code }, create: d, update: {}, select: { id: true } });
    ids.set(d.code, row.id);
  }
  for (const s of STAFF) {
    const { department, ...staff } = s;
    await db.staff.upsert({ where: { employeeNo: s.employeeNo }, create: { ...staff, departmentId: ids.get(department) ?? null }, update: {} });
  }
  return { departments: DEPARTMENTS.length, staff: STAFF.length };
}
