// Runs `npm run report` the way an operator does (node + tsx on the CLI), against a seeded database.
import { runEntry, type EntryRun } from '../support/run-entry';

export const REPORT_CLI = ['--import', 'tsx', 'services/reports/report-cli.ts'];

export function runReportCli(args: string[], databaseUrl: string, env: Record<string, string> = {}): Promise<EntryRun> {
  return runEntry([...REPORT_CLI, ...args], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test', SEED_DEMO_DATA: 'false', ...env }, { timeoutMs: 60_000 });
}
