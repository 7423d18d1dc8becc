// What the dialogs may ask of the domain, bound to the database, policy, calendar and clock. The
// dialogs receive this in their constructors, so tests and later issues can swap any part.
import type { Database } from './db/client';
import type { ComplaintPolicy } from './policy/policy';
import type { BusinessCalendar } from './calendar/business-calendar';
import type { TextAnalyzer } from './text-analysis/text-analysis';
import type { ComplaintDraftInput } from './complaints/complaint-draft';
import type { ConversationReferenceLike } from './complaints/conversation-reference';
import { createComplaint, type CreatedComplaint } from './complaints/create-complaint';
import { acknowledgeComplaint } from './complaints/acknowledge-complaint';
import { findComplaintStatus, verifyAndFindComplaintStatus, type ComplaintStatusView, type StatusLookup } from './complaints/find-complaint-status';
import { requestHandoff } from './handoff/request-handoff';
import { createSupervisionDesk, type SupervisionDesk } from './supervision/supervision-desk';

export interface ChannelUser {
  channelId: string;
  channelUserId: string | null;
}

export interface ComplaintDesk {
  readonly policy: ComplaintPolicy;
  fileComplaint(input: {
    draft: ComplaintDraftInput;
    user: ChannelUser;
    locale: string;
    reference: ConversationReferenceLike;
    consent: { noticeVersion: string };
    /** Same id for retries of one intake: filing is idempotent. */
    submissionId: string;
  }): Promise<CreatedComplaint>;
  acknowledge(complaintId: string, user: ChannelUser): Promise<void>;
  findStatus(number: string, user: ChannelUser): Promise<StatusLookup>;
  verifyStatus(complaintId: string, phoneLastFour: string, user: ChannelUser): Promise<ComplaintStatusView | null>;
  requestPerson(input: { user: ChannelUser; reference: ConversationReferenceLike; reason: string }): Promise<{ alreadyRequested: boolean }>;
  /** R-SUPERVISION: complaints about how a complaint is handled. */
  supervision: SupervisionDesk;
}

export interface ComplaintDeskDeps {
  db: Database;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  analyzer: TextAnalyzer;
  piiHashKey: string;
  clock?: () => Date;
  /** After a complaint is filed (committed): schedule its timers, deliver its alerts. Must not throw. */
  afterFiled?: (complaintId: string) => void;
}

export function createComplaintDesk({ db, policy, calendar, analyzer, piiHashKey, clock = () => new Date(), afterFiled }: ComplaintDeskDeps): ComplaintDesk {
  const customer = (user: ChannelUser) => ({ type: 'customer' as const, id: user.channelUserId, channel: user.channelId });
  return {
    policy,
    fileComplaint: async ({ draft, user, locale, reference, consent, submissionId }) => {
      const filed = await createComplaint({
        db, draft, policy, calendar, piiHashKey, now: clock(),
        analysis: await analyzer.analyze(draft.description, { languageHint: locale.startsWith('en') ? 'en' : 'zh' }),
        source: { channelId: user.channelId, channelUserId: user.channelUserId, locale },
        actor: customer(user),
        conversationReference: reference,
        consent,
        submissionId,
        linkConversationTranscript: true,
      });
      afterFiled?.(filed.id);
      return filed;
    },
    acknowledge: async (complaintId, user) => {
      await acknowledgeComplaint({ db, complaintId, now: clock(), actor: { type: 'bot', id: 'intake-dialog', channel: user.channelId } });
    },
    findStatus: (number, user) => findComplaintStatus({ db, number, requester: user, now: clock() }),
    verifyStatus: (complaintId, phoneLastFour, user) => verifyAndFindComplaintStatus({ db, complaintId, phoneLastFour, requester: user, now: clock() }),
    requestPerson: ({ user, reference, reason }) =>
      requestHandoff({ db, reference, channelUserId: user.channelUserId, reason, now: clock() }),
    supervision: createSupervisionDesk({ db, policy, calendar, analyzer, piiHashKey, clock, afterFiled }),
  };
}
