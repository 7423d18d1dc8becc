// `npm run audit:verify -- [--complaint TS…] [--json] [--heads] [--heads-out FILE] [--anchor FILE] [--batch 500]`
// Recomputes every complaint's event hash chain and exits 0 when the history is intact, 1 naming
// each complaint number and event id where it is not (edited, deleted, inserted or reordered
// directly in the database), 2 when it could not check. --heads prints the digest of all chain
// heads; --heads-out writes every complaint's head (number, position, hash) to a file to be kept
// outside the database, and --anchor FILE later checks that every chain still passes through them
// (see README, "Audit").
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { verifyAuditChains, type AnchoredHead, type AuditProblem } from '../services/audit/verify-chains';
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../services/config';
import { describeDatabaseConnectionError } from '../services/db/connection-errors';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      complaint: { type: 'string' }, json: { type: 'boolean', default: false },
      heads: { type: 'boolean', default: false }, batch: { type: 'string', default: '500' },
      'heads-out': { type: 'string' }, anchor: { type: 'string' },
    },
  });
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch is a positive whole number');
  loadDotEnvIfPresent();
  const config = loadConfig();
  const db = new Client({ connectionString: config.databaseUrl, application_name: 'audit-verify' });
  try {
    await db.connect();
    // One consistent snapshot for the whole walk: events written meanwhile do not look like tampering.
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const started = Date.now();
    const print = (p: AuditProblem) => console.log(`TAMPERED complaint ${p.complaintNumber} event ${p.eventId ?? '-'}: ${p.problem}`);
    const heads: string[] = [];
    const result = await verifyAuditChains({
      db, complaintNumber: values.complaint, batchSize, onProblem: values.json ? undefined : print,
      anchors: values.anchor ? readAnchors(values.anchor) : undefined,
      onHead: values['heads-out'] ? (h) => heads.push(`${h.complaintNumber} ${h.seq} ${h.hash}`) : undefined,
    });
    await db.query('COMMIT');
    if (values.complaint && result.complaints === 0) {
      console.error(`no complaint numbered ${values.complaint}`);
      return 2;
    }
    const ok = result.problems.length === 0;
    if (values['heads-out']) {
      writeFileSync(values['heads-out'], `# audit heads ${new Date().toISOString()} sha256:${result.headsDigest}\n${heads.join('\n')}\n`);
    }
    if (values.json) {
      console.log(JSON.stringify({ ok, checkedAt: new Date().toISOString(), ...result }, null, 2));
    } else {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`${ok ? 'intact' : `${result.problems.length} complaint(s) with a broken history`}: ${result.complaints} complaints, ${result.events} events checked in ${seconds} s`);
      if (values.heads) console.log(`heads digest ${new Date().toISOString()}: sha256:${result.headsDigest} (${result.complaints} complaints)`);
    }
    return ok ? 0 : 1;
  } catch (err) {
    const described = describeDatabaseConnectionError(err, config.databaseUrl);
    if (described) {
      console.error(described);
      return 2;
    }
    throw err;
  } finally {
    await db.end().catch(() => {});
  }
}

/** Lines "TS… seq hash" as --heads-out writes them ('#' lines are comments). */
function readAnchors(file: string): Map<string, AnchoredHead> {
  const anchors = new Map<string, AnchoredHead>();
  for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (!line.trim() || line.startsWith('#')) continue;
    const m = /^(\S+) (\d+) ([0-9a-f]{64})$/.exec(line.trim());
    if (!m) throw new Error(`${file}:${i + 1}: expected "<complaint number> <position> <sha256 hex>"`);
    anchors.set(m[1]!, { seq: Number(m[2]), hash: m[3]! });
  }
  return anchors;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `audit:verify failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
