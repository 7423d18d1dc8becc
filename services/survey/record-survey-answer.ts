// The customer's answer (chat, survey page) or a callback's result recorded by an agent: the row
// takes it once (a conditional update on its status, so a double click, a retried request or two
// instances record it once), event `survey.answered` (rating and satisfied; the comment stays in the
// row), and the loop moves on in the same transaction: satisfied (rating ≥ 3 or a satisfied word) →
// the system closes the complaint; dissatisfied (rating ≤ 2) → reopened (reopen-complaint.ts).
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { changeComplaintStatusInTransaction } from '../complaints/change-complaint-status';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import { lockComplaint } from '../deadlines/recompute-deadlines';
import type { ComplaintPolicy } from '../policy/policy';
import { reopenComplaintInTransaction, type ComplaintReopened } from './reopen-complaint';

export const MAX_SURVEY_COMMENT = 2000;

export interface SurveyAnswerInput {
  rating: number | null;
  satisfied: boolean;
  comment?: string | null;
}

export interface SurveyAnswerRecorded {
  surveyId: string;
  complaintId: string;
  number: string;
  outcome: 'closed' | 'reopened' | 'unchanged';
  reopen: ComplaintReopened | null;
}

/** Answerable: sent or reminded (and, for a callback an agent records, also before its send time). */
const OPEN_STATUSES = ['scheduled', 'sent', 'reminded'] as const;

export async function recordSurveyAnswer({ db, surveyId, answer, actor, staffId, policy, calendar, now, requireSent = true }: {
  db: Database;
  surveyId: string;
  answer: SurveyAnswerInput;
  actor: Actor;
  /** An agent recording a callback's result. */
  staffId?: string | null;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  now: Date;
  /** Customers answer a survey they were sent; an agent may record a callback at any time. */
  requireSent?: boolean;
}): Promise<SurveyAnswerRecorded> {
  if (answer.rating !== null && !(Number.isInteger(answer.rating) && answer.rating >= 1 && answer.rating <= 5)) {
    throw new AppError('INVALID_INPUT', { message: 'rating must be a whole number from 1 to 5' });
  }
  const comment = answer.comment?.trim() ? answer.comment.trim().slice(0, MAX_SURVEY_COMMENT) : null;
  const satisfied = answer.rating !== null ? answer.rating >= 3 : answer.satisfied;
  return db.$transaction(async (tx) => {
    const row = await tx.satisfactionSurvey.findUnique({ where: { id: surveyId }, select: { complaintId: true, cycle: true, method: true } });
    if (!row) throw new AppError('NOT_FOUND', { message: 'no such survey' });
    await lockComplaint(tx, row.complaintId);
    const taken = await tx.satisfactionSurvey.updateMany({
      where: { id: surveyId, status: { in: requireSent ? ['sent', 'reminded'] : [...OPEN_STATUSES] } },
      data: { status: 'answered', answeredAt: now, rating: answer.rating, satisfied, comment, answeredByStaffId: staffId ?? null, claimedUntil: null },
    });
    if (taken.count === 0) {
      throw new AppError('CONFLICT', { message: 'this survey was already answered, has expired or was withdrawn', details: { cause: 'survey_closed' } });
    }
    await recordComplaintEvent(tx, {
      complaintId: row.complaintId, type: 'survey.answered', actor, occurredAt: now,
      payload: { surveyId, cycle: row.cycle, method: row.method, rating: answer.rating, satisfied, commented: comment !== null, ...(staffId ? { recordedByStaffId: staffId } : {}) },
    });
    const complaint = await tx.complaint.findUniqueOrThrow({ where: { id: row.complaintId }, select: { number: true, status: true } });
    if (!satisfied) {
      const reopen = await reopenComplaintInTransaction(tx, { complaintId: row.complaintId, cause: 'dissatisfied', surveyId, actor, policy, calendar, now });
      return { surveyId, complaintId: row.complaintId, number: complaint.number, outcome: reopen.reopened ? 'reopened' : 'unchanged', reopen };
    }
    if (complaint.status === 'resolved') {
      await changeComplaintStatusInTransaction(tx, {
        complaintId: row.complaintId, to: 'closed', actor: { type: 'system', id: 'survey' }, now, expectedFrom: 'resolved',
        reason: 'customer_satisfied', payload: { surveyId, rating: answer.rating },
      });
      return { surveyId, complaintId: row.complaintId, number: complaint.number, outcome: 'closed', reopen: null };
    }
    return { surveyId, complaintId: row.complaintId, number: complaint.number, outcome: 'unchanged', reopen: null };
  });
}

/** The optional comment, asked once after the answer; kept in the row (never in an event). */
export async function addSurveyComment({ db, surveyId, comment }: { db: Database; surveyId: string; comment: string }): Promise<boolean> {
  const text = comment.trim().slice(0, MAX_SURVEY_COMMENT);
  if (!text) return false;
  const { count } = await db.satisfactionSurvey.updateMany({ where: { id: surveyId, status: 'answered', comment: null }, data: { comment: text } });
  return count === 1;
}
