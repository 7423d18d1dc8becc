// What the chat asks of the domain for a complaint about handling (R-SUPERVISION), bound to the
// database, policy, calendar and clock: part of the ComplaintDesk the dialogs receive.
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ConversationReferenceLike } from '../complaints/conversation-reference';
import type { Database } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import type { TextAnalyzer } from '../text-analysis/text-analysis';
import { findHandlingTarget, listOwnComplaints, verifyHandlingTarget, type ChannelUserRef, type HandlingTarget, type OwnComplaint } from './customer-complaints';
import { fileHandlingComplaint, type FiledHandlingComplaint } from './file-handling-complaint';

export interface SupervisionDesk {
  ownComplaints(user: ChannelUserRef): Promise<OwnComplaint[]>;
  findTarget(number: string, user: ChannelUserRef): Promise<HandlingTarget>;
  verifyTarget(complaintId: string, phoneLastFour: string, user: ChannelUserRef): Promise<boolean>;
  file(input: { aboutComplaintId: string; description: string; user: ChannelUserRef; locale: string; reference: ConversationReferenceLike }): Promise<FiledHandlingComplaint>;
}

export interface SupervisionDeskDeps {
  db: Database;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  analyzer: TextAnalyzer;
  piiHashKey: string;
  clock: () => Date;
  afterFiled?: (complaintId: string) => void;
}

export function createSupervisionDesk(deps: SupervisionDeskDeps): SupervisionDesk {
  const { db, clock } = deps;
  return {
    ownComplaints: (user) => listOwnComplaints(db, user),
    findTarget: (number, user) => findHandlingTarget(db, number, user),
    verifyTarget: (complaintId, phoneLastFour, user) => verifyHandlingTarget(db, { complaintId, phoneLastFour, user, now: clock() }),
    file: async ({ aboutComplaintId, description, user, locale, reference }) => {
      const filed = await fileHandlingComplaint({
        ...deps, aboutComplaintId, description, now: clock(), conversationReference: reference, linkConversationTranscript: true,
        source: { channelId: user.channelId, channelUserId: user.channelUserId, locale },
        actor: { type: 'customer', id: user.channelUserId, channel: user.channelId },
      });
      deps.afterFiled?.(filed.id);
      return filed;
    },
  };
}
