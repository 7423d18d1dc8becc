// `npm run complainant:export -- --phone 13800138000 | --email a@b.cn | --complaint TS20261128-000001
// [--by <employee no. or name of the operator>] [--out file.json]`: everything held about one
// complainant as JSON (PIPL access request), recorded on their complaints as `complainant.exported`
// by the operator named with --by (default: the OS user). Writes the JSON to stdout or --out.
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../config';
import { createDatabase } from '../db/client';
import { AppError } from '../errors';
import { exportComplainantData, type ExportLookup } from './export-complainant';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const phone = option('phone');
  const email = option('email');
  const complaint = option('complaint');
  const lookups: ExportLookup[] = [phone ? { phone } : null, email ? { email } : null, complaint ? { complaintNumber: complaint } : null].filter((l): l is ExportLookup => l !== null);
  if (lookups.length !== 1) throw new AppError('INVALID_INPUT', { message: 'usage: npm run complainant:export -- --phone <mobile> | --email <address> | --complaint <TS…> [--by <operator>] [--out <file>]' });
  loadDotEnvIfPresent();
  const config = loadConfig();
  const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 2, pii: config.pii.keyring });
  try {
    const operator = option('by') ?? userInfo().username;
    const result = await exportComplainantData({ db, lookup: lookups[0]!, piiHashKey: config.piiHashKey, actor: { type: 'system', id: `cli:${operator}`, channel: 'cli' }, now: new Date() });
    const json = `${JSON.stringify(result, null, 2)}\n`;
    const out = option('out');
    if (out) {
      writeFileSync(out, json, { mode: 0o600 });
      console.error(`written to ${out}: ${result.complaints.length} complaint(s); the export is recorded on each`);
    } else {
      process.stdout.write(json);
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof AppError ? err.message : `${(err as Error).name}: ${(err as Error).message}`);
  process.exit(1);
});
