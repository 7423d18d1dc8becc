// Values as SQL literals for the simple-query protocol, which carries several statements in one round
// trip but no parameters (a transaction's last statements with its COMMIT: the turn lock,
// sqlBatchTransaction).
import { prepareValue } from 'pg/lib/utils.js';

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
