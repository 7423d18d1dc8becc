// Which complaint a complaint about handling is about (R-SUPERVISION). The identity rules are the
// status check's (services/complaints/find-complaint-status.ts): the customer's own complaints are
// those filed by the same user on the same channel; any other complaint by number needs the last
// four digits of the phone on file, and a wrong answer is an event on that complaint.
import type { Database } from '../db/client';
import { phoneLastFourMatches } from '../complainants/upsert-complainant';
import { recordComplaintEvent } from '../complaints/record-event';

export interface ChannelUserRef {
  channelId: string;
  channelUserId: string | null;
}

export interface OwnComplaint {
  id: string;
  number: string;
  acceptedAt: Date;
}

/** How many of their complaints a customer is offered to choose from (newest first). */
export const OWN_COMPLAINTS_OFFERED = 5;

export async function listOwnComplaints(db: Database, user: ChannelUserRef): Promise<OwnComplaint[]> {
  if (user.channelUserId === null) return [];
  return db.complaint.findMany({
    where: { channelId: user.channelId, channelUserId: user.channelUserId },
    orderBy: { acceptedAt: 'desc' },
    take: OWN_COMPLAINTS_OFFERED,
    select: { id: true, number: true, acceptedAt: true },
  });
}

export type HandlingTarget =
  | { outcome: 'not_found' }
  | { outcome: 'own'; complaintId: string; number: string }
  | { outcome: 'needs_verification'; complaintId: string; number: string };

export async function findHandlingTarget(db: Database, number: string, user: ChannelUserRef): Promise<HandlingTarget> {
  const c = await db.complaint.findUnique({ where: { number }, select: { id: true, number: true, channelId: true, channelUserId: true } });
  if (!c) return { outcome: 'not_found' };
  const sameUser = user.channelUserId !== null && c.channelId === user.channelId && c.channelUserId === user.channelUserId;
  return sameUser ? { outcome: 'own', complaintId: c.id, number: c.number } : { outcome: 'needs_verification', complaintId: c.id, number: c.number };
}

/** The last four digits of the phone on file; a failure is recorded on the complaint. */
export async function verifyHandlingTarget(db: Database, { complaintId, phoneLastFour, user, now }: { complaintId: string; phoneLastFour: string; user: ChannelUserRef; now: Date }): Promise<boolean> {
  const c = await db.complaint.findUnique({ where: { id: complaintId }, select: { complainant: { select: { phone: true } } } });
  if (!c) return false;
  if (phoneLastFourMatches(c.complainant.phone, phoneLastFour)) return true;
  await recordComplaintEvent(db, {
    complaintId, type: 'status.verification_failed', occurredAt: now,
    actor: { type: 'customer', id: user.channelUserId, channel: user.channelId }, payload: { purpose: 'handling_complaint' },
  });
  return false;
}
