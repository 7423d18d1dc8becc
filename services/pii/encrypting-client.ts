// The database client encrypts the columns of encrypted-columns.ts on every write and decrypts them on
// every read, nested relations included (`complaint.findMany({ select: { complainant: { select:
// { name: true } } } })` returns the name). Doing it in the client rather than at each call site means
// no query can forget it: code written later (surveys, exports, reports) reads plaintext through
// Prisma, and the table only ever receives ciphertext. What the client cannot do:
//  - filter or sort on an encrypted column (each value has its own IV): such a query throws here,
//    rather than silently matching nothing — look people up by phone_hash / email_hash instead;
//  - raw SQL ($queryRaw) returns what is stored: seal and open with `encryptColumn` / `decryptColumn`
//    (encrypted-columns.ts; the complaint filing writes that way).
import type { PrismaClient } from '../db/generated/client';
import { ENCRYPTED_COLUMNS } from './encrypted-columns';
import { decryptField, encryptField, type FieldLocation } from './field-cipher';
import { developmentPiiKeyring, type PiiKeyring } from './pii-keys';

type Fields = { name: string; kind: string; type: string }[];
type DataModel = Record<string, { fields: Fields }>;
type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v) && Object.getPrototypeOf(v) === Object.prototype;

export class EncryptedColumnFilterError extends Error {
  constructor(model: string, field: string) {
    super(`${model}.${field} is encrypted at rest and cannot be filtered or sorted on in the database; use the keyed hash (phoneHash/emailHash) or compare after reading`);
    this.name = 'EncryptedColumnFilterError';
  }
}

// A symbol property, not a WeakMap: a wrapper over the client (a test's Proxy) still reaches it.
const KEYRING = Symbol.for('complaint-bot.piiKeyring');
/** The keyring a database client encrypts with, for code that writes or reads raw SQL (the filing, the state, reports). */
export function piiKeyringOf(db: object): PiiKeyring | undefined {
  return (db as Record<symbol, PiiKeyring | undefined>)[KEYRING];
}

/** piiKeyringOf, with the development key for a client made without a keyring (raw SQL seals and opens with it). */
export function clientKeyring(db: object): PiiKeyring {
  return piiKeyringOf(db) ?? developmentPiiKeyring();
}

