// The composition root: builds the whole bot from configuration. Tests build it the same way,
// overriding only what lives outside (or the clock).
import type { Server } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { AppConfig } from '../services/config';
import { createDatabase, type Database } from '../services/db/client';
import { createRedis, type Redis } from '../services/redis';
import { createLogger, type Logger } from '../services/logger';
import type { ComplaintPolicy } from '../services/policy/policy';
import { loadPolicy } from '../services/policy/load-policy';
import { useDimensionLabels } from '../services/reports/report-labels';
import type { BusinessCalendar } from '../services/calendar/business-calendar';
import { calendarForPolicy } from '../services/startup-checks';
import { createComplaintDesk } from '../services/complaint-desk';
import { createTextAnalyzer } from '../services/text-analysis/create-analyzer';
import type { TextAnalyzer } from '../services/text-analysis/text-analysis';
import { checkDependencies } from '../services/health';
import { MainDialog } from '../dialogs/main-dialog';
import { PRIVACY_NOTICE_VERSION } from '../dialogs/intake-dialog';
import { createAdapter } from './adapter';
import { ComplaintBot } from './complaint-bot';
import { OptimisticConversationState } from './optimistic-conversation-state';
import { PostgresStorage } from './postgres-storage';
import { clientKeyring } from '../services/pii/encrypting-client';
import { createServer } from './server';
import { registerStaffRoutes } from './staff-routes';
import { registerAlertAckRoutes } from './alert-ack-routes';
import { registerStaffContactRoutes } from './staff-contact-routes';
import { channelCustomerChat, registerCaseRoutes } from './case-routes';
import { createBackground, type Background } from './background';
import { BotFrameworkCustomerNotifier } from './customer-notifier';
import { createStaffChatCommands } from './staff-chat-commands';
import { ChannelRouter } from './channel-router';
import { ConversationBus } from '../services/takeover/conversation-bus';
import { TranscriptFeed } from '../services/takeover/transcript-feed';
import { linkFilingsToConversation } from '../services/takeover/link-filings';
import { TranscribingChannelRouter, TranscriptRecorder } from './takeover/transcript-recorder';
import { ConversationTakeover } from './takeover/conversation-takeover';
import { CustomerNotices } from './takeover/customer-notices';
import { LiveStreams } from './takeover/live-stream';
import { registerTakeoverRoutes } from './takeover/takeover-routes';
import { createDirectLine, DIRECTLINE_CHANNEL_ID } from './channels/directline';
import { createWechatChannel } from './channels/wechat/wechat-channel';
import { createFileStore, type FileStore } from '../services/files/file-store';
import { createEmailChannel, type EmailChannel } from './channels/email/email-channel';
import { registerConsole } from './console/register-console';
import { registerReportRoutes } from './report-routes';
import { registerKpiRoutes } from './kpi-routes';
import { registerComplainantExportRoutes } from './complainant-export-routes';
import { registerHandlingComplaintRoutes } from './handling-complaint-routes';
import { registerClassificationRoutes } from './classification-routes';
import { reportSettingsFrom } from '../services/reports/produce-report';
import { startConfiguredReportRuntime, type ReportRuntime } from '../services/reports/monthly-report-job';
import { createSurveyService } from '../services/survey/survey-service';
import { SurveyTurn } from './survey-turn';
import { registerSurveyRoutes } from './survey-routes';
import { surveySettingsFrom } from './survey-runtime-wiring';
import { PostgresTurnLock } from '../services/turn-lock/turn-lock';

export interface AppOverrides {
  db?: Database;
  redis?: Redis;
  log?: Logger;
  policy?: ComplaintPolicy;
  calendar?: BusinessCalendar;
  analyzer?: TextAnalyzer;
  clock?: () => Date;
  /** The BullMQ queue of the SLA clock (tests use their own). */
  slaQueueName?: string;
}

export interface App {
  server: Server;
  adapter: CloudAdapter;
  /** Proactive messages into any stored conversation, through the adapter of its channel. */
  channels: ChannelRouter;
  /** The shared file store (FILE_STORE_DIR and its limits): e-mail attachments, console evidence. */
  files: FileStore;
  /** E-mail intake (EMAIL_INTAKE_PORT): the SMTP listener and acknowledgements; null when off. Started by listen(). */
  email: EmailChannel | null;
  db: Database;
  redis: Redis;
  log: Logger;
  /** The SLA clock and alert delivery (per SLA_MODE); started by `startBackground()`. */
  background: Background;
  startBackground(): Promise<void>;
  /** Listens on config.port (0 = any free port); resolves with the bound URL. */
  listen(): Promise<string>;
  /** Stops taking requests, lets running turns finish, then closes connections. */
  close(): Promise<void>;
}

