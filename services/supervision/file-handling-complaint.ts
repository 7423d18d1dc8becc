// R-SUPERVISION: a complaint about how another complaint is handled. It is a complaint like any
// other — filed through createComplaint, so it has its number, triage, deadlines, alerts and timers —
// for the same complainant, linked to the complaint it is about (complaint.handling_of_complaint_id)
// and routed to the supervision department. Both complaints get an event in the filing transaction.
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ConversationReferenceLike } from '../complaints/conversation-reference';
import { createComplaint, type CreatedComplaint, type CreateComplaintOptions } from '../complaints/create-complaint';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import type { Database } from '../db/client';
import { AppError } from '../errors';
import type { ComplaintPolicy } from '../policy/policy';
import type { TextAnalyzer } from '../text-analysis/text-analysis';

/** The supervision department's code (services/db/seed-demo-data.ts). */
export const SUPERVISION_DEPARTMENT_CODE = 'SUPERVISION';

export interface FileHandlingComplaintOptions {
  db: Database;
  /** The complaint whose handling is complained about. */
  aboutComplaintId: string;
  /** The customer's words: what is wrong with the handling. */
  description: string;
  source: CreateComplaintOptions['source'];
  actor: Actor;
  conversationReference?: ConversationReferenceLike | null;
  /** Filed in a chat: the conversation's transcript so far is linked to it (createComplaint). */
  linkConversationTranscript?: boolean;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  analyzer: TextAnalyzer;
  piiHashKey: string;
  now: Date;
}

export type FiledHandlingComplaint = CreatedComplaint & { aboutNumber: string };

export async function fileHandlingComplaint(o: FileHandlingComplaintOptions): Promise<FiledHandlingComplaint> {
  const description = o.description.trim();
  if (description.length < 2 || description.length > 2000) {
    throw new AppError('INVALID_INPUT', { message: 'description: 2 to 2000 characters', userMessage: '请用 2 到 2000 个字说明对处理的哪些方面不满意。' });
  }
  const about = await o.db.complaint.findUnique({
    where: { id: o.aboutComplaintId },
    select: { id: true, number: true, businessLine: true, feedbackMethod: true, complainant: { select: { name: true, phone: true, email: true } } },
  });
  if (!about) throw new AppError('NOT_FOUND', { message: `no complaint ${o.aboutComplaintId}` });
  const { name, phone, email } = about.complainant;
  const analysis = await o.analyzer.analyze(description, { languageHint: o.source.locale.startsWith('en') ? 'en' : 'zh' });
  const filed = await createComplaint({
    db: o.db, analysis, policy: o.policy, calendar: o.calendar, piiHashKey: o.piiHashKey, now: o.now,
    // The complainant and the way they want to hear back are the original complaint's.
    draft: {
      businessLine: about.businessLine, type: 'other', description, name, phone, email,
      feedbackMethod: about.feedbackMethod, occurredOn: null, referenceNumber: null, claimedLossYuan: null,
    },
    source: o.source, actor: o.actor, conversationReference: o.conversationReference ?? null,
    linkConversationTranscript: o.linkConversationTranscript ?? false,
    handlingOf: { complaintId: about.id, departmentCode: SUPERVISION_DEPARTMENT_CODE },
    alsoInTransaction: async (tx, created) => {
      await recordComplaintEvent(tx, {
        complaintId: about.id, type: 'handling_complaint.filed', actor: o.actor, occurredAt: o.now,
        payload: { handlingComplaintNumber: created.number, department: SUPERVISION_DEPARTMENT_CODE },
      });
      await recordComplaintEvent(tx, {
        complaintId: created.id, type: 'handling_complaint.linked', actor: o.actor, occurredAt: o.now,
        payload: { aboutNumber: about.number, department: SUPERVISION_DEPARTMENT_CODE },
      });
    },
  });
  return { ...filed, aboutNumber: about.number };
}
