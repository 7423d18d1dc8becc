// Every write of a complainant's personal data goes through here (and every read through
// read-complainant), so that field-level encryption at rest can be added in one place.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Prisma } from '../db/client';

export interface ComplainantDetails {
  name: string;
  phone: string;
  email: string | null;
}

/** Keyed hash of a normalised phone number: look-up without reading or indexing the number itself. */
export function phoneLookupHash(phone: string, hashKey: string): string {
  return createHmac('sha256', hashKey).update(`phone:${phone}`).digest('hex');
}

export function phoneLastFourMatches(phone: string, lastFour: string): boolean {
  const expected = Buffer.from(phone.slice(-4));
  const given = Buffer.from(lastFour.normalize('NFKC').trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Finds the complainant by phone or creates one. Returns which fields changed on an existing
 * complainant so the caller can record it as an event (names only, never values).
 */
export async function upsertComplainant(
  tx: Prisma.TransactionClient,
  details: ComplainantDetails,
  hashKey: string,
): Promise<{ id: string; created: boolean; changedFields: string[] }> {
  const phoneHash = phoneLookupHash(details.phone, hashKey);
  const existing = await tx.complainant.findUnique({ where: { phoneHash }, select: { id: true, name: true, email: true } });
  if (!existing) {
    const created = await tx.complainant.upsert({
      where: { phoneHash },
      create: { name: details.name, phone: details.phone, phoneHash, email: details.email },
      update: {},
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
