// The `deadlines` command (deadlines-cli.ts runs it): arguments, policy, calendar, one JSON line.
import cnHolidays from '../calendar/cn-holidays.json';
import { createBusinessCalendar } from '../calendar/business-calendar';
import { loadPolicy, PolicyError } from '../policy/load-policy';
import type { ComplaintPolicy, TierName } from '../policy/policy';
import { computeDeadlines, DEADLINE_KINDS, type DeadlineKindName } from './compute-deadlines';

const USAGE = 'usage: npm run --silent deadlines -- --tier L1|L2|L3 --accepted <ISO 8601 date-time with offset, e.g. 2026-09-28T10:00:00+08:00> [--urgent] [--policy FILE]';

const JSON_KEY: Record<DeadlineKindName, string> = {
  first_response: 'firstResponse',
  to_supervisor: 'toSupervisor',
  forward_to_leadership: 'forwardToLeadership',
  leadership_meeting: 'leadershipMeeting',
  investigation: 'investigation',
  feedback: 'feedback',
  statutory_decision: 'statutoryDecision',
};

export class UsageError extends Error {}

interface CliArgs {
  tier: TierName;
  acceptedAt: Date;
  urgent: boolean;
  policyFile?: string;
}

export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const values = new Map<string, string>();
  let urgent = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--urgent') {
      if (urgent) throw new UsageError('--urgent given twice');
      urgent = true;
      continue;
    }
    const m = /^(--tier|--accepted|--policy)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unknown argument "${arg}"`);
    const name = m[1]!;
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
    }
    if (values.has(name)) throw new UsageError(`${name} given twice`);
    values.set(name, value);
  }
  const tier = values.get('--tier');
  if (tier === undefined) throw new UsageError('--tier is required');
  if (tier !== 'L1' && tier !== 'L2' && tier !== 'L3') throw new UsageError(`--tier must be L1, L2 or L3, not "${tier}"`);
  const accepted = values.get('--accepted');
  if (accepted === undefined) throw new UsageError('--accepted is required');
  const policyFile = values.get('--policy');
  if (policyFile !== undefined && policyFile.trim() === '') throw new UsageError('--policy needs a file name');
  return { tier, acceptedAt: parseInstant(accepted), urgent, policyFile };
}

/** A real date-time with an explicit offset (or Z); a bare local time would depend on this machine's zone. */
function parseInstant(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const bad = () => new UsageError(`--accepted must be an ISO 8601 date-time with an offset such as 2026-09-28T10:00:00+08:00, not "${text}"`);
  if (!m) throw bad();
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59 || Number(m[6] ?? 0) > 59) throw bad();
  const offset = m[8]!;
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4)) > 59)) throw bad();
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) throw bad();
  return instant;
}

function loadPolicyOrFail(file: string | undefined): ComplaintPolicy {
  try {
    return loadPolicy(file);
  } catch (err) {
    if (err instanceof PolicyError) throw new UsageError(`invalid policy file ${err.file}: ${err.problems.join('; ')}`);
    throw err;
  }
}

/**
 * Runs the command: `out` gets the answer line (or the usage for --help), `warn` the usage error or
 * calendar warnings. Returns the exit code: 0, or 2 for bad arguments. `env` gives POLICY_FILE.
 */
export function runDeadlinesCommand(
  argv: readonly string[],
  { out, warn, env = process.env }: { out: (line: string) => void; warn: (line: string) => void; env?: Record<string, string | undefined> },
): number {
  let args: CliArgs | 'help';
  let policy: ComplaintPolicy;
  try {
    args = parseArgs(argv);
    if (args === 'help') {
      out(USAGE);
      return 0;
    }
    policy = loadPolicyOrFail(args.policyFile ?? env.POLICY_FILE);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    warn(`${err.message} — ${USAGE}`);
    return 2;
  }
  const warnedYears = new Set<number>();
  const calendar = createBusinessCalendar(cnHolidays, {
    timeZone: policy.timeZone,
    serviceHours: policy.serviceHours,
    onBeyondData: (year) => {
      if (warnedYears.has(year)) return;
      warnedYears.add(year);
      warn(`warning: the business calendar has no holiday data for ${year}; counting weekends only there (add ${year} to services/calendar/cn-holidays.json)`);
    },
  });
  const deadlines = computeDeadlines({ acceptedAt: args.acceptedAt, tier: args.tier, urgent: args.urgent, policy, calendar });
  const shown: Record<string, string> = {};
  for (const kind of DEADLINE_KINDS) {
    const due = deadlines[kind];
    if (due) shown[JSON_KEY[kind]] = calendar.formatLocal(due);
  }
  out(JSON.stringify({ tier: args.tier, acceptedAt: calendar.formatLocal(args.acceptedAt), deadlines: shown }));
  return 0;
}

