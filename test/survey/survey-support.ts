// Shared set-up of the survey tests: a private migrated database (the survey reconciler reads every
// survey row, so it must not act on other test files' rows), the real app with the survey windows
// shortened (SURVEY_TIME_SCALE: 24 h → 1 s), the survey runtime on a queue of its own, the local
// channel connector and SMTP stand-in, and the staff API steps from assignment to feedback.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { obliterateQueue, privateDatabase, type PrivateDatabase } from '../sla/sla-support';
import { call, createTeam, tokenFor, type Team } from '../case-handling/case-support';
import { LocalConnector, startApp, type RunningApp } from '../support/e2e';
import { startSmtpStandIn, type SmtpStandIn } from '../support/smtp-stand-in';
import type { SurveyRuntime } from '../../services/survey/survey-runtime';
import type { Database } from '../../services/db/client';

/** 24 h of policy time → 1 s: survey after 1 s, reminder after 2 s, no response after 7 s. */
export const TIME_SCALE = 1 / 86_400;

export interface SurveyBench {
  running: RunningApp;
  connector: LocalConnector;
  smtp: SmtpStandIn;
  db: Database;
  team: Team;
  surveys: SurveyRuntime;
  queueName: string;
  close(): Promise<void>;
}

export async function startSurveyBench(): Promise<SurveyBench> {
  const [privateDb, connector, smtp]: [PrivateDatabase, LocalConnector, SmtpStandIn] = await Promise.all([privateDatabase(), LocalConnector.start(), startSmtpStandIn()]);
  const running = await startApp({
    DATABASE_URL: privateDb.url, SURVEY_TIME_SCALE: String(TIME_SCALE), SMTP_URL: smtp.url, ALERT_MAIL_FROM: 'complaints@example.com',
  });
  const queueName = `survey-test-${randomUUID()}`;
  // SLA_MODE=off in tests: the survey runtime is started here, with a worker, on its own queue.
  const surveys = await running.app.background.startSurveys({ queueName, runWorker: true, reconcileEveryMs: 600_000 });
  const team = await createTeam(privateDb.db);
  return {
    running, connector, smtp, db: privateDb.db, team, surveys, queueName,
    close: async () => {
      await running.app.close();
      await obliterateQueue(queueName);
      await Promise.all([connector.close(), smtp.close()]);
      await privateDb.drop();
    },
  };
}

/** Supervisor assigns `ownerId`, who investigates, records the analysis and gives the feedback. */
export async function handleToFeedback(bench: SurveyBench, number: string, options: { ownerId: string; assign?: boolean; method?: 'chat' | 'email' | 'phone' }): Promise<Record<string, unknown>> {
  const base = bench.running.baseUrl;
  const at = (p: string) => `/api/v1/complaints/${number}${p}`;
  const owner = tokenFor(options.ownerId);
  if (options.assign ?? true) {
    expect((await call(base, 'POST', at('/owner'), bench.team.supervisor.token, { staffId: options.ownerId })).status).toBe(200);
  }
  expect((await call(base, 'POST', at('/investigation'), owner, { investigatorId: options.ownerId, methods: ['document_review'] })).status).toBe(200);
  const analysis = await call(base, 'POST', at('/analysis'), owner, {
    rootCause: 'business_process', rootCauseDetail: '审核环节积压', impactLevel: 'low', impactAssessment: '个案，未造成额外损失',
  });
  expect([200, 409]).toContain(analysis.status);
  const method = options.method ?? 'chat';
  const feedback = await call(base, 'POST', at('/feedback'), owner, {
    method, findings: '经核查，理赔材料齐全，因审核积压导致延误。', decision: '我司将于3个工作日内赔付。',
    ...(method === 'chat' ? {} : { content: '已按客户留下的联系方式告知处理结果。' }),
  });
  expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
  return feedback.body;
}

export function waitUntil<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 8_000): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async () => {
      try {
        const value = await check();
        if (value) return resolve(value);
      } catch (err) {
        return reject(err);
      }
      if (Date.now() - started > timeoutMs) return reject(new Error('timed out waiting'));
      setTimeout(tick, 100);
    };
    void tick();
  });
}

export async function eventTypes(db: Database, complaintId: string, prefix: string): Promise<string[]> {
  const rows = await db.complaintEvent.findMany({ where: { complaintId, type: { startsWith: prefix } }, orderBy: { id: 'asc' }, select: { type: true } });
  return rows.map((r) => r.type);
}
