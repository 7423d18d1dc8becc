// Staff members answer alerts in their chat with the bot: "ack TS20261128-000042" (or 确认 …)
// acknowledges their open alerts on that complaint and stops that step of the escalation ladder.
import type { TurnContext } from 'botbuilder';
import type { Database } from '../services/db/client';
import { AppError } from '../services/errors';
import { acknowledgeAlert } from '../services/alerts/acknowledge-alert';
import { parseAckCommand } from '../services/alerts/delivery/ack-command';
import { findStaffByChat } from '../services/alerts/delivery/find-staff-by-chat';

export interface StaffChatCommands {
  /** Handles the message if it is a staff command from a known staff chat; returns whether it did. */
  handle(context: TurnContext): Promise<boolean>;
}

export function createStaffChatCommands({ db, clock }: { db: Database; clock: () => Date }): StaffChatCommands {
  return {
    async handle(context) {
      const number = parseAckCommand(context.activity.text ?? '');
      if (!number) return false;
      const staffId = await findStaffByChat({
        db, channelId: context.activity.channelId, conversationId: context.activity.conversation.id, userId: context.activity.from?.id ?? '',
      });
      if (!staffId) return false; // A customer typing "确认 TS…" goes on to the dialogs.
      try {
        const result = await acknowledgeAlert({ db, complaintNumber: number, staffId, via: 'chat', now: clock() });
        await context.sendActivity(
          result.acknowledged.length > 0
            ? `已确认 ${number} 的提醒 · Acknowledged the alert on ${number}.`
            : `${number} 的提醒此前已确认 · The alert on ${number} was already acknowledged.`,
        );
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
        await context.sendActivity(`没有找到您在 ${number} 上的提醒 · You have no alert on ${number}.`);
      }
      return true;
    },
  };
}
