// An alert ready to deliver: a supervisor, a complaint (with a complainant whose name, phone and
// description must never appear in an alert), its pending deadlines, and one open alert. All data is
// random so parallel test files never meet.
import { randomBytes, randomInt } from 'node:crypto';
import { loadConfig, type AppConfig } from '../../services/config';
import { createDatabase, type Database } from '../../services/db/client';
import { testDatabaseUrl } from './database';

// Deliberately not test/support/app.ts: alert delivery needs neither the policy nor the desk.

/** A database client on this run's test database; call `$disconnect()` in afterAll. */
export function alertTestDb(poolSize = 5): Database {
  return createDatabase({ databaseUrl: testDatabaseUrl(), poolSize });
}

/** The configuration of a test process, with `env` on top. */
export function alertTestConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'silent', MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false', ...env });
}

export interface AlertScenario {
  alertId: string;
  staffId: string;
  complaintId: string;
  complaintNumber: string;
  complainant: { name: string; phone: string; email: string };
  description: string;
  /** The first-response deadline the triage.l1 alert is about. */
  firstResponseDue: Date;
}

export const ACCEPTED_AT = new Date('2026-11-28T06:00:00Z'); // 14:00 Beijing time

export async function createAlertScenario(
  db: Database,
  { tier = 'L1', kind = 'triage.l1', staffActive = true }: { tier?: 'L1' | 'L2' | 'L3' | null; kind?: string; staffActive?: boolean } = {},
): Promise<AlertScenario> {
  const tag = randomBytes(4).toString('hex');
  const department = await db.department.create({ data: { code: `ALERT-${tag}`, name: `理赔部${tag}`, nameEn: `Claims ${tag}` } });
  const staff = await db.staff.create({
    data: { employeeNo: `E-${tag}`, displayName: `主管${tag}`, email: `sup-${tag}@example.com`, role: 'supervisor', departmentId: department.id, active: staffActive },
  });
  const complainant = { name: `${pick('王李张刘陈杨赵黄')}${pick('伟芳娜敏静丽强磊')}${pick('军洋勇艳杰娟涛明')}`, phone: `139${String(randomInt(1e8)).padStart(8, '0')}`, email: `customer-${tag}@example.org` };
  const person = await db.complainant.create({ data: { ...complainant, phoneHash: randomBytes(32).toString('hex') } });
  const day = `20${randomInt(90, 100)}${String(randomInt(1, 13)).padStart(2, '0')}${String(randomInt(1, 29)).padStart(2, '0')}`;
  const seq = randomInt(1, 1_000_000);
  const description = `车险理赔三个月未赔付，联系人${complainant.name}，电话${complainant.phone}（${tag}）`;
  const complaint = await db.complaint.create({
    data: {
      number: `TS${day}-${String(seq).padStart(6, '0')}`, acceptedDay: day, dailySeq: seq, complainantId: person.id,
      businessLine: 'insurance', type: 'claims_dispute', description, feedbackMethod: 'phone', intakeChannel: 'online_chat',
      channelId: 'webchat', policyVersion: 'test', departmentId: department.id, tier, acceptedAt: ACCEPTED_AT,
    },
  });
  const firstResponseDue = new Date(ACCEPTED_AT.getTime() + 30 * 60_000);
  await db.complaintDeadline.createMany({
    data: [
      { complaintId: complaint.id, kind: 'first_response', dueAt: firstResponseDue },
      { complaintId: complaint.id, kind: 'feedback', dueAt: new Date(ACCEPTED_AT.getTime() + 5 * 86_400_000) },
    ],
  });
  const alert = await db.alert.create({
    data: { complaintId: complaint.id, kind, recipientRole: 'supervisor', recipientStaffId: staff.id, departmentId: department.id, dedupeKey: `${complaint.id}:${kind}:${staff.id}`, createdAt: ACCEPTED_AT },
  });
  return { alertId: alert.id, staffId: staff.id, complaintId: complaint.id, complaintNumber: complaint.number, complainant, description, firstResponseDue };
}

function pick(chars: string): string {
  return chars[randomInt(chars.length)]!;
}

/** Events of a type on a complaint, oldest first. */
export async function eventsOf(db: Database, complaintId: string, type: string) {
  return db.complaintEvent.findMany({ where: { complaintId, type }, orderBy: { id: 'asc' } });
}

export const TEST_ACK_LINKS = { publicBaseUrl: 'https://complaints.test', secret: 'test-staff-token-secret-0123456789abcdef', ttlSeconds: 72 * 3600 };
