// Helpers for the statements written here, shared by the turn lock and services/db/sql.ts: values as
// SQL literals for the simple-query protocol, which carries several statements in one round trip but
// no parameters (a transaction's last statements with its COMMIT: the turn lock,
// sqlBatchTransaction); and the names under which such statements are prepared once per connection.
import { createHash } from 'node:crypto';
import { prepareValue } from 'pg/lib/utils.js';

// A statement's name is a digest of its text, so a changed statement is a new one. Only statements
// written here are prepared (constant texts, or a handful of variants): past MAX_NAMED distinct
// texts, a statement is not prepared at all.
const names = new Map<string, string>();
const MAX_NAMED = 200;

/** The name `text` is prepared under on a connection; null once MAX_NAMED texts have names. */
export function preparedStatementName(text: string): string | null {
  let name = names.get(text);
  if (!name && names.size < MAX_NAMED) {
    name = `q_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name ?? null;
}

/**
 * `text` with its $1… replaced by the values as SQL literals (pg's own conversion, then escaped).
 * Only for statements written here: `text` must not hold a `$` other than the placeholders.
 */
export function inlineValues(text: string, values: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= values.length) throw new RangeError(`no value for $${n}`);
    return literalOf(values[index]);
  });
}

/** One value as an SQL literal: pg's own conversion, then quoted (NULL for null). */
export function literalOf(value: unknown): string {
  const prepared = prepareValue(value) as string | Buffer | null;
  if (prepared === null || prepared === undefined) return 'NULL';
  return quoteLiteral(Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : String(prepared));
}

/**
 * pg's escapeLiteral (quotes doubled; backslashes doubled under E'' when there are any), without its
 * character-by-character loop: the sealed state is kilobytes, on every turn.
 */
function quoteLiteral(text: string): string {
  const quoted = `'${text.replaceAll("'", "''")}'`;
  return text.includes('\\') ? ` E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}
