// The Bot Framework adapter. With MicrosoftAppId empty it accepts anonymous activities (local
// development, the terminal chat, tests); with it set, every activity must carry a valid JWT.
import { type Activity, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type { Logger } from '../services/logger';
import type { AppConfig } from '../services/config';
import { localeForFailedTurn } from '../dialogs/i18n/locale';
import { messagesFor } from '../dialogs/i18n/messages';
import { newReferenceId } from '../services/reference-id';
import { safeErrorFields } from '../services/safe-error';

export function createAdapter(config: AppConfig, log: Logger): CloudAdapter {
  const auth = new TokenRefusingAuthentication({
    MicrosoftAppId: config.bot.appId ?? '',
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
    ...(config.bot.openIdMetadataUrl ? publicCloudWithMetadata(config.bot.openIdMetadataUrl) : {}),
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

/**
 * The public cloud's settings with another OpenID metadata document for the channel's token signing
 * keys (BOT_OPENID_METADATA_URL: a gateway that re-signs, or a local stand-in in tests). Setting one
 * of these makes the SDK expect all of them.
 */
function publicCloudWithMetadata(openIdMetadataUrl: string): Record<string, string> {
  return {
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * The SDK answers 500 when jsonwebtoken rejects a token (a wrong signature, alg "none", not yet valid):
 * those are refusals of the caller, so they become AuthenticationErrors, which the adapter answers 401.
 */
class TokenRefusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'JsonWebTokenError' || name === 'NotBeforeError' || name === 'TokenExpiredError') {
        throw new AuthenticationError(`token refused: ${(err as Error).message}`, 401);
      }
      throw err;
    }
  }
}
