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
