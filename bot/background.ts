// What runs beside the HTTP server: the SLA clock (BullMQ timers and the escalation ladder) and
// alert delivery (chat, e-mail, webhook). Built by createApp, started by `npm start`.
import type { AppConfig } from '../services/config';
import { type Database } from '../services/db/client';
import { pooledSql } from '../services/db/sql';
import type { Logger } from '../services/logger';
import type { ComplaintPolicy } from '../services/policy/policy';
import type { BusinessCalendar } from '../services/calendar/business-calendar';
import { createAlertTransports } from '../services/alerts/delivery/create-alert-transports';
import { deliverAlert } from '../services/alerts/delivery/deliver-alert';
import { notifyAlerts } from '../services/sla/notify-alerts';
import { startSlaRuntime, type SlaRuntime } from '../services/sla/sla-runtime';
import { safeErrorFields } from '../services/safe-error';
import { ProactiveAlertSender } from './proactive-alert-sender';
import type { ChannelRouter } from './channel-router';
import type { SurveyRuntime } from '../services/survey/survey-runtime';
import { startConfiguredSurveyRuntime, type SurveyRuntimeOverrides } from './survey-runtime-wiring';

export interface Background {
  /** Starts the SLA runtime per SLA_MODE (no-op when off). */
  start(): Promise<void>;
  /** After a complaint is filed or its deadlines change: timers, and delivery of its open alerts. */
  complaintChanged(complaintId: string): void;
  /** After a complaint is filed: as complaintChanged, its timers added without looking for earlier ones. */
  complaintFiled(complaintId: string): void;
  readonly sla: SlaRuntime | null;
  /** The satisfaction survey's jobs (started with the SLA clock, or by a test through startSurveys). */
  readonly surveys: SurveyRuntime | null;
  startSurveys(overrides?: SurveyRuntimeOverrides): Promise<SurveyRuntime>;
  /** After feedback created a survey row: its send/remind/expire jobs. */
  surveyScheduled(surveyId: string): void;
  /** Delivers one alert by every path its recipient enabled. */
  notify(alertId: string): Promise<void>;
  close(): Promise<void>;
}

/** Delivers an alert by every path its recipient enabled (chat through the channel router, e-mail, webhook). */
export function createAlertNotifier({ config, db, log, channels, clock }: { config: AppConfig; db: Database; log: Logger; channels: ChannelRouter; clock: () => Date }): {
  notify: (alertId: string) => Promise<void>;
  close(): void;
} {
  const delivery = createAlertTransports(config, { chatSender: new ProactiveAlertSender(channels), log });
  return {
    notify: async (alertId) => {
      await deliverAlert({ db, alertId, transports: delivery.transports, ackLinks: delivery.ackLinks, now: clock(), leaseMs: config.alertDelivery.leaseMs });
    },
    close: () => delivery.close(),
  };
}

export function createBackground(deps: {
  config: AppConfig; db: Database; log: Logger; policy: ComplaintPolicy; calendar: BusinessCalendar; channels: ChannelRouter; clock: () => Date;
  queueName?: string;
}): Background {
  const { config, db, log, clock } = deps;
  const delivery = createAlertNotifier({ config, db, log, channels: deps.channels, clock });
  const notify = delivery.notify;
  let sla: SlaRuntime | null = null;
  let surveys: SurveyRuntime | null = null;

  // Alerts raised in the filing transaction that nothing has delivered yet.
  const deliverOpenAlerts = async (complaintId: string) => {
    // Plain SQL on the client's pool: this runs after every filing (services/db/sql.ts).
    const { rows } = await pooledSql(db).query<{ id: string }>(
      `SELECT a.id::text AS id FROM alert a
        WHERE a.complaint_id = $1::uuid AND a.status = 'open' AND NOT EXISTS (SELECT 1 FROM alert_delivery d WHERE d.alert_id = a.id)
        ORDER BY a.created_at, a.id`,
      [complaintId],
    );
    await notifyAlerts(rows.map((a) => a.id), notify, log);
  };

  const afterChange = (complaintId: string, fresh: boolean) => {
    void (async () => {
      await sla?.scheduleComplaint(complaintId, { fresh });
      await deliverOpenAlerts(complaintId);
    })().catch((err: unknown) => log.error({ complaintId, ...safeErrorFields(err) }, 'after-filing work failed; the reconciler will catch up'));
  };

  return {
    get sla() {
      return sla;
    },
    get surveys() {
      return surveys;
    },
    notify,
    async start() {
      if (config.slaMode === 'off') return;
      sla = await startSlaRuntime({
        db, redis: { url: config.redisUrl }, policy: deps.policy, calendar: deps.calendar, log, notify, clock,
        runWorkers: config.slaMode === 'in-process', queueName: deps.queueName,
      });
      await this.startSurveys();
    },
    async startSurveys(overrides) {
      surveys ??= await startConfiguredSurveyRuntime({
        config, db, log, channels: deps.channels, clock, overrides,
        afterComplaintChanged: (complaintId) => void sla?.scheduleComplaint(complaintId),
      });
      return surveys;
    },
    surveyScheduled(surveyId) {
      void surveys?.surveyScheduled(surveyId);
    },
    complaintChanged(complaintId) {
      afterChange(complaintId, false);
    },
    complaintFiled(complaintId) {
      afterChange(complaintId, true);
    },
    async close() {
      await surveys?.close();
      await sla?.close();
      delivery.close();
    },
  };
}
