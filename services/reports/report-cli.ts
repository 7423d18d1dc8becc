// `npm run --silent report -- --from 2026-11-01 --to 2026-11-30 [--line insurance] [--type …]
//   [--channel …] [--tier L1|L2|L3] [--product …] [--customer-group …] [--region …] [--department CODE]
//   [--handler EMPLOYEE_NO] [--format json|xlsx|pdf] [--out FILE]`   statistics / special report (专项统计)
// `npm run --silent report -- cases --from … --to … [--line …] [--type …] [--format json|csv] [--out FILE]`
//   training cases: closed complaints, anonymised (R-CASES)
// `npm run --silent report -- monthly [--now 2026-12-03T08:00:00+08:00]`
//   the monthly job's check, run by hand: produces and mails last month's report if it is due
// Dates are Asia/Shanghai calendar days, both ends inclusive.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../config';
import { createDatabase } from '../db/client';
import { describeDatabaseConnectionError } from '../db/connection-errors';
import { createLogger } from '../logger';
import { loadPolicy } from '../policy/load-policy';
import { useDimensionLabels } from './report-labels';
import { calendarForPolicy } from '../startup-checks';
import { computeStatistics } from './compute-statistics';
import { exportTrainingCases } from './export-training-cases';
import { runMonthlyReportIfDue } from './monthly-report-job';
import { ReportFontError, renderPdf } from './pdf-report';
import { reportSettingsFrom } from './produce-report';
import { reportFilterSchema } from './report-filter';
import { renderXlsx } from './xlsx-report';

class UsageError extends Error {}

function write(out: string | undefined, data: string | Buffer, what: string): void {
  if (out) {
    writeFileSync(out, data);
    console.error(`wrote ${what} to ${out}`);
  } else if (typeof data !== 'string' && process.stdout.isTTY) {
    throw new UsageError('binary output: give --out FILE (or redirect standard output)');
  } else {
    process.stdout.write(data);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const command = argv[0] && !argv[0].startsWith('-') ? argv.shift()! : 'statistics';
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' }, to: { type: 'string' }, line: { type: 'string' }, type: { type: 'string' }, channel: { type: 'string' },
      tier: { type: 'string' }, product: { type: 'string' }, 'customer-group': { type: 'string' }, region: { type: 'string' },
      department: { type: 'string' }, handler: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, now: { type: 'string' },
    },
  });
  loadDotEnvIfPresent();
  const config = loadConfig();
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError('--now must be an ISO date-time');
  const parseFilter = () => {
    const parsed = reportFilterSchema.safeParse({
      from: values.from, to: values.to, line: values.line, type: values.type, channel: values.channel, tier: values.tier, product: values.product,
      customerGroup: values['customer-group'], region: values.region, department: values.department, handler: values.handler,
    });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; '));
    return parsed.data;
  };
  const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 4, pii: config.pii.keyring });
  try {
    if (command === 'statistics') {
      const format = values.format ?? 'json';
      if (!['json', 'xlsx', 'pdf'].includes(format)) throw new UsageError('--format is json, xlsx or pdf');
      const filter = parseFilter();
      const settings = reportSettingsFrom(config);
      const figures = await computeStatistics({ db, filter, now, azure: settings.azure, textSampleSize: settings.textSampleSize });
      if (format === 'json') write(values.out, `${JSON.stringify(figures, null, 2)}\n`, `statistics of ${figures.total} complaints`);
      else if (format === 'xlsx') write(values.out, await renderXlsx(figures), `the XLSX report (${figures.total} complaints)`);
      else write(values.out, await renderPdf(figures, settings.font), `the PDF report (${figures.total} complaints)`);
    } else if (command === 'cases') {
      const format = values.format ?? 'json';
      if (!['json', 'csv'].includes(format)) throw new UsageError('--format is json or csv for training cases');
      const exported = await exportTrainingCases({ db, filter: parseFilter(), now });
      const output = format === 'json'
        ? `${JSON.stringify(exported, null, 2)}\n`
        : `\ufeff${stringify(exported.cases.map((c) => ({ ...c, measures: c.measures.join('；'), records: c.records.map((r) => `${r.kind}: ${r.text}`).join('\n') })), { header: true })}`;
      write(values.out, output, `${exported.total} anonymised training cases`);
    } else if (command === 'monthly') {
      const log = createLogger({ level: config.logLevel }).child({ component: 'reports' });
      const policy = loadPolicy(config.policyFile);
      useDimensionLabels(policy);
      const calendar = calendarForPolicy(policy, log);
      const result = await runMonthlyReportIfDue({
        db, calendar, now, log, settings: reportSettingsFrom(config), workingDay: config.reports.monthlyWorkingDay,
        mail: config.alertDelivery.mail, extraRecipients: config.reports.extraRecipients, consoleUrl: config.publicBaseUrl,
      });
      console.log(JSON.stringify(result));
    } else {
      throw new UsageError(`unknown command "${command}" (statistics, cases or monthly)`);
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
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof ReportFontError) console.error(err.message);
    else console.error(`report failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
