// R-FEEDBACK: the result goes to the customer — a chat message through the bot into the conversation
// the complaint came from, or a phone call / SMS / e-mail / letter recorded with its content — and the
// complaint moves investigating → resolved. The feedback and statutory-decision deadlines are met, so
// the SLA clock stops. Before it: the root cause and impact are on record and no compensation waits
// for a decision (the answer must carry the decision).
//
// A chat message is sent before anything is written, so a channel failure changes nothing
// (`feedback.send_failed` on record, 503). If the complaint moved on while the message was on its
// way, the message is on record (`feedback.sent_unapplied`) and the caller gets the conflict.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { changeComplaintStatusInTransaction } from '../complaints/change-complaint-status';
import { recordComplaintEvent } from '../complaints/record-event';
import type { ComplaintStatusName } from '../complaints/status-model';
import { markStepMet } from '../deadlines/mark-step-met';
import type { ComplaintPolicy } from '../policy/policy';
import {
  actorOf, assertExpectedStatus, assertHandler, assertValidNow, findCase, lockCase, optionalText, requiredText,
  type CaseComplaint, type CaseStaff, type Reader,
} from './case-access';
import type { CustomerChat } from './customer-chat';
import { renderFeedbackText } from './feedback-text';
import { scheduleSurveyInTransaction, type SurveySettings } from '../survey/schedule-survey';

export const FEEDBACK_METHODS = ['chat', 'phone', 'sms', 'email', 'letter'] as const;
export type FeedbackMethodName = (typeof FEEDBACK_METHODS)[number];

const MAX_TEXT = 5000;

export interface GiveFeedbackOptions {
  db: Database;
  number: string;
  method: FeedbackMethodName;
  findings: string;
  decision: string;
  customerOptions?: string | null;
  /** What was said or sent (required for phone, SMS, e-mail and letter). */
  content?: string | null;
  staff: CaseStaff;
  policy: ComplaintPolicy;
  now: Date;
  expectedFrom?: ComplaintStatusName;
  /** Needed for method chat. */
  chat?: CustomerChat | null;
  channel?: string;
  /** R-SURVEY: the satisfaction survey of this round is created in the same transaction. */
  survey?: SurveySettings;
}

export interface FeedbackGiven {
  id: string;
  number: string;
  method: FeedbackMethodName;
  delivery: 'sent' | 'recorded';
  status: ComplaintStatusName;
  deadlinesMet: string[];
  /** The survey created for this answer (null: none, or one existed for this cycle). */
  surveyId?: string | null;
}

export async function giveFeedback(options: GiveFeedbackOptions): Promise<FeedbackGiven> {
  const { db, staff, policy, now, method } = options;
  assertValidNow(now);
  if (!FEEDBACK_METHODS.includes(method)) throw new AppError('INVALID_INPUT', { message: `method must be one of ${FEEDBACK_METHODS.join(', ')}` });
  const findings = requiredText(options.findings, 'findings', MAX_TEXT);
  const decision = requiredText(options.decision, 'decision', MAX_TEXT);
  const customerOptions = optionalText(options.customerOptions, 'customerOptions', MAX_TEXT);
  const content = method === 'chat' ? null : requiredText(options.content, 'content', MAX_TEXT);
  const complaint = await findCase(db, options.number);
  assertHandler(staff, complaint, 'give feedback to the customer');
  const actor = actorOf(staff, options.channel);
  await assertReadyForFeedback(db, complaint, options.expectedFrom);

  let body: string;
  let channelId: string | null = null;
  if (method === 'chat') {
    const stored = await db.conversationReference.findUnique({ where: { complaintId: complaint.id }, select: { channelId: true, reference: true } });
    if (!stored) {
      throw new AppError('INVALID_INPUT', { message: `complaint ${complaint.number} has no chat conversation: record a phone call, SMS, e-mail or letter instead` });
    }
    if (!options.chat) throw new AppError('UNAVAILABLE', { message: 'chat messages cannot be sent from here' });
    body = renderFeedbackText({ locale: complaint.locale, number: complaint.number, findings, decision, options: customerOptions, reviewWindowDays: policy.review.windowDays });
    channelId = stored.channelId;
    try {
      await options.chat.sendText(stored.reference, body);
    } catch (err) {
      await recordComplaintEvent(db, {
        complaintId: complaint.id, type: 'feedback.send_failed', actor, occurredAt: now,
        payload: { method, channelId, errorClass: err instanceof Error ? err.name : typeof err },
      });
      throw new AppError('UNAVAILABLE', { message: 'the message could not be delivered to the customer; nothing changed, try again or use another method', cause: err });
    }
  } else {
    body = content!;
  }
  const delivery = method === 'chat' ? ('sent' as const) : ('recorded' as const);

  try {
    return await db.$transaction(async (tx) => {
      const current = await lockCase(tx, complaint.id);
      await assertReadyForFeedback(tx, current, options.expectedFrom);
      const row = await tx.caseRecord.create({
        data: {
          complaintId: complaint.id, kind: 'feedback', body, recordedBy: staff.id, recordedAt: now,
          details: { method, delivery, findings, decision, customerOptions, channelId },
        },
        select: { id: true },
      });
      await recordComplaintEvent(tx, {
        complaintId: complaint.id, type: 'feedback.given', actor, occurredAt: now,
        payload: { recordId: row.id, method, delivery, ...(channelId ? { channelId } : {}) },
      });
      const moved = await changeComplaintStatusInTransaction(tx, { complaintId: complaint.id, to: 'resolved', actor, now, expectedFrom: 'investigating' });
      const deadlinesMet: string[] = [];
      for (const kind of ['feedback', 'statutory_decision'] as const) {
        if (await markStepMet(tx, { complaintId: complaint.id, kind, by: `feedback by ${method}`, now })) deadlinesMet.push(kind);
      }
      const survey = options.survey
        ? await scheduleSurveyInTransaction(tx, { complaintId: complaint.id, feedbackMethod: method, feedbackAt: now, policy, settings: options.survey })
        : null;
      return { id: row.id, number: current.number, method, delivery, status: moved.to, deadlinesMet, surveyId: survey?.surveyId ?? null };
    });
  } catch (err) {
    if (delivery === 'sent') {
      await recordComplaintEvent(db, {
        complaintId: complaint.id, type: 'feedback.sent_unapplied', actor, occurredAt: now,
        payload: { method, channelId, errorCode: err instanceof AppError ? err.code : 'UNEXPECTED' },
      }).catch(() => {});
    }
    throw err;
  }
}

async function assertReadyForFeedback(db: Reader, complaint: CaseComplaint, expectedFrom: ComplaintStatusName | undefined): Promise<void> {
  assertExpectedStatus(complaint, expectedFrom);
  if (complaint.status !== 'investigating') {
    throw new AppError('INVALID_TRANSITION', { message: `complaint ${complaint.number} is ${complaint.status}: feedback follows the investigation` });
  }
  const investigation = await db.caseInvestigation.findUnique({ where: { complaintId: complaint.id }, select: { analysedAt: true } });
  if (!investigation?.analysedAt) {
    throw new AppError('CONFLICT', { message: `record the root cause and impact of complaint ${complaint.number} before the feedback`, details: { blocker: 'analysis_missing' } });
  }
  const pending = await db.compensation.count({ where: { complaintId: complaint.id, status: 'requested' } });
  if (pending > 0) {
    throw new AppError('CONFLICT', { message: `a compensation of complaint ${complaint.number} still waits for a decision`, details: { blocker: 'compensation_pending' } });
  }
}
