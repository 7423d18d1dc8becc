// `npm run --silent deadlines -- --tier L2 --accepted 2026-09-28T10:00:00+08:00 [--urgent] [--policy FILE]`
// prints one JSON line: {"tier","acceptedAt","deadlines":{"firstResponse",…,"statutoryDecision"}} —
// every time ISO 8601 in the policy's time zone with its offset (+08:00), the kinds that do not apply
// to the tier left out, in the order of DEADLINE_KINDS. Same maths as the bot: the policy (--policy,
// else POLICY_FILE, else the shipped one) and the calendar data in services/calendar/cn-holidays.json.
//
// Bad arguments (or an unreadable policy file): one line on stderr, exit code 2. When a deadline runs
// into a year the calendar has no data for, a warning on stderr (weekends only are counted there);
// the answer still goes to stdout.
import { runDeadlinesCommand } from './deadlines-command';

try {
  process.exitCode = runDeadlinesCommand(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    warn: (line) => process.stderr.write(`${line}\n`),
  });
} catch (err) {
  process.stderr.write(`deadlines: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
