// "Reveal" on the complaint page: the unmasked personal data, for a viewer the access rules allow
// (console-access.ts), recorded first as a `pii.revealed` event naming who and which fields —
// never the values — so the record shows every look (PIPL access control, R-RECORD).
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import { mayRevealPersonalData, type Viewer } from './console-access';

export const REVEALABLE_FIELDS = ['name', 'phone', 'email', 'referenceNumber', 'description'] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];

export async function revealPersonalData({ db, number, viewer, fields, now }: { db: Database; number: string; viewer: Viewer; fields: readonly RevealableField[]; now: Date }) {
  const c = await db.complaint.findUnique({
    where: { number },
    select: { id: true, ownerStaffId: true, departmentId: true, description: true, referenceNumber: true, complainant: { select: { name: true, phone: true, email: true } } },
  });
  if (!c) throw new AppError('NOT_FOUND', { message: `no complaint ${number}` });
  if (!mayRevealPersonalData(viewer, c)) {
    throw new AppError('FORBIDDEN', { message: `a ${viewer.role} may not see the personal data of this complaint` });
  }
  const wanted = [...new Set(fields)];
  await recordComplaintEvent(db, {
    complaintId: c.id, type: 'pii.revealed', actor: { type: 'staff', id: viewer.id, channel: 'console' }, occurredAt: now,
    payload: { fields: wanted, byRole: viewer.role },
  });
  const all: Record<RevealableField, string | null> = {
    name: c.complainant.name, phone: c.complainant.phone, email: c.complainant.email,
    referenceNumber: c.referenceNumber, description: c.description,
  };
  return Object.fromEntries(wanted.map((f) => [f, all[f]])) as Partial<Record<RevealableField, string | null>>;
}
