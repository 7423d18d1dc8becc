// The status check (查询投诉进度). Details go only to the user who filed the complaint on the same
// channel, or to someone who gives the last four digits of the phone on file; both are events.
import type { Database } from '../db/client';
import { phoneLastFourMatches } from '../complainants/upsert-complainant';
import type { ComplaintStatusName } from './status-model';
import { recordComplaintEvent } from './record-event';

export interface ComplaintStatusView {
  number: string;
  status: ComplaintStatusName;
  tier: 'L1' | 'L2' | 'L3' | null;
  acceptedAt: Date;
  /** Who holds it, as a role: never a staff member's name. */
  holderRole: 'intake' | 'agent' | 'supervisor' | 'leadership' | 'supervision' | 'admin';
  nextDeadline: { kind: string; dueAt: Date } | null;
  /** Times reopened after an answer the customer was not satisfied with (or asked to review). */
  reopenCount: number;
}

export type StatusLookup =
  | { outcome: 'not_found' }
  | { outcome: 'needs_verification'; complaintId: string }
  | { outcome: 'found'; view: ComplaintStatusView };

interface Requester { channelId: string; channelUserId: string | null }

/** The deadlines a customer is owed (internal steps such as the investigation are not shown). */
const CUSTOMER_FACING_DEADLINES: ('first_response' | 'feedback')[] = ['first_response', 'feedback'];

export async function findComplaintStatus({ db, number, requester, now }: { db: Database; number: string; requester: Requester; now: Date }): Promise<StatusLookup> {
  const complaint = await db.complaint.findUnique({ where: { number }, select: { id: true, channelId: true, channelUserId: true } });
  if (!complaint) return { outcome: 'not_found' };
  const sameUser = requester.channelUserId !== null && complaint.channelId === requester.channelId && complaint.channelUserId === requester.channelUserId;
  if (!sameUser) return { outcome: 'needs_verification', complaintId: complaint.id };
  return { outcome: 'found', view: await readStatusView(db, complaint.id, requester, 'same_channel_user', now) };
}

/** Second factor for someone else's channel: the last four digits of the phone on file. */
export async function verifyAndFindComplaintStatus({
  db, complaintId, phoneLastFour, requester, now,
}: { db: Database; complaintId: string; phoneLastFour: string; requester: Requester; now: Date }): Promise<ComplaintStatusView | null> {
  const complaint = await db.complaint.findUnique({ where: { id: complaintId }, select: { complainant: { select: { phone: true } } } });
  if (!complaint) return null;
  if (!phoneLastFourMatches(complaint.complainant.phone, phoneLastFour)) {
    await recordComplaintEvent(db, {
      complaintId, type: 'status.verification_failed', occurredAt: now,
      actor: { type: 'customer', id: requester.channelUserId, channel: requester.channelId },
    });
    return null;
  }
  return readStatusView(db, complaintId, requester, 'phone_last_four', now);
}

async function readStatusView(db: Database, complaintId: string, requester: Requester, verifiedBy: string, now: Date): Promise<ComplaintStatusView> {
  const c = await db.complaint.findUniqueOrThrow({
    where: { id: complaintId },
    select: {
      number: true, status: true, tier: true, acceptedAt: true, reopenCount: true,
      owner: { select: { role: true } },
      deadlines: { where: { metAt: null, kind: { in: CUSTOMER_FACING_DEADLINES } }, orderBy: { dueAt: 'asc' }, take: 1, select: { kind: true, dueAt: true } },
    },
  });
  await recordComplaintEvent(db, {
    complaintId, type: 'status.viewed', occurredAt: now,
    actor: { type: 'customer', id: requester.channelUserId, channel: requester.channelId },
    payload: { verifiedBy },
  });
  const next = c.deadlines[0];
  return {
    number: c.number,
    status: c.status,
    tier: c.tier,
    acceptedAt: c.acceptedAt,
    holderRole: c.owner?.role ?? 'intake',
    nextDeadline: next ? { kind: next.kind, dueAt: next.dueAt } : null,
    reopenCount: c.reopenCount,
  };
}
