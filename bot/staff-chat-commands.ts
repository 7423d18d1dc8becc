// Staff members answer alerts in their chat with the bot: "ack TS20261128-000042" (or 确认 …)
// acknowledges their open alerts on that complaint and stops that step of the escalation ladder;
// "link 123456" (or 绑定 …) with a code from the console makes this chat their alert path.
import type { TurnContext } from 'botbuilder';
import { conversationReferenceOf } from '../dialogs/turn-info';
import type { Database } from '../services/db/client';
import { AppError } from '../services/errors';
import { acknowledgeAlert } from '../services/alerts/acknowledge-alert';
import { parseAckCommand } from '../services/alerts/delivery/ack-command';
import { findStaffByChat } from '../services/alerts/delivery/find-staff-by-chat';
import { parseChatLinkCommand, redeemChatLinkCode } from '../services/alerts/delivery/staff-contacts';
import { saveStaffContact } from '../services/alerts/delivery/save-staff-contact';
import type { Redis } from '../services/redis';

export interface StaffChatCommands {
  /** Handles the message if it is a staff command from a known staff chat; returns whether it did. */
  handle(context: TurnContext): Promise<boolean>;
}

export function createStaffChatCommands({ db, clock, redis }: { db: Database; clock: () => Date; redis?: Redis }): StaffChatCommands {
  return {
    async handle(context) {
      const code = redis ? parseChatLinkCommand(context.activity.text ?? '') : null;
      if (code && redis) {
        const staffId = await redeemChatLinkCode(redis, code);
        if (!staffId) {
          await context.sendActivity('绑定码无效或已过期，请在工作台重新获取 · That link code is unknown or expired; get a new one in the console.');
          return true;
        }
        await saveStaffContact({ db, staffId, contact: { kind: 'chat', reference: conversationReferenceOf(context) } });
        await context.sendActivity('已绑定：投诉提醒将发送到此聊天 · Linked: complaint alerts will come to this chat.');
        return true;
      }
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
