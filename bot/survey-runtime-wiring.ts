// Builds the survey runtime (services/survey/survey-runtime.ts) from configuration, for the bot's
// background (SLA_MODE in-process / schedule-only) and for `npm run worker`: the chat sender over the
// channel router, the e-mail sender over the SMTP relay alerts use, the SMS gateway when configured.
import type { AppConfig } from '../services/config';
import type { Database } from '../services/db/client';
import type { Logger } from '../services/logger';
import { createSmsSender, createSurveyMailSender } from '../services/survey/link-senders';
import { DEFAULT_SURVEY_QUEUE, startSurveyRuntime, type SurveyRuntime } from '../services/survey/survey-runtime';
import type { SurveySettings } from '../services/survey/schedule-survey';
import type { ChannelRouter } from './channel-router';
import { surveyChatSender } from './survey-chat-sender';
import type { Redis } from '../services/redis';
import { DIRECTLINE_CHANNEL_ID } from './channels/directline';
import { DirectLineAdapter } from './channels/directline/directline-adapter';
import { ActivityLog } from './channels/directline/activity-log';
import { WechatApi } from './channels/wechat/wechat-api';
import { WECHAT_CHANNEL_ID, WechatAdapter } from './channels/wechat/wechat-adapter';

export interface SurveyRuntimeOverrides {
  queueName?: string;
  reconcileEveryMs?: number;
  runWorker?: boolean;
}

export function surveySettingsFrom(config: AppConfig): SurveySettings {
  return { timeScale: config.survey.timeScale, smsAvailable: config.survey.sms !== undefined };
}

/** The secret the survey links' tokens derive from (rotating it invalidates open links). */
export function surveyLinkSecret(config: AppConfig): string {
  return `${config.staffTokenSecret}:survey-links`;
}

export async function startConfiguredSurveyRuntime({ config, db, log, channels, clock, afterComplaintChanged, overrides = {} }: {
  config: AppConfig; db: Database; log: Logger; channels: ChannelRouter; clock: () => Date;
  afterComplaintChanged?: (complaintId: string) => void; overrides?: SurveyRuntimeOverrides;
}): Promise<SurveyRuntime> {
  const mail = config.alertDelivery.mail ? createSurveyMailSender(config.alertDelivery.mail) : null;
  const runtime = await startSurveyRuntime({
    db, log: log.child({ component: 'survey' }), clock, afterComplaintChanged,
    senders: { chat: surveyChatSender(channels), email: mail?.send, sms: config.survey.sms ? createSmsSender(config.survey.sms) : undefined },
    linkSecret: surveyLinkSecret(config), publicBaseUrl: config.publicBaseUrl,
    redisUrl: config.redisUrl, queueName: overrides.queueName ?? DEFAULT_SURVEY_QUEUE,
    runWorker: overrides.runWorker ?? config.slaMode === 'in-process',
    reconcileEveryMs: overrides.reconcileEveryMs ?? config.survey.reconcileSeconds * 1000,
  });
  return {
    ...runtime,
    queue: runtime.queue,
    worker: runtime.worker,
    close: async () => {
      await runtime.close();
      mail?.close();
    },
  };
}

/**
 * `npm run worker` has no bot, but surveys (and chat alerts) go to customers on our own channels too:
 * the self-hosted Direct Line (proactive messages are written to its activity log, which the web
 * chat's stream on any bot instance picks up) and WeChat (customer-service messages). Registering
 * their adapters lets the worker's channel router reach those conversations; without this they would
 * be sent to the Bot Framework connector and fail.
 */
export function registerWorkerChannels(channels: ChannelRouter, { config, db, redis, log, clock }: {
  config: AppConfig; db: Database; redis: Redis; log: Logger; clock: () => Date;
}): void {
  channels.register(DIRECTLINE_CHANNEL_ID, new DirectLineAdapter(new ActivityLog({ db, redis, log }), log, clock));
  if (config.wechat) {
    const api = new WechatApi({ apiBase: config.wechat.apiBase, appId: config.wechat.appId, appSecret: config.wechat.appSecret, redis, log });
    channels.register(WECHAT_CHANNEL_ID, new WechatAdapter({ api, db, log, appId: config.wechat.appId }));
  }
}
