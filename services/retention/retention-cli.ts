// `npm run retention [-- --dry-run] [-- --now 2029-12-01T00:00:00Z]`: one retention pass now (what the
// worker's daily job does). --dry-run counts what is due per business line and changes nothing.
// Prints counts, never personal data.
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../config';
import { createDatabase } from '../db/client';
import { loadPolicy } from '../policy/load-policy';
import { runRetention } from './run-retention';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const nowArg = args[args.indexOf('--now') + 1];
  const now = args.includes('--now') ? new Date(nowArg ?? '') : new Date();
  if (Number.isNaN(now.getTime())) throw new Error('--now needs an ISO date-time, e.g. 2029-12-01T00:00:00+08:00');
  loadDotEnvIfPresent();
  const config = loadConfig();
  const policy = loadPolicy(config.policyFile);
  const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 2, pii: config.pii.keyring });
  try {
    const report = await runRetention({ db, policy, now, dryRun });
    for (const l of report.byLine) {
      console.log(`${l.line}: ${l.years} years → closed before ${l.cutoff}: ${l.due} due${dryRun ? '' : `, ${l.anonymised} anonymised`}`);
    }
    if (!dryRun) console.log(`complainants anonymised (no complaint of theirs left within retention): ${report.complainantsAnonymised}`);
    else console.log('dry run: nothing changed');
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `${(err as Error).name}: ${(err as Error).message}`);
  process.exit(1);
});
