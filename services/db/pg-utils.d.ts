// pg's own value conversion (arrays, dates, buffers, JSON → the text PostgreSQL reads), which the
// package exports as pg/lib/utils.js without types.
declare module 'pg/lib/utils.js' {
  export function prepareValue(value: unknown): string | Buffer | null;
}
