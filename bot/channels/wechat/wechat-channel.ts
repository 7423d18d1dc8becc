// Builds the WeChat channel from configuration: the API client, the adapter (registered with the
// ChannelRouter for proactive messages), the /api/wechat routes and the inbox processor that runs
// each stored message through the bot.
import type { Server } from 'restify';
import type { TurnContext } from 'botbuilder';
import type { AppConfig } from '../../../services/config';
import type { Database } from '../../../services/db/client';
import type { Redis } from '../../../services/redis';
import type { Logger } from '../../../services/logger';
import { linkFollowerToComplainant, recordInboundMessage, type PendingMessage } from '../../../services/channels/wechat/wechat-inbox';
import { InboxProcessor, type Follower } from '../../../services/channels/wechat/inbox-processor';
import { WechatAdapter } from './wechat-adapter';
import { WechatApi } from './wechat-api';
import { registerWechatRoutes } from './wechat-routes';

/** The answer to images, voice, video, locations, links and files: the dialogs read text. */
export const TEXT_ONLY_REPLY = '抱歉，这里暂时只能处理文字消息，请直接输入文字。\nSorry, I can only read text here: please type your message.';

export interface WechatChannel {
  adapter: WechatAdapter;
  api: WechatApi;
  inbox: InboxProcessor;
  registerRoutes(server: Server): void;
  close(): Promise<void>;
}

export function createWechatChannel(deps: {
  config: NonNullable<AppConfig['wechat']>;
  db: Database;
  redis: Redis;
  log: Logger;
  bot: { run(context: TurnContext): Promise<void> };
  /** PII_HASH_KEY: followers are found by a keyed hash of their openid. */
  piiHashKey: string;
  sweepIntervalMs?: number;
}): WechatChannel {
  const { config, db, redis, log, bot, piiHashKey } = deps;
  const api = new WechatApi({ apiBase: config.apiBase, appId: config.appId, appSecret: config.appSecret, redis, log });
  const adapter = new WechatAdapter({ api, db, log, appId: config.appId });

  const handle = async (message: PendingMessage, follower: Follower) => {
    const base = {
      ...adapter.conversationOf(follower.wechatUserId),
      id: `wechat-${message.id}`,
      timestamp: message.sentAt,
      locale: 'zh-CN',
    };
    if (message.msgType === 'text') {
      await adapter.processInbound({ ...base, type: 'message', text: message.content ?? '', textFormat: 'plain' }, follower.openId, (c) => bot.run(c));
      await linkFollowerToComplainant({ db, wechatUserId: follower.wechatUserId });
    } else if (message.msgType === 'event') {
      // Following the account opens the conversation: the bot greets with the menu. Other events
      // (unfollowing, menu clicks, location reports) need no answer.
      if (message.event === 'subscribe') {
        await adapter.processInbound({ ...base, type: 'conversationUpdate', membersAdded: [{ id: follower.wechatUserId, name: '' }] }, follower.openId, (c) => bot.run(c));
      }
    } else {
      await api.sendText(follower.openId, TEXT_ONLY_REPLY);
    }
  };

  const inbox = new InboxProcessor({ db, log, appId: config.appId, handle, sweepIntervalMs: deps.sweepIntervalMs });
  inbox.start();

  return {
    adapter, api, inbox,
    registerRoutes(server) {
      registerWechatRoutes(server, {
        token: config.token, appId: config.appId, encodingAesKey: config.encodingAesKey, log,
        accept: async (message) => {
          const { wechatUserId, duplicate } = await recordInboundMessage({ db, message, now: new Date(), hashKey: piiHashKey });
          if (duplicate) log.info({ channelId: 'wechat', wechatUserId }, 'wechat: a retried message, already stored');
          inbox.kick(wechatUserId);
        },
      });
    },
    close: () => inbox.close(),
  };
}
