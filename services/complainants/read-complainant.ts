// Reads of a complainant's personal data for a purpose (see upsert-complainant.ts for why they are
// kept in one place). Callers must not log what these return.
import type { Database, Prisma } from '../db/client';

/** Where to write to the complainant of a complaint: name and e-mail address (null when none is known). */
export async function readComplainantMailbox(
  db: Database | Prisma.TransactionClient,
  complaintId: string,
): Promise<{ name: string; email: string | null } | null> {
  const found = await db.complaint.findUnique({ where: { id: complaintId }, select: { complainant: { select: { name: true, email: true } } } });
  return found ? { name: found.complainant.name, email: found.complainant.email } : null;
}
