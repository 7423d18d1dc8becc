// The Bot Framework adapter. With MicrosoftAppId empty it accepts anonymous activities (local
// development, the terminal chat, tests); with it set, every activity must carry a valid JWT.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Logger } from '../services/logger';
import type { AppConfig } from '../services/config';
import { localeForFailedTurn } from '../dialogs/i18n/locale';
import { messagesFor } from '../dialogs/i18n/messages';
import { newReferenceId } from '../services/reference-id';
import { safeErrorFields } from '../services/safe-error';

export function createAdapter(config: AppConfig, log: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.bot.appId ?? '',
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const ref = newReferenceId();
    log.error(
      { ref, ...safeErrorFields(error), conversationId: context.activity.conversation?.id, channelId: context.activity.channelId, activityType: context.activity.type },
      'turn failed',
    );
    try {
      await context.sendActivity(messagesFor(localeForFailedTurn(context)).turnError(ref));
    } catch (sendError) {
      log.warn({ ref, ...safeErrorFields(sendError) }, 'could not send the apology');
    }
  };
  return adapter;
}
