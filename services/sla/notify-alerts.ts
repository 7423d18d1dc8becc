// Hands new alerts to delivery after their transaction has committed. A failing notifier is logged,
// never rethrown: the alert row exists, and redoing the step would not raise it again.
import type { Logger } from '../logger';

/** Delivery's entry point (services/alerts/delivery); the SLA clock only names the alert. */
export type NotifyAlert = (alertId: string) => Promise<void> | void;

export function logOnlyNotifier(log: Logger): NotifyAlert {
  return (alertId) => log.info({ alertId }, 'alert raised (no delivery configured)');
}

export async function notifyAlerts(alertIds: readonly string[], notify: NotifyAlert, log: Logger): Promise<void> {
  for (const alertId of alertIds) {
    try {
      await notify(alertId);
    } catch (err) {
      log.error({ alertId, errName: (err as Error)?.name, errMessage: (err as Error)?.message }, 'alert notification failed');
    }
  }
}
