// `npm run pii:encrypt` — encrypt the personal-data columns of rows written before encryption was on
// (and redact transcript messages stored before redaction, and hash WeChat followers' openids);
// `npm run keys:rotate` — after PII_KEY_CURRENT names a new key (the old ones still in PII_KEYS /
// PII_KEY_FILE), move every value to it. Both do the same work: everything not under the current key
// is rewritten; both are safe to re-run and to run while the bot serves. Prints counts, never values.
// Exit 0 when nothing is left under another key, 1 when some values could not be read (listed by row id).
import { ConfigError, loadConfig, loadDotEnvIfPresent } from '../config';
import { createDatabase } from '../db/client';
import { countStaleValues, reencryptColumns } from './reencrypt-columns';
import { redactStoredTranscripts } from '../transcripts/redact-stored-transcripts';
import { reencryptBotStates } from '../bot-state/bot-state-store';
import { hashLegacyFollowers } from '../channels/wechat/wechat-inbox';
import { reencryptDirectLineActivities } from '../channels/directline/sealed-activities';

async function main(): Promise<number> {
  const rotate = process.argv.includes('--rotate');
  loadDotEnvIfPresent();
  const config = loadConfig();
  const keyring = config.pii.keyring;
  const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 2, pii: keyring });
  try {
    console.log(`${rotate ? 'Rotating to' : 'Encrypting under'} key "${keyring.currentKeyId}" (${config.pii.source}; keys known: ${[...keyring.keys.keys()].join(', ')})`);
    // Followers stored before their openid was encrypted get its keyed hash first (read from the plaintext).
    const followers = await hashLegacyFollowers({ db, hashKey: config.piiHashKey });
    if (followers.hashed) console.log(`  wechat_user: ${followers.hashed} followers given their open_id_hash`);
    const report = await reencryptColumns({ db, keyring, onBatch: (table, done) => console.log(`  ${table}: ${done} rows examined so far`) });
    for (const c of report.columns) console.log(`  ${c.table}.${c.column}: ${c.rewritten} rewritten (${c.fromPlaintext} were plaintext)`);
    const activities = await reencryptDirectLineActivities({ db, keyring });
    console.log(`  directline_activity: ${activities.rewritten} of ${activities.examined} chat activities rewritten${activities.unreadable ? ` (${activities.unreadable} not readable with the configured keys, left to be purged)` : ''}`);
    const states = await reencryptBotStates(db);
    console.log(`  bot_state: ${states.rewritten} of ${states.examined} conversation states rewritten${states.skippedConcurrent ? ` (${states.skippedConcurrent} saved meanwhile by a turn)` : ''}`);
    for (const key of states.unreadable) console.error(`  cannot rewrite bot_state ${key}: not readable with the configured keys`);
    if (report.skippedConcurrent) console.log(`  ${report.skippedConcurrent} rows changed meanwhile by the running service (already under the current key)`);
    for (const f of report.failures) console.error(`  cannot rewrite ${f.table} ${f.id} (${f.column}): ${f.reason}`);
    if (!rotate) {
      // Transcripts are redacted rather than encrypted: rows from before redaction get it now.
      const transcripts = await redactStoredTranscripts({ db });
      console.log(`  transcript_message: ${transcripts.redacted} of ${transcripts.examined} messages redacted`);
    }
    const left = (await countStaleValues(db, keyring)).filter((s) => s.stale > 0);
    if (left.length === 0) console.log(`Done: every value is under key "${keyring.currentKeyId}"; keys other than it are no longer needed.`);
    else console.log(`Left under other keys: ${left.map((s) => `${s.table}.${s.column} ${s.stale}`).join(', ')}`);
    return report.failures.length > 0 || states.unreadable.length > 0 ? 1 : 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : `${(err as Error).name}: ${(err as Error).message}`);
    process.exit(1);
  },
);
