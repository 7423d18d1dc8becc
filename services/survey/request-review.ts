// 申请复核: within review.windowDays of the answer (the latest feedback) the customer may ask, in chat,
// for a review of a complaint that is resolved or closed — the one they name by number, else their
// latest one — and it is reopened like a dissatisfied answer, marked as a review. After the window
// the customer is told it has passed. Only complaints filed by the same channel user are found.
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Database } from '../db/client';
import type { Actor } from '../complaints/record-event';
import type { ComplaintPolicy } from '../policy/policy';
import { reviewWindowOpen } from './plan-survey';
import { reopenComplaintInTransaction } from './reopen-complaint';

const NUMBER = /TS\d{8}-\d{6}/i;

export type ReviewOutcome =
  | { outcome: 'reopened'; complaintId: string; number: string; feedbackDueAt: Date; alertIds: string[] }
  | { outcome: 'window_passed'; number: string; windowDays: number }
  | { outcome: 'still_open'; number: string }
  | { outcome: 'not_found' };

export async function requestReview({ db, text, channelUserId, actor, policy, calendar, now }: {
  db: Database; text: string; channelUserId: string; actor: Actor; policy: ComplaintPolicy; calendar: BusinessCalendar; now: Date;
}): Promise<ReviewOutcome> {
  const named = NUMBER.exec(text)?.[0]?.toUpperCase();
  const complaint = await db.complaint.findFirst({
    where: named ? { number: named, channelUserId } : { channelUserId, status: { in: ['resolved', 'closed'] } },
    orderBy: { acceptedAt: 'desc' },
    select: { id: true, number: true, status: true, resolvedAt: true, surveys: { select: { feedbackAt: true }, orderBy: { cycle: 'desc' }, take: 1 } },
  });
  if (!complaint) return { outcome: 'not_found' };
  if (complaint.status !== 'resolved' && complaint.status !== 'closed') return { outcome: 'still_open', number: complaint.number };
  const answeredAt = complaint.surveys[0]?.feedbackAt ?? complaint.resolvedAt;
  if (!answeredAt || !reviewWindowOpen({ feedbackAt: answeredAt, now, policy })) {
    return { outcome: 'window_passed', number: complaint.number, windowDays: policy.review.windowDays };
  }
  const reopened = await db.$transaction((tx) => reopenComplaintInTransaction(tx, { complaintId: complaint.id, cause: 'review', actor, policy, calendar, now }));
  if (!reopened.reopened) return { outcome: 'still_open', number: complaint.number };
  return { outcome: 'reopened', complaintId: complaint.id, number: complaint.number, feedbackDueAt: reopened.feedbackDueAt!, alertIds: reopened.alertIds };
}
