// `npm run db:migrate`: applies pending migrations to DATABASE_URL (creating the database if it does
// not exist). Prints one line per applied migration, or "database is up to date". Problems people
// must fix (bad configuration, unreachable server, edited or failed migrations) are printed as
// plain messages with exit code 1, not as stack traces.
import { ConfigError, loadConfig, loadDotEnvIfPresent, type AppConfig } from '../config';
import { describeDatabaseConnectionError, redactUrl } from './connection-errors';
import { migrate, MigrationError } from './migrate';

async function main(): Promise<number> {
  let config: AppConfig;
  try {
    loadDotEnvIfPresent();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }

  try {
    const { applied } = await migrate({
      databaseUrl: config.databaseUrl,
      log: (msg, fields) => {
        const event = (fields as { event?: string } | undefined)?.event;
        // Applied migrations go to stdout as they happen (so a later failure still shows them);
        // waiting and database creation are worth a note on stderr; the rest is noise here.
        if (event === 'applied') console.log(msg);
        else if (event === 'lock_wait' || event === 'create_database') console.error(msg);
      },
    });
    if (applied.length === 0) console.log('database is up to date');
    return 0;
  } catch (err) {
    if (err instanceof MigrationError) {
      console.error(err.message);
      return 1;
    }
    const described = describeDatabaseConnectionError(err, config.databaseUrl);
    if (described) {
      console.error(described);
      return 1;
    }
    const code = (err as { code?: unknown }).code;
    console.error(
      `Migrating ${redactUrl(config.databaseUrl)} failed: ${err instanceof Error ? err.message : String(err)}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
    if (process.env.DEBUG && err instanceof Error && err.stack) console.error(err.stack);
    return 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
