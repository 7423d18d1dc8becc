// The self-hosted Direct Line channel, assembled: the activity log, the adapter the bot runs on, the
// turn runner, HTTP routes, WebSocket streams and the /chat page. bot/app.ts registers the adapter
// with the channel router under DIRECTLINE_CHANNEL_ID, so proactive messages reach these chats too.
import type { TurnLock } from '../../../services/turn-lock/turn-lock';
import type { Server } from 'restify';
import type { TurnContext } from 'botbuilder';
import type { AppConfig } from '../../../services/config';
import type { Database } from '../../../services/db/client';
import type { Redis } from '../../../services/redis';
import type { Logger } from '../../../services/logger';
import { ActivityLog } from './activity-log';
import { DirectLineAdapter } from './directline-adapter';
import { TurnRunner } from './turn-runner';
import { registerDirectLineRoutes } from './routes';
import { StreamHub } from './stream-hub';
import { registerChatPage } from './chat-page';
import { ConversationRetention } from './retention';

export { DIRECTLINE_CHANNEL_ID } from './incoming-activity';

export interface DirectLineChannel {
  adapter: DirectLineAdapter;
  registerRoutes(server: Server): void;
  /** Closes the streams and waits for the turns running on this instance. */
  close(): Promise<void>;
}

export function createDirectLine(deps: {
  config: AppConfig; db: Database; redis: Redis; log: Logger; clock: () => Date;
  bot: { run(context: TurnContext): Promise<void> };
  /** Runs the turns while Redis is unreachable (services/turn-lock). */
  turnLock?: TurnLock;
}): DirectLineChannel {
  const { config, db, redis, log, clock } = deps;
  const activityLog = new ActivityLog({ db, redis, log });
  const adapter = new DirectLineAdapter(activityLog, log, clock);
  const turns = new TurnRunner({ activityLog, adapter, redis, log, bot: deps.bot, turnLock: deps.turnLock });
  const retention = new ConversationRetention({ activityLog, redis, log, retentionDays: config.directLine.retentionDays, clock });
  const streams = new StreamHub({ activityLog, redis, log, tokenSecret: config.directLine.tokenSecret, clock });
  return {
    adapter,
    registerRoutes(server) {
      registerDirectLineRoutes(server, {
        config: config.directLine, activityLog, turns, retention, redis, log, clock, serviceUrl: `${config.publicBaseUrl}/v3/directline`,
      });
      registerChatPage(server, config.directLine.allowedOrigins);
      streams.attach(server.server);
    },
    async close() {
      await streams.close();
      await turns.idle();
    },
  };
}
