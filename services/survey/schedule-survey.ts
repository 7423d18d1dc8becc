// Creates the survey of this round of the loop when feedback is given, inside the feedback's
// transaction: one row per (complaint, cycle) — `cycle` is the complaint's reopen_count now, so a
// retried feedback finds the row taken and a reopened complaint's next feedback gets cycle + 1.
// The row's times are the truth; the BullMQ jobs are derived from them after the commit.
import type { Prisma } from '../db/client';
import { recordComplaintEvent } from '../complaints/record-event';
import type { ComplaintPolicy } from '../policy/policy';
import { chooseSurveyMethod, planSurveyTimes, type SurveyMethodName } from './plan-survey';

export interface SurveySettings {
  /** SURVEY_TIME_SCALE: 1 in production. */
  timeScale: number;
  /** An SMS gateway is configured (SMS_GATEWAY_URL). */
  smsAvailable: boolean;
}

export interface SurveyScheduled {
  surveyId: string;
  cycle: number;
  method: SurveyMethodName;
  sendAt: Date;
}

export async function scheduleSurveyInTransaction(
  tx: Prisma.TransactionClient,
  { complaintId, feedbackMethod, feedbackAt, policy, settings }: {
    complaintId: string; feedbackMethod: string; feedbackAt: Date; policy: Pick<ComplaintPolicy, 'survey'>; settings: SurveySettings;
  },
): Promise<SurveyScheduled | null> {
  const complaint = await tx.complaint.findUniqueOrThrow({
    where: { id: complaintId },
    select: {
      reopenCount: true, locale: true, intakeChannel: true, conversationRef: { select: { complaintId: true } },
      complainant: { select: { email: true, phone: true } },
    },
  });
  const method = chooseSurveyMethod({
    hasConversation: complaint.conversationRef !== null, feedbackMethod, intakeChannel: complaint.intakeChannel,
    hasEmail: Boolean(complaint.complainant.email), hasPhone: Boolean(complaint.complainant.phone), smsAvailable: settings.smsAvailable,
  });
  const times = planSurveyTimes({ feedbackAt, policy, timeScale: settings.timeScale });
  const cycle = complaint.reopenCount;
  const created = await tx.satisfactionSurvey.createManyAndReturn({
    data: [{ complaintId, cycle, method, locale: complaint.locale.startsWith('en') ? 'en-US' : 'zh-CN', feedbackAt, ...times }],
    skipDuplicates: true,
    select: { id: true },
  });
  if (created.length === 0) return null;
  const surveyId = created[0]!.id;
  await recordComplaintEvent(tx, {
    complaintId, type: 'survey.scheduled', actor: { type: 'system', id: 'survey' }, occurredAt: feedbackAt,
    payload: { surveyId, cycle, method, sendAt: times.sendAt.toISOString(), remindAt: times.remindAt.toISOString(), expiresAt: times.expiresAt.toISOString() },
  });
  return { surveyId, cycle, method, sendAt: times.sendAt };
}
