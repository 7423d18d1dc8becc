// Compares schema.prisma with a migrated database, because the project applies hand-kept SQL
// migrations (services/db/migrate.ts) instead of letting Prisma's engine derive them: nothing else
// notices when the two disagree. schema.prisma is read with Prisma's own parser (its WASM build,
// via @prisma/get-dmmf, the function behind @prisma/internals' getDMMF), the database through
// pg_catalog of its current schema (normally `public`).
//
// Checked: every model's table; every scalar and enum field's column with its type (Prisma type +
// @db attribute), nullability and default; tables and columns the schema lacks; every enum type
// and its values; primary keys, @unique/@@unique, @@index (columns in order, sort order, access
// method, name when mapped) and indexes the schema lacks; foreign keys of relations with their
// referential actions, and foreign keys the schema lacks. Not checked: enum value order, CHECK
// constraints, triggers and functions (the append-only trigger is tested separately).
import { getDMMF } from '@prisma/get-dmmf';
import { Client } from 'pg';

type Dmmf = Exclude<ReturnType<typeof getDMMF>, { type: 'wasm-error' | 'parse-json' }>;
type Model = Dmmf['datamodel']['models'][number];
type Field = Model['fields'][number];
type Index = NonNullable<Dmmf['datamodel']['indexes']>[number];

/** Tables that exist in the database on purpose without a model. */
const TABLES_WITHOUT_MODEL = new Set(['_prisma_migrations']);

