// The Bot Framework adapter. With MicrosoftAppId empty it accepts anonymous activities (local
// development, the terminal chat, tests); with it set, every activity must carry a valid JWT.
import { type Activity, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import {
  AuthenticationConstants, AuthenticationError, ConnectorFactory, JwtTokenValidation,
  type AuthenticateRequestResult, type ClaimsIdentity, type ConnectorClient, type UserTokenClient,
} from 'botframework-connector';
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

/** At most this many connector clients are kept (one per bot app id, service URL and audience). */
const MAX_CLIENTS = 256;

/**
 * The SDK's factory builds a new ConnectorClient — an HTTP pipeline with its credentials — for every
 * turn (about a tenth of a millisecond of CPU, on every turn, whether or not the turn calls the
 * channel). Clients hold no per-turn state, so one per app id, service URL and audience serves every
 * turn; the oldest is dropped beyond MAX_CLIENTS (a caller can name any service URL).
 */
class ReusingConnectorFactory extends ConnectorFactory {
  constructor(private readonly inner: ConnectorFactory, private readonly appId: string, private readonly clients: Map<string, Promise<ConnectorClient>>) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return reused(this.clients, `${this.appId}|${serviceUrl}|${audience ?? ''}`, () => this.inner.create(serviceUrl, audience));
  }
}

/** The client kept under `key`, made once (a failed one is forgotten); the oldest dropped beyond MAX_CLIENTS. */
function reused<T>(clients: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let client = clients.get(key);
  if (!client) {
    client = make();
    client.catch(() => clients.delete(key));
    if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
    clients.set(key, client);
  }
  return client;
}

/**
 * The SDK answers 500 when jsonwebtoken rejects a token (a wrong signature, alg "none", not yet valid):
 * those are refusals of the caller, so they become AuthenticationErrors, which the adapter answers 401.
 * Connector and user-token clients are reused across turns (ReusingConnectorFactory).
 */
class TokenRefusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  private reusing(factory: ConnectorFactory, claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ReusingConnectorFactory(factory, JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '', this.connectorClients);
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(super.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return reused(this.userTokenClients, JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '', () => super.createUserTokenClient(claimsIdentity));
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      const result = await super.authenticateRequest(activity, authHeader);
      const factory = result.connectorFactory;
      return factory && !(factory instanceof ReusingConnectorFactory) ? { ...result, connectorFactory: this.reusing(factory, result.claimsIdentity) } : result;
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'JsonWebTokenError' || name === 'NotBeforeError' || name === 'TokenExpiredError') {
        throw new AuthenticationError(`token refused: ${(err as Error).message}`, 401);
      }
      throw err;
    }
  }
}
