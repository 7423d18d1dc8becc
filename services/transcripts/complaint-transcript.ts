// A complaint's chat transcript for staff, under the same rules as the complaint page
// (services/console/console-access.ts): masked by default — the complainant's name, phone, e-mail
// and reference number wherever they appear, and digit runs and e-mail addresses in any message —
// and unmasked only for a viewer who may see the complaint's personal data, recorded first as a
// `pii.revealed` event (fields: ['transcript'], never the values). The stored text is already redacted
// (redact-personal-data.ts): unmasking shows names and the complainant's own phone, not what was never kept.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import { mayRevealPersonalData, type Viewer } from '../console/console-access';
import { maskEmail, maskFreeText, maskName, maskPhone, maskReferenceNumber } from '../console/mask-details';
import { readComplaintTranscript, type TranscriptEntry } from './transcript-store';

export interface KnownPersonalData {
  name: string | null;
  phone: string | null;
  email: string | null;
  referenceNumber: string | null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text with the complainant's own details masked, then any digit run or e-mail address. */
export function maskTranscriptText(text: string, known: KnownPersonalData): string {
  let out = text;
  if (known.phone) {
    // As typed: 138 0013 8000, 138-0013-8000, +86 13800138000.
    const digits = [...known.phone].map(escapeRegExp).join('[\\s-]?');
    out = out.replace(new RegExp(digits, 'g'), maskPhone(known.phone));
  }
  if (known.email) out = out.replace(new RegExp(escapeRegExp(known.email), 'gi'), maskEmail(known.email));
  if (known.referenceNumber) out = out.replace(new RegExp(escapeRegExp(known.referenceNumber), 'gi'), maskReferenceNumber(known.referenceNumber));
  if (known.name && known.name.trim().length > 0) out = out.split(known.name.trim()).join(maskName(known.name));
  return maskFreeText(out);
}

async function complaintFor(db: Database, number: string) {
  const complaint = await db.complaint.findUnique({
    where: { number },
    select: { id: true, ownerStaffId: true, departmentId: true, referenceNumber: true, complainant: { select: { name: true, phone: true, email: true } } },
  });
  if (!complaint) throw new AppError('NOT_FOUND', { message: `no complaint ${number}` });
  return complaint;
}

export async function readMaskedComplaintTranscript({ db, number, viewer }: { db: Database; number: string; viewer: Viewer }): Promise<{ masked: boolean; mayReveal: boolean; messages: TranscriptEntry[] }> {
  const complaint = await complaintFor(db, number);
  const known: KnownPersonalData = { ...complaint.complainant, referenceNumber: complaint.referenceNumber };
  const messages = await readComplaintTranscript(db, complaint.id);
  return { masked: true, mayReveal: mayRevealPersonalData(viewer, complaint), messages: messages.map((m) => ({ ...m, text: maskTranscriptText(m.text, known) })) };
}

export async function revealComplaintTranscript({ db, number, viewer, now }: { db: Database; number: string; viewer: Viewer; now: Date }): Promise<{ masked: boolean; messages: TranscriptEntry[] }> {
  const complaint = await complaintFor(db, number);
  if (!mayRevealPersonalData(viewer, complaint)) {
    throw new AppError('FORBIDDEN', { message: `a ${viewer.role} may not see the personal data of this complaint` });
  }
  await recordComplaintEvent(db, {
    complaintId: complaint.id, type: 'pii.revealed', actor: { type: 'staff', id: viewer.id, channel: 'console' }, occurredAt: now,
    payload: { fields: ['transcript'], byRole: viewer.role },
  });
  const messages = await readComplaintTranscript(db, complaint.id);
  return { masked: false, messages: messages.map((m) => ({ ...m, text: restoreOwnPhone(m.text, complaint.complainant.phone) })) };
}

/**
 * The transcript is stored with phones redacted (138****5678); for a viewer allowed to see this
 * complaint's personal data, the complainant's own phone — from the complaint's encrypted row — is put
 * back where the redacted form matches it. Any other number stays redacted: it was never kept.
 */
export function restoreOwnPhone(text: string, phone: string | null): string {
  if (!phone || phone.length < 7) return text;
  const redacted = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return text.replace(new RegExp(`(?<!\\d)${escapeRegExp(redacted)}(?!\\d)`, 'g'), phone);
}