/** Reads schema.prisma text with Prisma's own parser; throws with Prisma's message if it is invalid. */
export function parsePrismaSchema(schemaText: string): Dmmf['datamodel'] {
  const result = getDMMF({ datamodel: schemaText });
  if ('type' in result) {
    let message = result.error?.message ?? result.reason;
    try {
      message = (JSON.parse(message) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep as is
    }
    // eslint-disable-next-line no-control-regex
    throw new Error(`schema.prisma is invalid:\n${message.replace(/\u001b\[[0-9;]*m/g, '')}`);
  }
  return result.datamodel;
}

/**
 * Every difference between `schemaText` (a schema.prisma) and the database at `databaseUrl`, one
 * human-readable line each; an empty array when they agree.
 */
export async function compareSchemaWithDatabase(schemaText: string, databaseUrl: string): Promise<string[]> {
  const datamodel = parsePrismaSchema(schemaText);
  const db = await readDatabase(databaseUrl);
  const drift: string[] = [];

  const enumDbName = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const modelsByName = new Map(datamodel.models.map((m) => [m.name, m]));
  const tableOf = (model: Model) => model.dbName ?? model.name;
  const columnOf = (model: Model, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    return field?.dbName ?? fieldName;
  };

  // Enums.
  const expectedEnums = new Set<string>();
  for (const e of datamodel.enums) {
    const name = e.dbName ?? e.name;
    expectedEnums.add(name);
    const actual = db.enums.get(name);
    if (!actual) {
      drift.push(`enum type "${name}" (enum ${e.name}) is missing in the database`);
      continue;
    }
    const expectedValues = e.values.map((v) => v.dbName ?? v.name);
    for (const v of expectedValues) {
      if (!actual.includes(v)) drift.push(`enum type "${name}" (enum ${e.name}): value "${v}" is missing in the database`);
    }
    for (const v of actual) {
      if (!expectedValues.includes(v)) drift.push(`enum type "${name}" (enum ${e.name}): value "${v}" exists in the database but not in schema.prisma`);
    }
  }
  for (const name of db.enums.keys()) {
    if (!expectedEnums.has(name)) drift.push(`enum type "${name}" exists in the database but not in schema.prisma`);
  }

  // Tables and columns.
  const expectedTables = new Set<string>();
  for (const model of datamodel.models) {
    const table = tableOf(model);
    expectedTables.add(table);
    const columns = db.columns.get(table);
    if (!columns) {
      drift.push(`table "${table}" (model ${model.name}) is missing in the database`);
      continue;
    }
    const expectedColumns = new Set<string>();
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const column = field.dbName ?? field.name;
      expectedColumns.add(column);
      const where = `${table}.${column} (${model.name}.${field.name})`;
      const actual = columns.get(column);
      if (!actual) {
        drift.push(`column ${where} is missing in the database`);
        continue;
      }
      if (field.kind === 'unsupported') continue;

      const expectedType = expectedColumnType(field, enumDbName);
      if (expectedType !== actual.type) {
        drift.push(`column ${where}: type differs: schema.prisma (${describeFieldType(field)}) means ${expectedType}, the database has ${actual.type}`);
      }
      // Prisma creates scalar-list columns without NOT NULL, whatever the DMMF says.
      if (!field.isList && field.isRequired !== actual.notNull) {
        drift.push(
          `column ${where}: nullability differs: schema.prisma says ${field.isRequired ? 'required (NOT NULL)' : 'optional (nullable)'}, the database has ${actual.notNull ? 'NOT NULL' : 'nullable'}`,
        );
      }
      const defaultProblem = compareDefault(field, actual);
      if (defaultProblem) drift.push(`column ${where}: default differs: ${defaultProblem}`);
    }
    for (const column of columns.keys()) {
      if (!expectedColumns.has(column)) drift.push(`column ${table}.${column} exists in the database but not in schema.prisma (model ${model.name})`);
    }
  }
  for (const table of db.columns.keys()) {
    if (!expectedTables.has(table) && !TABLES_WITHOUT_MODEL.has(table)) {
      drift.push(`table "${table}" exists in the database but not in schema.prisma`);
    }
  }

  // Primary keys, unique indexes and indexes.
  const usedIndexes = new Set<string>();
  for (const index of datamodel.indexes ?? []) {
    const model = modelsByName.get(index.model);
    if (!model || index.type === 'fulltext') continue;
    const table = tableOf(model);
    if (!db.columns.has(table)) continue; // already reported
    const columns = index.fields.map((f) => columnOf(model, f.name));
    const label = `${describeIndex(index)} on ${table}(${columns.join(', ')})`;
    const candidates = db.indexes.filter((i) => i.table === table && !usedIndexes.has(i.name) && sameList(i.columns, columns));
    const kindMatches = (i: DbIndex) =>
      index.type === 'id' ? i.primary : index.type === 'unique' ? i.unique && !i.primary && !i.partial : !i.unique && !i.partial;
    const match =
      candidates.find((i) => kindMatches(i) && (!index.dbName || i.name === index.dbName)) ?? candidates.find(kindMatches);
    if (!match) {
      const other = candidates[0];
      drift.push(
        other
          ? `${label}: the database's index "${other.name}" on these columns is ${other.primary ? 'the primary key' : other.unique ? 'unique' : 'not unique'}${other.partial ? ' (partial)' : ''}, schema.prisma wants ${index.type === 'id' ? 'the primary key' : index.type === 'unique' ? 'a unique index' : 'a plain index'}`
          : `${label} is missing in the database`,
      );
      if (other) usedIndexes.add(other.name);
      continue;
    }
    usedIndexes.add(match.name);
    if (index.dbName && match.name !== index.dbName) {
      drift.push(`${label}: schema.prisma maps it to the name "${index.dbName}", the database calls it "${match.name}"`);
    }
    const expectedMethod = (index.algorithm ?? 'BTree').toLowerCase();
    if (match.method !== expectedMethod) {
      drift.push(`${label}: access method differs: schema.prisma says ${expectedMethod}, the database has ${match.method}`);
    }
    const expectedDesc = index.fields.map((f) => f.sortOrder === 'desc');
    if (!sameList(expectedDesc, match.descending)) {
      drift.push(
        `${label}: sort order differs: schema.prisma says (${expectedDesc.map((d) => (d ? 'desc' : 'asc')).join(', ')}), the database has (${match.descending.map((d) => (d ? 'desc' : 'asc')).join(', ')})`,
      );
    }
  }
  for (const index of db.indexes) {
    if (usedIndexes.has(index.name) || !expectedTables.has(index.table)) continue;
    drift.push(
      `${index.primary ? 'primary key' : index.unique ? 'unique index' : 'index'} "${index.name}" on ${index.table}(${index.columns.map((c) => c ?? '<expression>').join(', ')}) exists in the database but not in schema.prisma`,
    );
  }

  // Foreign keys of relations.
  const usedForeignKeys = new Set<string>();
  for (const model of datamodel.models) {
    const table = tableOf(model);
    if (!db.columns.has(table)) continue;
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
      const target = modelsByName.get(field.type);
      if (!target) continue;
      const columns = field.relationFromFields.map((f) => columnOf(model, f));
      const targetTable = tableOf(target);
      const targetColumns = (field.relationToFields ?? []).map((f) => columnOf(target, f));
      const label = `foreign key ${table}(${columns.join(', ')}) -> ${targetTable}(${targetColumns.join(', ')}) (${model.name}.${field.name})`;
      const fk = db.foreignKeys.find(
        (k) =>
          k.table === table &&
          !usedForeignKeys.has(k.name) &&
          sameList(k.columns, columns) &&
          k.targetTable === targetTable &&
          sameList(k.targetColumns, targetColumns),
      );
      if (!fk) {
        drift.push(`${label} is missing in the database`);
        continue;
      }
      usedForeignKeys.add(fk.name);
      const optional = field.relationFromFields.some((f) => model.fields.find((x) => x.name === f)?.isRequired === false);
      const onDelete = field.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict');
      const onUpdate = field.relationOnUpdate ?? 'Cascade';
      if (fk.onDelete !== onDelete) drift.push(`${label}: ON DELETE differs: schema.prisma means ${onDelete}, the database has ${fk.onDelete}`);
      if (fk.onUpdate !== onUpdate) drift.push(`${label}: ON UPDATE differs: schema.prisma means ${onUpdate}, the database has ${fk.onUpdate}`);
    }
  }
  for (const fk of db.foreignKeys) {
    if (usedForeignKeys.has(fk.name) || !expectedTables.has(fk.table)) continue;
    drift.push(
      `foreign key "${fk.name}" ${fk.table}(${fk.columns.join(', ')}) -> ${fk.targetTable}(${fk.targetColumns.join(', ')}) exists in the database but not in schema.prisma`,
    );
  }

  return drift;
}

