// The survey's use cases as one object for bot/ (chat turns, the public survey page, the staff API):
// each records in the database, then — after the commit — delivers the alerts a reopening raised
// and tells the SLA clock the complaint changed (new feedback deadline, or timers to drop).
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Database } from '../db/client';
import { AppError } from '../errors';
import type { Actor } from '../complaints/record-event';
import type { ComplaintPolicy } from '../policy/policy';
import { findCase, type CaseStaff } from '../case-handling/case-access';
import { addSurveyComment, recordSurveyAnswer, type SurveyAnswerInput, type SurveyAnswerRecorded } from './record-survey-answer';
import { requestReview, type ReviewOutcome } from './request-review';
import { hashLinkToken } from './survey-sender';

export interface SurveyServiceDeps {
  db: Database;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  clock: () => Date;
  /** Delivers an alert (the SLA clock's notifier). */
  notify?: (alertId: string) => Promise<void>;
  afterComplaintChanged?: (complaintId: string) => void;
  onError?: (err: unknown, what: string) => void;
}

export interface PendingChatSurvey {
  id: string;
  number: string;
  locale: string;
}

export type LinkSurveyState = { state: 'open' | 'answered' | 'expired'; number: string; locale: string; surveyId: string };

export function createSurveyService(deps: SurveyServiceDeps) {
  const { db, policy, calendar, clock } = deps;

  const after = async (complaintId: string, alertIds: string[]) => {
    deps.afterComplaintChanged?.(complaintId);
    for (const id of alertIds) await deps.notify?.(id).catch((err: unknown) => deps.onError?.(err, 'alert delivery after a reopening'));
  };
  const answer = async (surveyId: string, input: SurveyAnswerInput, actor: Actor, options: { staffId?: string; requireSent?: boolean } = {}): Promise<SurveyAnswerRecorded> => {
    const recorded = await recordSurveyAnswer({ db, surveyId, answer: input, actor, staffId: options.staffId, requireSent: options.requireSent, policy, calendar, now: clock() });
    await after(recorded.complaintId, recorded.reopen?.alertIds ?? []);
    return recorded;
  };
  const byToken = async (token: string) => {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    return db.satisfactionSurvey.findUnique({
      where: { linkTokenHash: hashLinkToken(token) },
      select: { id: true, status: true, expiresAt: true, locale: true, complaint: { select: { number: true } } },
    });
  };

  return {
    /** The survey waiting for an answer in this conversation (the latest, if several). */
    async findPendingChatSurvey(channelId: string, conversationId: string): Promise<PendingChatSurvey | null> {
      const row = await db.satisfactionSurvey.findFirst({
        where: { status: { in: ['sent', 'reminded'] }, method: 'chat', complaint: { conversationRef: { channelId, conversationId } } },
        orderBy: { sentAt: 'desc' },
        select: { id: true, locale: true, complaint: { select: { number: true } } },
      });
      return row ? { id: row.id, locale: row.locale, number: row.complaint.number } : null;
    },
    /** The survey a button names, if it belongs to this conversation. */
    async findChatSurvey(surveyId: string, channelId: string, conversationId: string): Promise<PendingChatSurvey | null> {
      const row = await db.satisfactionSurvey.findFirst({
        where: { id: surveyId, complaint: { conversationRef: { channelId, conversationId } } },
        select: { id: true, locale: true, complaint: { select: { number: true } } },
      });
      return row ? { id: row.id, locale: row.locale, number: row.complaint.number } : null;
    },
    answer,
    comment: (surveyId: string, text: string) => addSurveyComment({ db, surveyId, comment: text }),
    async requestReview(text: string, channelUserId: string, actor: Actor): Promise<ReviewOutcome> {
      const outcome = await requestReview({ db, text, channelUserId, actor, policy, calendar, now: clock() });
      if (outcome.outcome === 'reopened') await after(outcome.complaintId, outcome.alertIds);
      return outcome;
    },
    /** What the survey page shows for a link. */
    async linkState(token: string): Promise<LinkSurveyState | null> {
      const row = await byToken(token);
      if (!row) return null;
      const open = (row.status === 'sent' || row.status === 'reminded') && row.expiresAt.getTime() > clock().getTime();
      const state = open ? 'open' : row.status === 'answered' ? 'answered' : 'expired';
      return { state, number: row.complaint.number, locale: row.locale, surveyId: row.id };
    },
    async answerByLink(token: string, input: { rating: number; comment?: string | null }): Promise<SurveyAnswerRecorded> {
      const row = await byToken(token);
      if (!row) throw new AppError('NOT_FOUND', { message: 'this survey link is not valid' });
      if (row.expiresAt.getTime() <= clock().getTime()) throw new AppError('CONFLICT', { message: 'this survey has expired', details: { cause: 'survey_closed' } });
      return answer(row.id, { rating: input.rating, satisfied: input.rating >= 3, comment: input.comment }, { type: 'customer', channel: 'survey-link' });
    },
    /** An agent records the result of a callback (or of a survey the customer answered by phone). */
    async recordCallback(number: string, staff: CaseStaff, input: { rating: number | null; satisfied?: boolean; comment?: string | null }): Promise<SurveyAnswerRecorded> {
      const complaint = await findCase(db, number);
      if (staff.role === 'agent' && complaint.ownerStaffId !== staff.id && complaint.investigatorId !== staff.id && complaint.departmentId !== staff.departmentId) {
        throw new AppError('FORBIDDEN', { message: `only staff of complaint ${complaint.number}'s department may record its survey` });
      }
      const open = await db.satisfactionSurvey.findFirst({
        where: { complaintId: complaint.id, status: { in: ['scheduled', 'sent', 'reminded'] } }, orderBy: { cycle: 'desc' }, select: { id: true },
      });
      if (!open) throw new AppError('CONFLICT', { message: `complaint ${complaint.number} has no survey waiting for an answer` });
      const satisfied = input.rating !== null ? input.rating >= 3 : input.satisfied;
      if (satisfied === undefined) throw new AppError('INVALID_INPUT', { message: 'give a rating (1–5) or satisfied (true/false)' });
      return answer(open.id, { rating: input.rating, satisfied, comment: input.comment }, { type: 'staff', id: staff.id, channel: 'staff-api' }, { staffId: staff.id, requireSent: false });
    },
    /** Every round of the loop, for the console. */
    async surveysOf(number: string) {
      const complaint = await findCase(db, number);
      const { reopenCount } = await db.complaint.findUniqueOrThrow({ where: { id: complaint.id }, select: { reopenCount: true } });
      const surveys = await db.satisfactionSurvey.findMany({
        where: { complaintId: complaint.id }, orderBy: { cycle: 'asc' },
        select: {
          id: true, cycle: true, method: true, status: true, feedbackAt: true, sendAt: true, remindAt: true, expiresAt: true, sentAt: true,
          remindedAt: true, answeredAt: true, rating: true, satisfied: true, comment: true, answeredByStaffId: true, lastError: true,
        },
      });
      return { number: complaint.number, reopenCount, surveys };
    },
  };
}

export type SurveyService = ReturnType<typeof createSurveyService>;