export function createApp(config: AppConfig, overrides: AppOverrides = {}): App {
  const log = overrides.log ?? createLogger({ level: config.logLevel });
  const db = overrides.db ?? createDatabase({ databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize, pii: config.pii.keyring });
  const redis = overrides.redis ?? createRedis(config.redisUrl, { lazyConnect: false });
  // ioredis reconnects by itself; without a listener every failed attempt prints a stack to stderr.
  let redisWarnedAt = 0;
  redis.on('error', (err: Error & { code?: string }) => {
    if (Date.now() - redisWarnedAt < 10_000) return;
    redisWarnedAt = Date.now();
    log.warn({ errName: err.name, errCode: err.code }, 'Redis unreachable: chat goes on; timers, live streams and rate limits catch up when it returns');
  });
  const policy = overrides.policy ?? loadPolicy(config.policyFile);
  useDimensionLabels(policy);
  const calendar = overrides.calendar ?? calendarForPolicy(policy, log);
  const analyzer = overrides.analyzer ?? createTextAnalyzer(config, log);
  const clock = overrides.clock ?? (() => new Date());
  const adapter = createAdapter(config, log);
  // Every message of every conversation goes into the transcript (bot/takeover/transcript-recorder.ts);
  // the bus tells the other instances' live streams that a conversation has new messages.
  const bus = new ConversationBus(redis);
  const feed = new TranscriptFeed(db, bus, (err) => log.warn({ errName: (err as Error)?.name }, 'transcript notification not published'));
  const recorder = new TranscriptRecorder(feed, log, clock);
  const channels: ChannelRouter = new TranscribingChannelRouter(adapter, config.bot.appId ?? '', recorder);
  const files = createFileStore(config.files);
  const background = createBackground({ config, db, log, policy, calendar, channels, clock, queueName: overrides.slaQueueName });
  const desk = createComplaintDesk({
    db, policy, calendar, analyzer, piiHashKey: config.piiHashKey, clock: overrides.clock,
    afterFiled: (complaintId) => background.complaintFiled(complaintId),
  });
  const conversationState = new OptimisticConversationState(new PostgresStorage(db));
  const takeover = new ConversationTakeover({ db, recorder, calendar, timeZone: policy.timeZone, minutesPerWaitingCustomer: config.takeover.minutesPerWaitingCustomer, clock });
  // One turn at a time per conversation across all instances (docs/decisions.md: the turn lock).
  const turnLock = new PostgresTurnLock({
    databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize,
    onWarning: (message, fields) => log.warn(fields, message),
  });
  const bot = new ComplaintBot(conversationState, new MainDialog(linkFilingsToConversation(desk, db), log), createStaffChatCommands({ db, clock, redis }), takeover, turnLock, {
    keyring: clientKeyring(db),
    stateKeyOf: (context) => conversationState.getStorageKey(context),
    onTranscriptCommitted: (conversation, lastId) => bus.publish(conversation, lastId).catch((err) => log.warn({ errName: (err as Error)?.name }, 'transcript notification not published')),
  });
  // R-SURVEY: answers in chat (before the dialogs), on the survey page and by agents; reopenings alert
  // through the SLA clock's notifier and reschedule its timers.
  const surveys = createSurveyService({
    db, policy, calendar, clock, notify: (alertId) => background.notify(alertId),
    afterComplaintChanged: (complaintId) => background.complaintChanged(complaintId),
    onError: (err, what) => log.warn({ errName: (err as Error)?.name }, `survey: ${what} failed`),
  });
  bot.attachSurveys(new SurveyTurn(conversationState, surveys, { timeZone: policy.timeZone, reviewWindowDays: policy.review.windowDays, clock }));
  const liveStreams = new LiveStreams(db, bus, log);
  // The self-hosted Direct Line (/v3/directline, the /chat page, the company's app): proactive messages reach those chats too.
  const directLine = createDirectLine({ config, db, redis, log, clock, bot, turnLock });
  channels.register(DIRECTLINE_CHANNEL_ID, directLine.adapter);
  // WeChat Official Account: /api/wechat, and proactive messages into WeChat conversations.
  const wechat = config.wechat ? createWechatChannel({ config: config.wechat, db, redis, log, bot, piiHashKey: config.piiHashKey }) : undefined;
  if (wechat) channels.register('wechat', wechat.adapter);
  // E-mail intake: the gateway forwards complaint e-mails to an SMTP listener; filed like any complaint.
  const email = config.emailIntake
    ? createEmailChannel({
        settings: config.emailIntake, files: config.files, piiHashKey: config.piiHashKey, db, log, policy, calendar, analyzer, clock,
        afterFiled: (complaintId) => background.complaintFiled(complaintId),
      })
    : null;
  let reports: ReportRuntime | null = null;
  const server = createServer({
    adapter, bot, log, maxBodyBytes: config.maxBodyBytes,
    readiness: () => checkDependencies(db, redis),
    messageLimits: { redis, ...config.messageLimits, trustedProxyHops: config.directLine.trustedProxyHops, authenticated: Boolean(config.bot.appId) },
    registerRoutes: (s) => {
      directLine.registerRoutes(s);
      wechat?.registerRoutes(s);
      registerStaffRoutes(s, {
        db, log, staffTokenSecret: config.staffTokenSecret, clock, policy, calendar,
        afterDeadlinesChanged: (complaintId) => background.complaintChanged(complaintId),
        customerNotifier: new BotFrameworkCustomerNotifier(channels),
      });
      registerAlertAckRoutes(s, { db, log, secret: config.staffTokenSecret, clock });
      registerStaffContactRoutes(s, { db, log, staffTokenSecret: config.staffTokenSecret, clock, redis });
      registerCaseRoutes(s, {
        db, log, staffTokenSecret: config.staffTokenSecret, clock, policy, files, chat: channelCustomerChat(channels),
        afterDeadlinesChanged: (complaintId) => background.complaintChanged(complaintId),
        survey: { settings: surveySettingsFrom(config), scheduled: (surveyId) => background.surveyScheduled(surveyId) },
      });
      registerSurveyRoutes(s, { db, log, staffTokenSecret: config.staffTokenSecret, clock, redis, surveys });
      registerReportRoutes(s, { db, log, staffTokenSecret: config.staffTokenSecret, clock, settings: reportSettingsFrom(config) });
      registerKpiRoutes(s, { db, log, staffTokenSecret: config.staffTokenSecret, clock });
      registerComplainantExportRoutes(s, { db, log, staffTokenSecret: config.staffTokenSecret, clock, piiHashKey: config.piiHashKey });
      registerHandlingComplaintRoutes(s, {
        db, log, staffTokenSecret: config.staffTokenSecret, clock, policy, calendar, analyzer, piiHashKey: config.piiHashKey,
        afterFiled: (complaintId) => background.complaintFiled(complaintId),
      });
      registerClassificationRoutes(s, { db, log, staffTokenSecret: config.staffTokenSecret, clock, policy });
      registerTakeoverRoutes(s, { db, log, staffTokenSecret: config.staffTokenSecret, clock, feed, notices: new CustomerNotices(channels, bot), streams: liveStreams });
      registerConsole(s, {
        db, log, staffTokenSecret: config.staffTokenSecret, clock,
        signIn: {
          idleSeconds: config.console.sessionIdleSeconds, maxSeconds: config.console.sessionMaxSeconds,
          maxFailedSignIns: config.console.maxFailedSignIns, lockoutSeconds: config.console.lockoutSeconds,
        },
        cookies: { cookieSecure: config.console.cookieSecure, publicBaseUrl: config.publicBaseUrl },
        intake: {
          policy, calendar, analyzer, piiHashKey: config.piiHashKey, privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
          afterFiled: (complaintId) => background.complaintFiled(complaintId),
        },
      });
    },
  });

  return {
    server, adapter, channels, files, email, db, redis, log, background,
    startBackground: async () => {
      await background.start();
      // The monthly report's job scheduler follows SLA_MODE: a worker in process, schedule only, or off.
      if (config.slaMode !== 'off' && !reports) {
        reports = await startConfiguredReportRuntime({ config, db, calendar, log, clock, runWorker: config.slaMode === 'in-process' });
      }
    },
    listen: async () => {
      const url = await new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server.address();
          resolve(`http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`);
        });
      });
      await email?.listen();
      return url;
    },
    close: async () => {
      liveStreams.closeAll();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), directLine.close()]);
      await background.close();
      await reports?.close();
      await bus.close();
      await wechat?.close();
      await email?.close();
      (analyzer as { shutdown?: () => void }).shutdown?.();
      await Promise.allSettled([db.$disconnect(), redis.quit(), turnLock.close()]);
    },
  };
}
