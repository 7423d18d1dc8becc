// Demo console passwords for the demo staff (services/db/seed-demo-data.ts), set only by
// `npm run db:seed` — never by `npm start` — and only for accounts that have no password yet, so a
// real password is never overwritten. Refused in production: known passwords are a back door.
import type { Database } from '../db/client';
import { hashPassword } from './passwords';

export const DEMO_EMPLOYEE_NUMBERS = ['A1001', 'A1002', 'S2001', 'S2002', 'S2003', 'S2004', 'L3001', 'V4001', 'ADMIN'] as const;

/** The demo password of a demo account: `demo-` + its employee number (README, "Console"). */
export function demoPasswordFor(employeeNo: string): string {
  return `demo-${employeeNo}`;
}

export async function seedDemoPasswords({ db, env, now }: { db: Database; env: string; now: Date }): Promise<{ employeeNo: string; role: string; password: string }[]> {
  if (env === 'production') throw new Error('demo passwords are not set in production (NODE_ENV=production)');
  const staff = await db.staff.findMany({ where: { employeeNo: { in: [...DEMO_EMPLOYEE_NUMBERS] } }, select: { id: true, employeeNo: true, role: true }, orderBy: { employeeNo: 'asc' } });
  const set: { employeeNo: string; role: string; password: string }[] = [];
  for (const s of staff) {
    const password = demoPasswordFor(s.employeeNo);
    const created = await db.staffCredential.createMany({ data: [{ staffId: s.id, passwordHash: await hashPassword(password), passwordChangedAt: now }], skipDuplicates: true });
    if (created.count > 0) set.push({ employeeNo: s.employeeNo, role: s.role, password });
  }
  return set;
}