// --- expected column types and defaults --------------------------------------------------------

/** The PostgreSQL type (as format_type() renders it) Prisma's migrations create for a field. */
export function expectedColumnType(field: Field, enumDbName: ReadonlyMap<string, string>): string {
  const base = field.kind === 'enum' ? `enum ${enumDbName.get(field.type) ?? field.type}` : scalarType(field);
  return field.isList ? `${base}[]` : base;
}

function scalarType(field: Field): string {
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    const a = args.join(',');
    switch (name) {
      case 'Text': return 'text';
      case 'Char': return `character(${a || '1'})`;
      case 'VarChar': return a ? `character varying(${a})` : 'character varying';
      case 'Bit': return `bit(${a || '1'})`;
      case 'VarBit': return a ? `bit varying(${a})` : 'bit varying';
      case 'Uuid': return 'uuid';
      case 'Xml': return 'xml';
      case 'Inet': return 'inet';
      case 'Citext': return 'citext';
      case 'Integer': return 'integer';
      case 'SmallInt': return 'smallint';
      case 'Oid': return 'oid';
      case 'BigInt': return 'bigint';
      case 'DoublePrecision': return 'double precision';
      case 'Real': return 'real';
      case 'Decimal': return a ? `numeric(${a})` : 'numeric';
      case 'Money': return 'money';
      case 'Timestamp': return a ? `timestamp(${a}) without time zone` : 'timestamp without time zone';
      case 'Timestamptz': return a ? `timestamp(${a}) with time zone` : 'timestamp with time zone';
      case 'Date': return 'date';
      case 'Time': return a ? `time(${a}) without time zone` : 'time without time zone';
      case 'Timetz': return a ? `time(${a}) with time zone` : 'time with time zone';
      case 'Boolean': return 'boolean';
      case 'Json': return 'json';
      case 'JsonB': return 'jsonb';
      case 'ByteA': return 'bytea';
      default: return `(@db.${name} is not known to test/support/schema-drift.ts: add it)`;
    }
  }
  switch (field.type) {
    case 'String': return 'text';
    case 'Int': return 'integer';
    case 'BigInt': return 'bigint';
    case 'Float': return 'double precision';
    case 'Decimal': return 'numeric(65,30)';
    case 'Boolean': return 'boolean';
    case 'DateTime': return 'timestamp(3) without time zone';
    case 'Json': return 'jsonb';
    case 'Bytes': return 'bytea';
    default: return `(Prisma type ${field.type} is not known to test/support/schema-drift.ts: add it)`;
  }
}

