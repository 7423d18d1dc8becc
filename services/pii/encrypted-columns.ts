// Which columns hold personal data encrypted at rest (field name in the Prisma model → table/column,
// the associated data of its ciphertext). Contact data and ID / account numbers of complainants; staff
// contacts are staff data and stay plain; the survey comment is free text written by the complainant.
// Adding a column here is all it takes to encrypt it: the
// database client (encrypting-client.ts) and the re-encryption command (reencrypt-columns.ts) read
// this table. Code that writes or reads such a column with plain SQL (the complaint filing, reports)
// seals and opens it with encryptColumn / decryptColumn below.
import { decryptField, encryptField, type FieldLocation } from './field-cipher';
import type { PiiKeyring } from './pii-keys';

export const ENCRYPTED_COLUMNS: Readonly<Record<string, Readonly<Record<string, FieldLocation>>>> = {
  Complainant: {
    name: { table: 'complainant', column: 'name' },
    phone: { table: 'complainant', column: 'phone' },
    email: { table: 'complainant', column: 'email' },
  },
  Complaint: {
    // The policy, contract or account number the complaint concerns.
    referenceNumber: { table: 'complaint', column: 'reference_number' },
    // The customer's own account of the matter: free text that often holds ID, card and account
    // numbers, names and addresses (read through the client, or decrypted where SQL reads it).
    description: { table: 'complaint', column: 'description' },
  },
  EmailMessage: {
    // An e-mail complaint and the replies on its thread: the whole letter, signature and all.
    subject: { table: 'email_message', column: 'subject' },
    bodyText: { table: 'email_message', column: 'body_text' },
  },
  WechatUser: {
    // The follower's openid: it names one person to the account (found by open_id_hash).
    openId: { table: 'wechat_user', column: 'open_id' },
  },
  SatisfactionSurvey: {
    // What the customer wrote about the handling: free text that often names people and numbers.
    comment: { table: 'satisfaction_survey', column: 'comment' },
  },
};

/** Every encrypted column, grouped by table (for the re-encryption command). */
export function encryptedTables(): { table: string; columns: string[] }[] {
  const byTable = new Map<string, string[]>();
  for (const fields of Object.values(ENCRYPTED_COLUMNS)) {
    for (const loc of Object.values(fields)) byTable.set(loc.table, [...(byTable.get(loc.table) ?? []), loc.column]);
  }
  return [...byTable].map(([table, columns]) => ({ table, columns }));
}

function locationOf(model: string, field: string): FieldLocation {
  const location = ENCRYPTED_COLUMNS[model]?.[field];
  if (!location) throw new Error(`${model}.${field} is not an encrypted column (encrypted-columns.ts)`);
  return location;
}

/** A value for an encrypted column, sealed as the database client would (null stays null), for plain SQL. */
export function encryptColumn<T extends string | null>(keyring: PiiKeyring, model: string, field: string, value: T): T {
  return (value === null ? null : encryptField(keyring, locationOf(model, field), value)) as T;
}

/** An encrypted column's value read with plain SQL, opened (null stays null; rows written before encryption read as they are). */
export function decryptColumn<T extends string | null>(keyring: PiiKeyring, model: string, field: string, stored: T): T {
  return (stored === null ? null : decryptField(keyring, locationOf(model, field), stored)) as T;
}
