// Messages to a customer as proactive messages into the conversation the complaint came from (its
// stored ConversationReference), through the adapter of its channel (bot/channel-router.ts).
import type { ConversationReference } from 'botbuilder';
import type { CustomerNotice, CustomerNotifier } from '../services/extensions/customer-notifier';
import { formatDateTime, messagesFor } from '../dialogs/i18n/messages';
import type { ChannelRouter } from './channel-router';

/** The notice in the customer's language. */
export function renderCustomerNotice(notice: CustomerNotice): string {
  const m = messagesFor(notice.locale);
  return m.extensionNotice(notice.number, formatDateTime(notice.newDate, notice.locale, notice.timeZone), notice.reason);
}

export class BotFrameworkCustomerNotifier implements CustomerNotifier {
  constructor(private readonly channels: ChannelRouter) {}

  async notify(reference: unknown, notice: CustomerNotice): Promise<void> {
    if (!reference || typeof reference !== 'object') throw new Error('no conversation reference');
    await this.channels.sendText(reference as Partial<ConversationReference>, renderCustomerNotice(notice));
  }
}