function describeFieldType(field: Field): string {
  const native = field.nativeType ? ` @db.${field.nativeType[0]}${field.nativeType[1].length ? `(${field.nativeType[1].join(', ')})` : ''}` : '';
  return `${field.type}${field.isList ? '[]' : ''}${field.isRequired || field.isList ? '' : '?'}${native}`;
}

type ExpectedDefault =
  | { kind: 'none'; why: string }
  | { kind: 'sequence' }
  | { kind: 'now' }
  | { kind: 'literal'; value: string }
  | { kind: 'any' }; // dbgenerated(...) or something this check does not interpret

function expectedDefault(field: Field): ExpectedDefault {
  const d = field.default;
  if (d === undefined) return { kind: 'none', why: field.isUpdatedAt ? '@updatedAt is set by Prisma Client' : 'no @default' };
  if (Array.isArray(d)) return { kind: 'any' };
  if (typeof d === 'object' && d !== null && 'name' in d) {
    switch (d.name) {
      case 'autoincrement': return { kind: 'sequence' };
      case 'now': return { kind: 'now' };
      case 'uuid': case 'cuid': case 'nanoid': case 'ulid':
        return { kind: 'none', why: `@default(${d.name}()) is generated by Prisma Client` };
      default: return { kind: 'any' };
    }
  }
  if (field.type === 'DateTime' || field.type === 'Bytes') return { kind: 'any' };
  return { kind: 'literal', value: String(d) };
}

