// The e-mail channel as the app runs it: the SMTP listener, the intake use case behind it, the
// acknowledgement mailer, and a sweep that retries acknowledgements the relay did not take (every
// minute; rows are claimed in PostgreSQL, so any number of instances can run it).
import type { AppConfig } from '../../../services/config';
import type { Database } from '../../../services/db/client';
import type { Logger } from '../../../services/logger';
import type { ComplaintPolicy } from '../../../services/policy/policy';
import type { BusinessCalendar } from '../../../services/calendar/business-calendar';
import type { TextAnalyzer } from '../../../services/text-analysis/text-analysis';
import { safeErrorFields } from '../../../services/safe-error';
import { receiveEmail } from '../../../services/email-intake/receive-email';
import {
  createAcknowledgementMailer, sendAcknowledgement, sendDueAcknowledgements, type AcknowledgementDeps, type AcknowledgementMailer,
} from '../../../services/email-intake/acknowledgement-sender';
import { createSmtpListener, type SmtpListener } from './smtp-listener';

export interface EmailChannel {
  listener: SmtpListener;
  /** Starts listening (and the retry sweep); resolves with the bound port. */
  listen(): Promise<number>;
  /** Retries the acknowledgements that are due now (the sweep calls it every minute). */
  retryAcknowledgements(): Promise<void>;
  close(): Promise<void>;
}

export interface EmailChannelDeps {
  settings: NonNullable<AppConfig['emailIntake']>;
  files: AppConfig['files'];
  piiHashKey: string;
  db: Database;
  log: Logger;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  analyzer: TextAnalyzer;
  clock: () => Date;
  /** The chat path's hook after a filing commits: timers and alerts (background.complaintChanged). */
  afterFiled: (complaintId: string) => void;
  /** Tests pass their own; default nodemailer over SMTP_URL. */
  mailer?: AcknowledgementMailer;
  sweepIntervalMs?: number;
}

export function createEmailChannel(deps: EmailChannelDeps): EmailChannel {
  const { settings, db, log, clock } = deps;
  const mailer = deps.mailer ?? createAcknowledgementMailer({ smtpUrl: settings.smtpUrl, from: settings.ackFrom });
  const ackDeps: AcknowledgementDeps = { db, mailer, timeZone: deps.policy.timeZone, now: clock };
  const intakeDeps = {
    db, policy: deps.policy, calendar: deps.calendar, analyzer: deps.analyzer, piiHashKey: deps.piiHashKey, files: deps.files,
    messageIdDomain: domainOf(settings.ackFrom), clock,
  };
  let sweep: NodeJS.Timeout | undefined;
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const retryAcknowledgements = async () => {
    const counts = await sendDueAcknowledgements(ackDeps);
    if (counts.sent + counts.failed + counts.retry_later > 0) log.info({ channel: 'email', ...counts }, 'acknowledgement retries');
  };

  const listener = createSmtpListener({
    host: settings.host, port: settings.port, recipients: settings.recipients, maxBytes: settings.maxBytes, allowedClients: settings.allowedClients, log,
    receive: (raw, envelope) => receiveEmail(intakeDeps, raw, envelope),
    afterAccepted: (outcome) => {
      if (outcome.kind === 'filed') {
        deps.afterFiled(outcome.complaintId);
        track(
          sendAcknowledgement(ackDeps, outcome.acknowledgementId)
            .then((result) => log.info({ channel: 'email', complaintNumber: outcome.number, result }, 'acknowledgement e-mail'))
            .catch((err: unknown) => log.error({ channel: 'email', complaintNumber: outcome.number, ...safeErrorFields(err) }, 'acknowledgement e-mail failed; the sweep retries it')),
        );
      }
      if (outcome.kind === 'duplicate') track(retryAcknowledgements().catch(() => {}));
    },
  });

  return {
    listener,
    retryAcknowledgements,
    async listen() {
      const port = await listener.listen();
      sweep = setInterval(() => track(retryAcknowledgements().catch((err: unknown) => log.warn({ channel: 'email', ...safeErrorFields(err) }, 'acknowledgement sweep failed'))), deps.sweepIntervalMs ?? 60_000);
      sweep.unref();
      log.info({ channel: 'email', port, host: settings.host }, 'e-mail intake is listening');
      return port;
    },
    async close() {
      if (sweep) clearInterval(sweep);
      await listener.close();
      await Promise.allSettled([...pending]);
      mailer.close();
    },
  };
}

/** "客户投诉 <complaints@example.com>" → "example.com". */
export function domainOf(from: string): string {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  return address.split('@').pop()!.trim().toLowerCase();
}
