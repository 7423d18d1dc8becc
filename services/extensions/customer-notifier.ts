// Sends a notice into the customer's own conversation (the complaint's stored ConversationReference,
// table conversation_reference). services/ knows no botbuilder types and no wording: the notice is
// structured, and bot/customer-notifier.ts words it in the customer's language and sends it.
export interface ExtensionNotice {
  kind: 'extension';
  locale: 'zh-CN' | 'en-US';
  number: string;
  newDate: Date;
  reason: string;
  timeZone: string;
}

export type CustomerNotice = ExtensionNotice;

export interface CustomerNotifier {
  /** Rejects when the channel refuses the message. */
  notify(reference: unknown, notice: CustomerNotice): Promise<void>;
}
