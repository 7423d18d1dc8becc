// Every write of a complainant's personal data goes through here (and every read through
// read-complainant), so that field-level encryption at rest can be added in one place.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Prisma } from '../db/client';
import { AppError } from '../errors';

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

/**
 * Finds the complainant or creates one: by phone when a phone is given (as the chat always does), else
 * by e-mail address. Returns which fields changed on an existing complainant so the caller can record
 * it as an event (names only, never values).
 */
export async function upsertComplainant(
  tx: Prisma.TransactionClient,
  details: ComplainantDetails,
  hashKey: string,
): Promise<{ id: string; created: boolean; changedFields: string[] }> {
  if (details.phone !== null) return upsertByPhone(tx, { ...details, phone: details.phone }, hashKey);
  if (details.email !== null) return upsertByEmail(tx, { ...details, email: details.email }, hashKey);
  throw new AppError('INVALID_INPUT', { message: 'a complainant needs a phone or an e-mail address' });
}

async function upsertByPhone(tx: Prisma.TransactionClient, details: ComplainantDetails & { phone: string }, hashKey: string) {
  const phoneHash = phoneLookupHash(details.phone, hashKey);
  const existing = await tx.complainant.findUnique({ where: { phoneHash }, select: { id: true, name: true, email: true } });
  if (!existing) {
    // One INSERT (Prisma's upsert reads before and after it): a concurrent first filing for the same
    // phone fails on the unique hash either way (the customer is asked to send again; the retry finds it).
    const created = await tx.complainant.create({
      data: { name: details.name, phone: details.phone, phoneHash, email: details.email },
      select: { id: true },
    });
    return { id: created.id, created: true, changedFields: [] };
  }
  const changedFields: string[] = [];
  if (existing.name !== details.name) changedFields.push('name');
  if (details.email && existing.email !== details.email) changedFields.push('email');
  if (changedFields.length > 0) {
    await tx.complainant.update({
      where: { id: existing.id },
      data: { name: details.name, ...(details.email ? { email: details.email } : {}) },
    });
  }
  return { id: existing.id, created: false, changedFields };
}

async function upsertByEmail(tx: Prisma.TransactionClient, details: ComplainantDetails & { email: string }, hashKey: string) {
  const emailHash = emailLookupHash(details.email, hashKey);
  const existing = await tx.complainant.findUnique({ where: { emailHash }, select: { id: true, name: true, email: true } });
  if (!existing) {
    // One INSERT, as for a phone (upsertByPhone).
    const created = await tx.complainant.create({
      data: { name: details.name, phone: null, phoneHash: null, email: details.email, emailHash },
      select: { id: true },
    });
    return { id: created.id, created: true, changedFields: [] };
  }
  const changedFields: string[] = [];
  if (existing.name !== details.name) changedFields.push('name');
  if (existing.email !== details.email) changedFields.push('email');
  if (changedFields.length > 0) {
    await tx.complainant.update({ where: { id: existing.id }, data: { name: details.name, email: details.email } });
  }
  return { id: existing.id, created: false, changedFields };
}
