// `npm run --silent staff:token -- --employee S2001 [--hours 8]`: prints a bearer token for the staff
// API, for an administrator to hand to a supervisor until the console's sign-in exists.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../config';
import { createDatabase } from '../db/client';
import { issueStaffToken } from './staff-token';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { employee: { type: 'string' }, hours: { type: 'string', default: '8' } } });
  const hours = Number(values.hours);
  if (!values.employee || !Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) {
    console.error('usage: npm run --silent staff:token -- --employee <employee number> [--hours 1-720]');
    return 2;
  }
  loadDotEnvIfPresent();
  const config = loadConfig();
  const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
  try {
    const staff = await db.staff.findUnique({ where: { employeeNo: values.employee }, select: { id: true, role: true, active: true } });
    if (!staff?.active) {
      console.error(`no active staff member with employee number ${values.employee}`);
      return 1;
    }
    console.log(issueStaffToken({ staffId: staff.id, secret: config.staffTokenSecret, ttlSeconds: Math.round(hours * 3600), now: new Date() }));
    console.error(`token for ${values.employee} (${staff.role}), valid ${hours} h`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `staff:token failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