export function withFieldEncryption(client: PrismaClient, keyring: PiiKeyring): PrismaClient {
  const models = (client as unknown as { _runtimeDataModel: { models: DataModel } })._runtimeDataModel.models;
  // Looked up for every key of every argument and result: a map per model, not a scan of its fields.
  const relations = new Map(Object.entries(models).map(([model, { fields }]) => [model, new Map(fields.filter((f) => f.kind === 'object').map((f) => [f.name, f.type]))]));
  const relationOf = (model: string, field: string): string | undefined => relations.get(model)?.get(field);
  const encrypted = (model: string, field: string): FieldLocation | undefined => ENCRYPTED_COLUMNS[model]?.[field];
  // Models whose results can hold an encrypted column (their own or a related model's, at any depth):
  // the others' results are returned as they are, without a walk.
  const holdsEncrypted = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [model, rel] of relations) {
      if (holdsEncrypted.has(model)) continue;
      if (ENCRYPTED_COLUMNS[model] || [...rel.values()].some((m) => holdsEncrypted.has(m))) {
        holdsEncrypted.add(model);
        grew = true;
      }
    }
  }

  const encryptValue = (loc: FieldLocation, value: unknown): unknown => {
    if (typeof value === 'string') return encryptField(keyring, loc, value);
    if (isPlain(value) && 'set' in value) return { ...value, set: encryptValue(loc, value.set) };
    return value; // null / undefined
  };

  const many = (value: unknown, each: (v: Plain) => Plain): unknown => (Array.isArray(value) ? value.map((v) => (isPlain(v) ? each(v) : v)) : isPlain(value) ? each(value) : value);

  /** A write's `data` with encrypted columns encrypted, nested writes of related models included. */
  function writeData(model: string, data: Plain): Plain {
    const out: Plain = {};
    for (const [key, value] of Object.entries(data)) {
      const loc = encrypted(model, key);
      const related = relationOf(model, key);
      out[key] = loc ? encryptValue(loc, value) : related && isPlain(value) ? nestedWrite(related, value) : value;
    }
    return out;
  }

  function nestedWrite(model: string, ops: Plain): Plain {
    const out: Plain = { ...ops };
    const withData = (v: Plain): Plain => ('data' in v && isPlain(v.data) ? { ...v, data: writeData(model, v.data) } : writeData(model, v));
    if ('create' in ops) out.create = many(ops.create, (v) => writeData(model, v));
    if ('createMany' in ops && isPlain(ops.createMany)) out.createMany = { ...ops.createMany, data: many(ops.createMany.data, (v) => writeData(model, v)) };
    if ('update' in ops) out.update = many(ops.update, withData);
    if ('updateMany' in ops) out.updateMany = many(ops.updateMany, withData);
    if ('upsert' in ops) out.upsert = many(ops.upsert, (v) => ({ ...v, create: isPlain(v.create) ? writeData(model, v.create) : v.create, update: isPlain(v.update) ? writeData(model, v.update) : v.update }));
    if ('connectOrCreate' in ops) out.connectOrCreate = many(ops.connectOrCreate, (v) => ({ ...v, create: isPlain(v.create) ? writeData(model, v.create) : v.create }));
    return out;
  }

  /** Throws for a filter or ordering on an encrypted column (null checks are fine: encryption keeps null). */
  function guard(model: string, clause: unknown): void {
    if (Array.isArray(clause)) return clause.forEach((c) => guard(model, c));
    if (!isPlain(clause)) return;
    for (const [key, value] of Object.entries(clause)) {
      if (['AND', 'OR', 'NOT'].includes(key)) guard(model, value);
      else if (encrypted(model, key)) {
        const nullCheck = value === null || (isPlain(value) && Object.keys(value).length === 1 && (value.equals === null || value.not === null));
        if (!nullCheck) throw new EncryptedColumnFilterError(model, key);
      } else {
        const related = relationOf(model, key);
        if (related && isPlain(value)) {
          const nested = ['is', 'isNot', 'some', 'every', 'none'].filter((k) => k in value);
          if (nested.length) nested.forEach((k) => guard(related, value[k])); else guard(related, value);
        }
      }
    }
  }

  /** A result with encrypted columns decrypted, nested relations included. */
  function decrypt(model: string, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => decrypt(model, v));
    if (!isPlain(value)) return value;
    const out: Plain = {};
    for (const [key, v] of Object.entries(value)) {
      const loc = encrypted(model, key);
      const related = relationOf(model, key);
      out[key] = loc && typeof v === 'string' ? decryptField(keyring, loc, v) : related ? decrypt(related, v) : v;
    }
    return out;
  }

  const extended = client.$extends({
    name: 'pii-field-encryption',
    query: {
      $allModels: {
        async $allOperations({ model, args, query }) {
          let a = args as Plain;
          if (isPlain(a)) {
            guard(model, a.where);
            guard(model, a.orderBy);
            if (a.cursor) guard(model, a.cursor);
            if (Array.isArray(a.distinct) && a.distinct.some((f) => typeof f === 'string' && encrypted(model, f))) throw new EncryptedColumnFilterError(model, String(a.distinct[0]));
            if (isPlain(a.data)) a = { ...a, data: writeData(model, a.data) };
            else if (Array.isArray(a.data)) a = { ...a, data: a.data.map((d) => (isPlain(d) ? writeData(model, d) : d)) };
            if (isPlain(a.create)) a = { ...a, create: writeData(model, a.create) };
            if (isPlain(a.update)) a = { ...a, update: writeData(model, a.update) };
          }
          const result = await query(a as typeof args);
          return holdsEncrypted.has(model) ? decrypt(model, result) : result;
        },
      },
    },
  }) as unknown as PrismaClient;
  Object.defineProperty(extended, KEYRING, { value: keyring, enumerable: false });
  return extended;
}
