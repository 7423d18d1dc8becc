// `npm run db:seed`: the demo departments and staff (also seeded by `npm start` unless SEED_DEMO_DATA=false).
import { loadConfig, loadDotEnvIfPresent } from '../services/config';
import { createDatabase } from '../services/db/client';
import { seedDemoData } from '../services/db/seed-demo-data';
import { seedDemoPasswords } from '../services/staff/seed-demo-passwords';

loadDotEnvIfPresent();
const config = loadConfig();
const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 2, pii: config.pii.keyring });
try {
  const seeded = await seedDemoData(db);
  console.log(`seeded ${seeded.departments} departments and ${seeded.staff} staff (existing rows left as they are)`);
  // Demo console passwords, printed the one time they are set (accounts with a password keep it).
  const passwords = await seedDemoPasswords({ db, env: config.env, now: new Date() });
  if (passwords.length > 0) {
    console.log(`demo console sign-ins (http://localhost:${config.port}/console/) — change them with npm run staff:password:`);
    for (const p of passwords) console.log(`  ${p.employeeNo.padEnd(6)} ${p.role.padEnd(12)} ${p.password}`);
  } else {
    console.log('demo console passwords already set (unchanged)');
  }
} finally {
  await db.$disconnect();
}
