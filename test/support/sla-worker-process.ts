// A stand-alone SLA worker process for crash tests: exactly what `npm run worker` (bot/worker.ts) runs —
// startSlaRuntime with the alert notifier of bot/background.ts (chat through the channel router,
// e-mail, webhook) — but with the policy's L1 climb shortened to TEST_LADDER_SECONDS and quick
// reconcile/stall/sweep intervals, so a test can kill it with SIGKILL and start another. Prints
// "worker ready" when it takes jobs.
import { loadConfig } from '../../services/config';
import { createDatabase } from '../../services/db/client';
import { createLogger } from '../../services/logger';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { calendarForPolicy } from '../../services/startup-checks';
import { startSlaRuntime } from '../../services/sla/sla-runtime';
import { createAdapter } from '../../bot/adapter';
import { createAlertNotifier } from '../../bot/background';
import { ChannelRouter } from '../../bot/channel-router';

const ladderSeconds = Number(process.env.TEST_LADDER_SECONDS ?? '6');
const config = loadConfig();
const log = createLogger({ level: config.logLevel });
const policy = {
  ...DEFAULT_POLICY,
  alertLadder: { ...DEFAULT_POLICY.alertLadder, l1: { ...DEFAULT_POLICY.alertLadder.l1, leadershipAfterMinutes: ladderSeconds / 60 } },
};
const db = createDatabase({ databaseUrl: config.databaseUrl, poolSize: 5 });
const channels = new ChannelRouter(createAdapter(config, log), '');
const delivery = createAlertNotifier({ config, db, log, channels, clock: () => new Date() });
await startSlaRuntime({
  db, redis: { url: config.redisUrl }, policy, calendar: calendarForPolicy(policy, log), log, notify: delivery.notify,
  queueName: process.env.TEST_SLA_QUEUE, reconcileIntervalMs: 2_000, sweepGraceMs: 1_000,
  worker: { lockDuration: 2_000, stalledInterval: 1_000 },
});
console.log('worker ready');
