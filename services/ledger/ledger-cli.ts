// `npm run ledger -- [--from 2026-11-01] [--to 2026-11-30] [--number TS2026…] [--status …] [--line …]
//  [--type …] [--tier L1|L2|L3|untriaged] [--channel …] [--format csv|json] [--out FILE]`
// Exports the complaint ledger (投诉台账) with complainants' names and phones masked. Dates are
// Asia/Shanghai calendar days; --to is inclusive.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../config';
import { createDatabase } from '../db/client';
import { describeDatabaseConnectionError } from '../db/connection-errors';
import { ledgerToCsv } from './ledger-csv';
import { ledgerFilterSchema, searchLedger, type LedgerRow } from './search-ledger';

const PAGE = 1000;

function shanghaiDayStart(day: string, plusDays = 0): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`dates are YYYY-MM-DD, got ${day}`);
  const start = new Date(`${day}T00:00:00+08:00`);
  return new Date(start.getTime() + plusDays * 86_400_000);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' }, to: { type: 'string' }, number: { type: 'string' }, status: { type: 'string' },
      line: { type: 'string' }, type: { type: 'string' }, tier: { type: 'string' }, channel: { type: 'string' },
      format: { type: 'string', default: 'csv' }, out: { type: 'string' },
    },
  });
  if (values.format !== 'csv' && values.format !== 'json') throw new Error('--format is csv or json');
  const parsed = ledgerFilterSchema.safeParse({
    number: values.number, status: values.status, businessLine: values.line, type: values.type, tier: values.tier, intakeChannel: values.channel,
    acceptedFrom: values.from ? shanghaiDayStart(values.from) : undefined,
    acceptedBefore: values.to ? shanghaiDayStart(values.to, 1) : undefined,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const filter = parsed.data;
  loadDotEnvIfPresent();
  const config = loadConfig();
  const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 1, pii: config.pii.keyring });
  try {
    const rows: LedgerRow[] = [];
    for (let page = await searchLedger({ db, filter, limit: PAGE }); page.length > 0; ) {
      rows.push(...page);
      page = page.length < PAGE ? [] : await searchLedger({ db, filter, limit: PAGE, afterNumber: page[page.length - 1]!.number });
    }
    const output = values.format === 'json' ? `${JSON.stringify({ total: rows.length, rows }, null, 2)}\n` : ledgerToCsv(rows, { timeZone: 'Asia/Shanghai' });
    if (values.out) {
      writeFileSync(values.out, output);
      console.error(`wrote ${rows.length} complaints to ${values.out}`);
    } else {
      process.stdout.write(output);
    }
    return 0;
  } catch (err) {
    const described = describeDatabaseConnectionError(err, config.databaseUrl);
    if (described) {
      console.error(described);
      return 1;
    }
    throw err;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `ledger export failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
