// A staff member's way of being told: one row per kind (e-mail address, webhook URL with its signing
// secret, or the ConversationReference of their chat with the bot). Saving again replaces the row.
import { randomBytes } from 'node:crypto';
import { Prisma, type Database } from '../../db/client';
import { toStoredReference, type ConversationReferenceLike } from '../../complaints/conversation-reference';
import { AppError } from '../../errors';
import { chatReferenceSchema } from './chat-transport';

export type StaffContactInput =
  | { kind: 'email'; address: string }
  /** The secret is generated when not given; give it to the robot's operator to verify signatures. */
  | { kind: 'webhook'; url: string; secret?: string }
  | { kind: 'chat'; reference: ConversationReferenceLike };

export async function saveStaffContact({
  db, staffId, contact, enabled = true,
}: { db: Database | Prisma.TransactionClient; staffId: string; contact: StaffContactInput; enabled?: boolean }): Promise<{ id: string; secret: string | null }> {
  const fields = contactFields(contact);
  const row = await db.staffContact.upsert({
    where: { staffId_kind: { staffId, kind: contact.kind } },
    create: { staffId, kind: contact.kind, ...fields, enabled },
    update: { ...fields, enabled },
    select: { id: true, secret: true },
  });
  return row;
}

function contactFields(contact: StaffContactInput): { address: string | null; secret: string | null; reference: Prisma.InputJsonValue | typeof Prisma.DbNull } {
  switch (contact.kind) {
    case 'email':
      if (!/^[^\s@]+@[^\s@]+$/.test(contact.address)) throw invalid('not an e-mail address');
      return { address: contact.address.trim(), secret: null, reference: Prisma.DbNull };
    case 'webhook':
      if (!/^https?:\/\/[^\s]+$/i.test(contact.url)) throw invalid('webhook URL must be http(s)');
      if (contact.secret !== undefined && contact.secret.length < 16) throw invalid('webhook secret must be at least 16 characters');
      return { address: contact.url, secret: contact.secret ?? randomBytes(32).toString('hex'), reference: Prisma.DbNull };
    case 'chat': {
      const stored = chatReferenceSchema.safeParse(contact.reference).success ? toStoredReference(contact.reference).reference : null;
      if (!stored || !chatReferenceSchema.safeParse(stored).success) throw invalid('conversation reference lacks channelId, serviceUrl or conversation.id');
      return { address: null, secret: null, reference: stored as Prisma.InputJsonValue };
    }
  }
}

function invalid(message: string): AppError {
  return new AppError('INVALID_INPUT', { message });
}
