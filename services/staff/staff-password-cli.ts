// `npm run --silent staff:password -- <employee number>`: sets a staff member's console password,
// read from stdin (never from argv, which other users of the machine can see in `ps`). At a
// terminal it asks twice without echo; piped, it takes the first line.
//   printf '%s\n' "$NEW_PASSWORD" | npm run --silent staff:password -- A1001
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../config';
import { createDatabase } from '../db/client';
import { AppError } from '../errors';
import { setStaffPassword } from './set-staff-password';

async function readHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readFirstLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function main(): Promise<number> {
  const employeeNo = process.argv[2];
  if (!employeeNo || process.argv.length > 3 || employeeNo.startsWith('-')) {
    console.error('usage: npm run --silent staff:password -- <employee number>   (the password is read from stdin)');
    return 2;
  }
  let password: string;
  if (process.stdin.isTTY) {
    password = await readHidden(`new console password for ${employeeNo}: `);
    if ((await readHidden('again: ')) !== password) {
      console.error('the two passwords differ; nothing changed');
      return 1;
    }
  } else {
    password = await readFirstLine();
  }
  loadDotEnvIfPresent();
  const config = loadConfig();
  const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
  try {
    const result = await setStaffPassword({ db, employeeNo, password, now: new Date() });
    console.error(`password set for ${employeeNo}; ${result.sessionsEnded} open session(s) ended`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message);
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
    console.error(err instanceof ConfigError ? err.message : `staff:password failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
