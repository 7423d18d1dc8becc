// PIPL access right (查阅、复制): everything held about one complainant, found by phone, e-mail address
// (through their keyed hashes) or one of their complaint numbers — contact data decrypted, every
// complaint with its events, transcript, e-mails, surveys and file metadata (not the files' bytes).
// The export itself is recorded on each of their complaints as a `complainant.exported` event (who,
// how the person was found, when — never the values) before anything is returned.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import { normalizeComplaintNumber } from '../complaints/complaint-number';
import { normalizeEmail, normalizeMainlandMobile } from '../intake/validate-fields';
import { emailLookupHash, phoneLookupHash } from './upsert-complainant';

export type ExportLookup = { phone: string } | { email: string } | { complaintNumber: string };

async function findComplainantId(db: Database, lookup: ExportLookup, piiHashKey: string): Promise<string | null> {
  if ('phone' in lookup) {
    const phone = normalizeMainlandMobile(lookup.phone);
    if (!phone) throw new AppError('INVALID_INPUT', { message: 'phone: not a mainland mobile number' });
    return (await db.complainant.findUnique({ where: { phoneHash: phoneLookupHash(phone, piiHashKey) }, select: { id: true } }))?.id ?? null;
  }
  if ('email' in lookup) {
    const email = normalizeEmail(lookup.email);
    if (!email) throw new AppError('INVALID_INPUT', { message: 'email: not an e-mail address' });
    const hashed = await db.complainant.findUnique({ where: { emailHash: emailLookupHash(email, piiHashKey) }, select: { id: true } });
    if (hashed) return hashed.id;
    // Complainants found by phone have their e-mail address only in ciphertext (no hash): compared
    // after decryption, in batches — slow on a large table, but an access request is a rare event.
    const matches: string[] = [];
    for (let after: string | undefined; ;) {
      const batch = await db.complainant.findMany({ where: { email: { not: null }, ...(after ? { id: { gt: after } } : {}) }, orderBy: { id: 'asc' }, take: 1000, select: { id: true, email: true } });
      if (batch.length === 0) break;
      for (const c of batch) if (c.email?.trim().toLowerCase() === email.toLowerCase()) matches.push(c.id);
      after = batch[batch.length - 1]!.id;
    }
    if (matches.length > 1) throw new AppError('CONFLICT', { message: `${matches.length} complainants gave this e-mail address: export by phone or complaint number` });
    return matches[0] ?? null;
  }
  const number = normalizeComplaintNumber(lookup.complaintNumber);
  if (!number) throw new AppError('INVALID_INPUT', { message: 'complaint: not a complaint number (TS + date + - + six digits)' });
  return (await db.complaint.findUnique({ where: { number }, select: { complainantId: true } }))?.complainantId ?? null;
}

export async function exportComplainantData({ db, lookup, piiHashKey, actor, now }: { db: Database; lookup: ExportLookup; piiHashKey: string; actor: Actor; now: Date }) {
  const complainantId = await findComplainantId(db, lookup, piiHashKey);
  if (!complainantId) throw new AppError('NOT_FOUND', { message: 'no complainant is held under that lookup' });
  const person = await db.complainant.findUniqueOrThrow({
    where: { id: complainantId },
    select: {
      id: true, name: true, phone: true, email: true, createdAt: true, updatedAt: true, anonymisedAt: true,
      wechatUsers: { select: { appId: true, openId: true, createdAt: true, lastSeenAt: true } },
      complaints: {
        orderBy: { acceptedAt: 'asc' },
        select: {
          id: true, number: true, businessLine: true, type: true, description: true, occurredOn: true, referenceNumber: true, claimedLossYuan: true,
          feedbackMethod: true, intakeChannel: true, channelId: true, locale: true, status: true, tier: true, urgent: true,
          product: true, customerGroup: true, region: true, acceptedAt: true, resolvedAt: true, closedAt: true, reopenCount: true, anonymisedAt: true,
          deadlines: { select: { kind: true, dueAt: true, metAt: true }, orderBy: { dueAt: 'asc' } },
          events: { select: { type: true, actorType: true, channel: true, payload: true, occurredAt: true }, orderBy: { id: 'asc' } },
          surveys: { select: { cycle: true, method: true, status: true, sentAt: true, answeredAt: true, rating: true, satisfied: true, comment: true }, orderBy: { cycle: 'asc' } },
          storedFiles: { select: { originalName: true, contentType: true, sizeBytes: true, sha256: true, source: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
          emailMessages: { select: { direction: true, kind: true, subject: true, bodyText: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
        },
      },
    },
  });
  const complaintIds = person.complaints.map((c) => c.id);
  const transcript = await db.transcriptMessage.findMany({
    where: { complaintId: { in: complaintIds } },
    orderBy: { id: 'asc' },
    select: { complaintId: true, direction: true, actorType: true, text: true, occurredAt: true },
  });

  const by = 'phone' in lookup ? 'phone' : 'email' in lookup ? 'email' : 'complaint';
  await db.$transaction(async (tx) => {
    for (const complaintId of complaintIds) {
      await recordComplaintEvent(tx, { complaintId, type: 'complainant.exported', actor, occurredAt: now, payload: { lookupBy: by, complaints: complaintIds.length } });
    }
  });

  const { id, wechatUsers, complaints, ...contact } = person;
  return {
    exportedAt: now.toISOString(),
    complainant: { ...contact, wechatAccounts: wechatUsers },
    complaints: complaints.map(({ id: complaintId, claimedLossYuan, storedFiles, emailMessages, ...c }) => ({
      ...c,
      claimedLossYuan: claimedLossYuan === null ? null : Number(claimedLossYuan),
      files: storedFiles,
      emails: emailMessages,
      transcript: transcript.filter((m) => m.complaintId === complaintId).map(({ complaintId: _c, ...m }) => m),
    })),
  };
}

export type ComplainantExport = Awaited<ReturnType<typeof exportComplainantData>>;
