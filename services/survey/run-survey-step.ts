// The three timed steps of a survey — send, remind once, expire as no response — each safe to run
// from a BullMQ job, from the reconciler, twice, or on two workers at once: a step first claims the
// row with a conditional update (status + due time + a free `claimed_until` lease), so only one
// process sends; the message goes out, then the row moves on. A send that fails keeps the row as it
// was (last_error set, lease released) and the job's retry or the next reconcile tries again.
import type { Database } from '../db/client';
import { changeComplaintStatusInTransaction } from '../complaints/change-complaint-status';
import { recordComplaintEvent } from '../complaints/record-event';
import type { Logger } from '../logger';
import { fallbackMethod, type SurveyMethodName } from './plan-survey';
import { ChatWindowClosedError, hashLinkToken, surveyLink, surveyLinkToken, type SurveySenders, type SurveyStep } from './survey-sender';

export interface SurveyStepDeps {
  db: Database;
  log: Logger;
  senders: SurveySenders;
  /** Secret the link tokens derive from. */
  linkSecret: string;
  publicBaseUrl: string;
  clock: () => Date;
  /** How long a claim holds (a send that hangs longer is tried again). Default 2 minutes. */
  leaseMs?: number;
  /** After the system closed a complaint (no response): the SLA clock drops its timers. */
  afterComplaintChanged?: (complaintId: string) => void;
}

export type StepOutcome = 'done' | 'not_due' | 'fell_back';

const FROM_STATUS = { send: 'scheduled', remind: 'sent' } as const;
const TO_STATUS = { send: 'sent', remind: 'reminded' } as const;

export async function runSendStep(deps: SurveyStepDeps, surveyId: string, step: SurveyStep): Promise<StepOutcome> {
  const { db, log } = deps;
  const now = deps.clock();
  const due = step === 'send' ? { sendAt: { lte: now } } : { remindAt: { lte: now }, method: { not: 'callback' as const } };
  const claim = await db.satisfactionSurvey.updateMany({
    where: { id: surveyId, status: FROM_STATUS[step], ...due, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    data: { claimedUntil: new Date(now.getTime() + (deps.leaseMs ?? 120_000)) },
  });
  if (claim.count === 0) return 'not_due';
  const survey = await db.satisfactionSurvey.findUniqueOrThrow({
    where: { id: surveyId },
    select: {
      complaintId: true, cycle: true, method: true, locale: true,
      complaint: { select: { number: true, conversationRef: { select: { reference: true } }, complainant: { select: { email: true, phone: true } } } },
    },
  });
  const message = { surveyId, number: survey.complaint.number, locale: survey.locale, step };
  const contact = survey.complaint.complainant;
  const token = surveyLinkToken(deps.linkSecret, surveyId);
  const linkMessage = { ...message, link: surveyLink(deps.publicBaseUrl, token) };
  let method: SurveyMethodName = survey.method;
  let fellBackFrom: { method: SurveyMethodName; cause: string } | null = null;
  const fallBack = (cause: string) => {
    fellBackFrom = { method, cause };
    method = fallbackMethod({ hasEmail: Boolean(contact.email) && Boolean(deps.senders.email), hasPhone: Boolean(contact.phone), smsAvailable: Boolean(deps.senders.sms) });
  };
  try {
    if (method === 'chat') {
      if (!survey.complaint.conversationRef || !deps.senders.chat) fallBack('no_chat');
      else {
        try {
          await deps.senders.chat(survey.complaint.conversationRef.reference, message);
        } catch (err) {
          if (!(err instanceof ChatWindowClosedError)) throw err;
          await recordComplaintEvent(db, {
            complaintId: survey.complaintId, type: 'survey.chat_refused', actor: { type: 'system', id: 'survey' }, occurredAt: now,
            payload: { surveyId, step, code: err.code },
          });
          fallBack(err.code);
        }
      }
    }
    if (method === 'email') {
      if (contact.email && deps.senders.email) await deps.senders.email(contact.email, linkMessage);
      else fallBack('no_email');
    }
    if (method === 'sms') {
      if (contact.phone && deps.senders.sms) await deps.senders.sms(contact.phone, linkMessage);
      else fallBack('no_sms');
    }
    // 'callback': nothing is sent; the survey is now an open task for an agent (console).
  } catch (err) {
    const e = err as { name?: string; code?: string | number; responseCode?: number };
    const lastError = [e.name ?? 'Error', e.code, e.responseCode].filter((v) => v !== undefined).join(' ').slice(0, 200);
    await db.satisfactionSurvey.updateMany({ where: { id: surveyId }, data: { claimedUntil: null, lastError } });
    log.warn({ surveyId, complaintNumber: survey.complaint.number, step, method, errName: e.name }, 'survey not delivered; it is tried again');
    throw err;
  }
  const link = method === 'email' || method === 'sms';
  const moved = await db.$transaction(async (tx) => {
    const { count } = await tx.satisfactionSurvey.updateMany({
      where: { id: surveyId, status: FROM_STATUS[step] },
      data: {
        status: TO_STATUS[step], ...(step === 'send' ? { sentAt: now } : { remindedAt: now }), method, claimedUntil: null, lastError: null,
        ...(link ? { linkTokenHash: hashLinkToken(token) } : {}),
      },
    });
    if (count === 1) {
      await recordComplaintEvent(tx, {
        complaintId: survey.complaintId, type: step === 'send' ? 'survey.sent' : 'survey.reminded', actor: { type: 'system', id: 'survey' }, occurredAt: now,
        payload: { surveyId, cycle: survey.cycle, method, ...(fellBackFrom ? { fallbackFrom: (fellBackFrom as { method: string }).method, fallbackCause: (fellBackFrom as { cause: string }).cause } : {}) },
      });
    }
    return count === 1;
  });
  log.info({ surveyId, complaintNumber: survey.complaint.number, step, method, moved }, step === 'send' ? 'survey sent' : 'survey reminder sent');
  return fellBackFrom ? 'fell_back' : 'done';
}

/**
 * No answer by expires_at: the survey is recorded as no response and a complaint still `resolved`
 * is closed as concluded without the customer's response (reason on the status change).
 */
export async function runExpireStep(deps: SurveyStepDeps, surveyId: string): Promise<StepOutcome> {
  const now = deps.clock();
  const result = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.satisfactionSurvey.updateMany({
      where: { id: surveyId, status: { in: ['scheduled', 'sent', 'reminded'] }, expiresAt: { lte: now } },
      data: { status: 'no_response', claimedUntil: null },
    });
    if (count === 0) return null;
    const row = await tx.satisfactionSurvey.findUniqueOrThrow({ where: { id: surveyId }, select: { complaintId: true, cycle: true, method: true, complaint: { select: { status: true, number: true } } } });
    await recordComplaintEvent(tx, {
      complaintId: row.complaintId, type: 'survey.no_response', actor: { type: 'system', id: 'survey' }, occurredAt: now,
      payload: { surveyId, cycle: row.cycle, method: row.method },
    });
    if (row.complaint.status === 'resolved') {
      await changeComplaintStatusInTransaction(tx, {
        complaintId: row.complaintId, to: 'closed', actor: { type: 'system', id: 'survey' }, now, expectedFrom: 'resolved',
        reason: 'concluded_without_response', payload: { surveyId },
      });
    }
    return row;
  });
  if (!result) return 'not_due';
  deps.log.info({ surveyId, complaintNumber: result.complaint.number }, 'survey expired without response');
  deps.afterComplaintChanged?.(result.complaintId);
  return 'done';
}