function compareDefault(field: Field, actual: DbColumn): string | null {
  const expected = expectedDefault(field);
  const has = actual.default !== null || actual.identity;
  const shown = actual.identity ? 'an identity column' : actual.default;
  switch (expected.kind) {
    case 'any':
      return has ? null : 'schema.prisma has a database @default, the database column has none';
    case 'none':
      return has ? `schema.prisma has none (${expected.why}), the database has DEFAULT ${shown}` : null;
    case 'sequence':
      return actual.identity || /^nextval\(/.test(actual.default ?? '')
        ? null
        : `schema.prisma says autoincrement(), the database has ${has ? `DEFAULT ${shown}` : 'no default'}`;
    case 'now':
      return /^(CURRENT_TIMESTAMP|now\(\))$/i.test(actual.default ?? '')
        ? null
        : `schema.prisma says now() (CURRENT_TIMESTAMP), the database has ${has ? `DEFAULT ${shown}` : 'no default'}`;
    case 'literal': {
      if (actual.default === null) return `schema.prisma says ${JSON.stringify(expected.value)}, the database has no default`;
      const value = literalOf(actual.default);
      const same =
        value === expected.value ||
        (value !== null && value.trim() !== '' && expected.value.trim() !== '' && Number(value) === Number(expected.value));
      return same ? null : `schema.prisma says ${JSON.stringify(expected.value)}, the database has DEFAULT ${actual.default}`;
    }
  }
}

/** The value of a constant default expression ('zh-CN'::text → zh-CN, true → true); null if not one. */
function literalOf(expression: string): string | null {
  let s = expression.trim();
  while (/^\(.*\)$/.test(s)) s = s.slice(1, -1).trim();
  const quoted = /^'((?:[^']|'')*)'(?:::[\w\s".[\]()]+)*$/.exec(s);
  if (quoted) return quoted[1]!.replace(/''/g, "'");
  const bare = /^(-?[\d.]+|true|false)(?:::[\w\s".[\]()]+)*$/i.exec(s);
  return bare ? bare[1]!.toLowerCase() : null;
}

function describeIndex(index: Index): string {
  const fields = index.fields.map((f) => f.name).join(', ');
  const kind = index.type === 'id' ? 'id' : index.type === 'unique' ? 'unique' : 'index';
  return index.isDefinedOnField ? `@${kind} on ${index.model}.${fields}` : `@@${kind}([${fields}]) of ${index.model}`;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// --- the database side ---------------------------------------------------------------------------

interface DbColumn {
  type: string;
  notNull: boolean;
  default: string | null;
  identity: boolean;
}

interface DbIndex {
  table: string;
  name: string;
  columns: (string | null)[];
  descending: boolean[];
  unique: boolean;
  primary: boolean;
  partial: boolean;
  method: string;
}

interface DbForeignKey {
  table: string;
  name: string;
  columns: string[];
  targetTable: string;
  targetColumns: string[];
  onDelete: string;
  onUpdate: string;
}

interface DbSchema {
  columns: Map<string, Map<string, DbColumn>>;
  enums: Map<string, string[]>;
  indexes: DbIndex[];
  foreignKeys: DbForeignKey[];
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  a: 'NoAction',
  r: 'Restrict',
  c: 'Cascade',
  n: 'SetNull',
  d: 'SetDefault',
};

async function readDatabase(databaseUrl: string): Promise<DbSchema> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`,
    );
    const columns = new Map<string, Map<string, DbColumn>>(tables.rows.map((r) => [r.table, new Map()]));

    const cols = await client.query<{
      table: string;
      column: string;
      type: string;
      typtype: string;
      typname: string;
      elem_typtype: string | null;
      elem_typname: string | null;
      not_null: boolean;
      default: string | null;
      identity: string;
    }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
              t.typtype, t.typname, et.typtype AS elem_typtype, et.typname AS elem_typname,
              a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity AS identity
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`,
    );
    for (const r of cols.rows) {
      const type =
        r.typtype === 'e' ? `enum ${r.typname}` : r.elem_typtype === 'e' ? `enum ${r.elem_typname}[]` : r.type;
      columns.get(r.table)?.set(r.column, {
        type,
        notNull: r.not_null,
        default: r.default,
        identity: r.identity !== '',
      });
    }

    const enumRows = await client.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = current_schema()
        GROUP BY t.typname`,
    );
    const enums = new Map(enumRows.rows.map((r) => [r.name, r.values]));

    const indexRows = await client.query<{
      table: string;
      name: string;
      columns: (string | null)[];
      descending: boolean[];
      unique: boolean;
      primary: boolean;
      partial: boolean;
      method: string;
    }>(
      `SELECT t.relname AS table, i.relname AS name,
              ARRAY(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                      LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                     WHERE k.ord <= x.indnkeyatts ORDER BY k.ord)::text[] AS columns,
              ARRAY(SELECT (o.opt & 1) = 1 FROM unnest(x.indoption::int2[]) WITH ORDINALITY o(opt, ord)
                     WHERE o.ord <= x.indnkeyatts ORDER BY o.ord) AS descending,
              x.indisunique AS unique, x.indisprimary AS primary, x.indpred IS NOT NULL AS partial,
              am.amname AS method
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_am am ON am.oid = i.relam
        WHERE n.nspname = current_schema() AND t.relkind IN ('r', 'p')
        ORDER BY t.relname, i.relname`,
    );

    const fkRows = await client.query<{
      table: string;
      name: string;
      columns: string[];
      target_table: string;
      target_columns: string[];
      on_delete: string;
      on_update: string;
    }>(
      `SELECT t.relname AS table, k.conname AS name,
              ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY c(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = c.attnum ORDER BY c.ord)::text[] AS columns,
              ft.relname AS target_table,
              ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY c(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = c.attnum ORDER BY c.ord)::text[] AS target_columns,
              k.confdeltype AS on_delete, k.confupdtype AS on_update
         FROM pg_constraint k
         JOIN pg_class t ON t.oid = k.conrelid
         JOIN pg_class ft ON ft.oid = k.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE k.contype = 'f' AND n.nspname = current_schema()
        ORDER BY t.relname, k.conname`,
    );

    return {
      columns,
      enums,
      indexes: indexRows.rows,
      foreignKeys: fkRows.rows.map((r) => ({
        table: r.table,
        name: r.name,
        columns: r.columns,
        targetTable: r.target_table,
        targetColumns: r.target_columns,
        onDelete: REFERENTIAL_ACTIONS[r.on_delete] ?? r.on_delete,
        onUpdate: REFERENTIAL_ACTIONS[r.on_update] ?? r.on_update,
      })),
    };
  } finally {
    await client.end().catch(() => {});
  }
}
