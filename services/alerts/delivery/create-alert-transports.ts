// The alert paths this process can use, built from configuration. E-mail is off without SMTP_URL
// (and says so in the log); chat needs the bot's proactive sender, which only bot/ can build.
import type { AppConfig } from '../../config';
import type { Logger } from '../../logger';
import type { AckLinkSettings } from './ack-link';
import { createChatTransport, type ChatAlertSender } from './chat-transport';
import { createEmailTransport } from './email-transport';
import type { AlertTransports } from './transport';
import { createWebhookTransport } from './webhook-transport';

export interface AlertDeliverySetup {
  transports: AlertTransports;
  ackLinks: AckLinkSettings;
  /** Closes the SMTP connections. */
  close(): void;
}

export function createAlertTransports(config: AppConfig, { chatSender, log }: { chatSender?: ChatAlertSender; log?: Logger } = {}): AlertDeliverySetup {
  const { mail, webhook, ackLinkTtlSeconds } = config.alertDelivery;
  const email = mail ? createEmailTransport({ smtpUrl: mail.smtpUrl, from: mail.from }) : undefined;
  if (!email) log?.warn({ path: 'email' }, 'e-mail alert delivery is disabled: SMTP_URL is not set');
  if (!chatSender) log?.warn({ path: 'chat' }, 'chat alert delivery is disabled: no proactive sender');
  return {
    transports: {
      ...(email ? { email } : {}),
      webhook: createWebhookTransport(webhook),
      ...(chatSender ? { chat: createChatTransport(chatSender) } : {}),
    },
    ackLinks: { publicBaseUrl: config.publicBaseUrl, secret: config.staffTokenSecret, ttlSeconds: ackLinkTtlSeconds },
    close: () => email?.close(),
  };
}
