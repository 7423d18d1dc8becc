// Messages to a customer as proactive Bot Framework messages, into the conversation the complaint
// came from (its stored ConversationReference). As bot/proactive-alert-sender.ts: the send error is
// caught inside the turn and rethrown after it, so the adapter's onTurnError does not swallow it.
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { CustomerNotice, CustomerNotifier } from '../services/extensions/customer-notifier';
import { formatDateTime, messagesFor } from '../dialogs/i18n/messages';

/** The notice in the customer's language. */
export function renderCustomerNotice(notice: CustomerNotice): string {
  const m = messagesFor(notice.locale);
  return m.extensionNotice(notice.number, formatDateTime(notice.newDate, notice.locale, notice.timeZone), notice.reason);
}

export class BotFrameworkCustomerNotifier implements CustomerNotifier {
  constructor(
    private readonly adapter: CloudAdapter,
    /** MicrosoftAppId; empty for an anonymous (local) bot. */
    private readonly appId: string,
  ) {}

  async notify(reference: unknown, notice: CustomerNotice): Promise<void> {
    const text = renderCustomerNotice(notice);
    if (!reference || typeof reference !== 'object') throw new Error('no conversation reference');
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference as Partial<ConversationReference>, async (context) => {
      try {
        await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
