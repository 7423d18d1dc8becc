// A filing's complainant: found by the keyed hash of the phone (or e-mail), created or updated by the
// filing's own statement (services/complaints/create-complaint.ts), personal data sealed at rest.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import { decryptColumn, encryptColumn } from '../pii/encrypted-columns';
import type { PiiKeyring } from '../pii/pii-keys';

export interface ComplainantDetails {
  name: string;
  /** Null for someone who wrote (e-mail, letter) without giving a phone: found by e-mail then. */
  phone: string | null;
  email: string | null;
}

/** Keyed hash of a normalised phone number: look-up without reading or indexing the number itself. */
export function phoneLookupHash(phone: string, hashKey: string): string {
  return createHmac('sha256', hashKey).update(`phone:${phone}`).digest('hex');
}

/** Keyed hash of an e-mail address (trimmed, lower-cased: mail systems treat addresses so). */
export function emailLookupHash(email: string, hashKey: string): string {
  return createHmac('sha256', hashKey).update(`email:${email.trim().toLowerCase()}`).digest('hex');
}

export function phoneLastFourMatches(phone: string | null, lastFour: string): boolean {
  if (phone === null) return false;
  const expected = Buffer.from(phone.slice(-4));
  const given = Buffer.from(lastFour.normalize('NFKC').trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** How the filing finds the complainant: by phone when a phone is given (as the chat always does), else by e-mail. */
export interface ComplainantLookup {
  by: 'phone' | 'email';
  column: 'phone_hash' | 'email_hash';
  hash: string;
}

export function complainantLookup(details: ComplainantDetails, hashKey: string): ComplainantLookup {
  if (details.phone !== null) return { by: 'phone', column: 'phone_hash', hash: phoneLookupHash(details.phone, hashKey) };
  if (details.email !== null) return { by: 'email', column: 'email_hash', hash: emailLookupHash(details.email, hashKey) };
  throw new AppError('INVALID_INPUT', { message: 'a complainant needs a phone or an e-mail address' });
}

/** A complainant as stored, opened (name and e-mail decrypted). */
export interface FoundComplainant {
  id: string;
  name: string;
  email: string | null;
}

/** Opens a complainant row read with plain SQL (its name and e-mail are sealed at rest). */
export function openComplainant(keyring: PiiKeyring, row: FoundComplainant): FoundComplainant {
  return {
    id: row.id,
    name: decryptColumn(keyring, 'Complainant', 'name', row.name),
    email: decryptColumn(keyring, 'Complainant', 'email', row.email),
  };
}

/**
 * Which fields a filing changes on an existing complainant (names only, never values, for the
 * `complainant.updated` event): the name, and the e-mail when one is given (found by e-mail: when it
 * is spelt differently).
 */
export function complainantChanges(existing: FoundComplainant, given: { name: string; email: string | null }): string[] {
  const changed: string[] = [];
  if (existing.name !== given.name) changed.push('name');
  if (given.email !== null && existing.email !== given.email) changed.push('email');
  return changed;
}

/**
 * The statement that finds, creates or updates the complainant, returning its `id` (a CTE of the
 * filing's write), with its values (personal data sealed) as $1…: one INSERT for a new complainant (a
 * concurrent first filing for the same phone fails on the unique hash; the customer is asked to send
 * again and the retry finds it), an UPDATE when the name or e-mail changed, else the id as it is.
 */
export function writeComplainantSql(
  keyring: PiiKeyring,
  details: ComplainantDetails,
  lookup: ComplainantLookup,
  existing: FoundComplainant | null,
  changedFields: string[],
): { statement: string; values: unknown[]; created: boolean } {
  const seal = (field: 'name' | 'phone' | 'email', value: string | null) => encryptColumn(keyring, 'Complainant', field, value);
  if (!existing) {
    const byPhone = lookup.by === 'phone';
    return {
      statement: `INSERT INTO complainant (id, name, phone, phone_hash, email, email_hash, updated_at)
                  VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, now()) RETURNING id`,
      values: [randomUUID(), seal('name', details.name), seal('phone', details.phone), byPhone ? lookup.hash : null, seal('email', details.email), byPhone ? null : lookup.hash],
      created: true,
    };
  }
  if (changedFields.length === 0) return { statement: 'SELECT $1::uuid AS id', values: [existing.id], created: false };
  return {
    statement: `UPDATE complainant SET name = $2::text, email = coalesce($3::text, email), updated_at = now() WHERE id = $1::uuid RETURNING id`,
    values: [existing.id, seal('name', details.name), seal('email', details.email)],
    created: false,
  };
}
