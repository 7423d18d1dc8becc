// Helpers for the console tests: staff with passwords (unique employee numbers), a signed-in
// browser-like client (cookie jar + CSRF header), and bearer tokens.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../services/db/client';
import { setStaffPassword } from '../../services/staff/set-staff-password';
import { issueStaffToken } from '../../services/staff/staff-token';
import { testConfig } from '../support/app';

export type Role = 'agent' | 'supervisor' | 'leadership' | 'supervision' | 'admin';

export interface TestStaff {
  id: string;
  employeeNo: string;
  password: string;
  role: Role;
  departmentId: string;
}

export async function departmentId(db: Database, code = 'CS'): Promise<string> {
  const row = await db.department.upsert({ where: { code }, create: { code, name: code, nameEn: code }, update: {}, select: { id: true } });
  return row.id;
}

export async function createStaff(db: Database, role: Role, options: { department?: string; password?: string; now?: Date } = {}): Promise<TestStaff> {
  const employeeNo = `T${randomBytes(4).toString('hex').toUpperCase()}`;
  const password = options.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const dept = await departmentId(db, options.department ?? 'CS');
  const row = await db.staff.create({ data: { employeeNo, displayName: `${role} ${employeeNo}`, role, departmentId: dept }, select: { id: true } });
  await setStaffPassword({ db, employeeNo, password, now: options.now ?? new Date() });
  return { id: row.id, employeeNo, password, role, departmentId: dept };
}

/** A staff bearer token valid for 30 days from `now` (tests move the app's clock forward). */
export function bearerFor(staffId: string, now = new Date()): string {
  return `Bearer ${issueStaffToken({ staffId, secret: testConfig().staffTokenSecret, ttlSeconds: 30 * 24 * 3600, now })}`;
}

/** A minimal browser: keeps cookies, sends the CSRF cookie back as X-CSRF-Token on unsafe calls. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, options: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const unsafe = !['GET', 'HEAD'].includes(method);
    if (unsafe && options.csrf !== false && this.cookies.has('console_csrf')) headers['X-CSRF-Token'] = this.cookies.get('console_csrf')!;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body?: unknown, options?: { csrf?: boolean }) {
    return this.request('POST', path, body ?? {}, options);
  }

  async signIn(staff: { employeeNo: string; password: string }) {
    return this.request('POST', '/api/v1/session', { employeeNo: staff.employeeNo, password: staff.password });
  }
}

/** A client signed in as `staff` (fails loudly when sign-in does not work). */
export async function signedIn(baseUrl: string, staff: TestStaff): Promise<ConsoleClient> {
  const client = new ConsoleClient(baseUrl);
  const res = await client.signIn(staff);
  if (res.status !== 200) throw new Error(`sign-in as ${staff.employeeNo} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}
