// `npm run db:seed`: the demo departments and staff (also seeded by `npm start` unless SEED_DEMO_DATA=false).
import { loadConfig, loadDotEnvIfPresent } from '../services/config';
import { createDatabase } from '../services/db/client';
import { seedDemoData } from '../services/db/seed-demo-data';

loadDotEnvIfPresent();
const config = loadConfig();
const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 2 });
try {
  const seeded = await seedDemoData(db);
  console.log(`seeded ${seeded.departments} departments and ${seeded.staff} staff (existing rows left as they are)`);
} finally {
  await db.$disconnect();
}
