// Sends a plain-text message into the customer's own conversation (the complaint's stored
// ConversationReference). bot/ passes an implementation over app.channels.sendText, so services/
// knows no botbuilder type.
export interface CustomerChat {
  /** Rejects when the channel refuses the message. */
  sendText(reference: unknown, text: string): Promise<void>;
}
