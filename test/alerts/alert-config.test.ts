// Configuration of alert delivery (services/config.ts).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../services/config';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.join('\n');
  }
  return '';
}

describe('alert delivery configuration', () => {
  it('has e-mail off and working defaults when nothing is set', () => {
    const config = loadConfig({ PORT: '4000' });
    expect(config.publicBaseUrl).toBe('http://localhost:4000');
    expect(config.alertDelivery).toEqual({ mail: undefined, ackLinkTtlSeconds: 72 * 3600, webhook: { timeoutMs: 5000, attempts: 3, backoffMs: 1000 }, leaseMs: 120_000 });
  });

  it('reads SMTP, the sender, the public URL and the webhook settings', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://alerts:pw@smtp.example.com:465', ALERT_MAIL_FROM: '投诉预警 <alerts@example.com>', PUBLIC_BASE_URL: 'https://complaints.example.com/',
      ALERT_ACK_LINK_TTL_HOURS: '24', ALERT_WEBHOOK_TIMEOUT_MS: '2000', ALERT_WEBHOOK_ATTEMPTS: '5', ALERT_WEBHOOK_BACKOFF_MS: '200', ALERT_DELIVERY_LEASE_SECONDS: '30',
    });
    expect(config.publicBaseUrl).toBe('https://complaints.example.com');
    expect(config.alertDelivery).toEqual({
      mail: { smtpUrl: 'smtps://alerts:pw@smtp.example.com:465', from: '投诉预警 <alerts@example.com>' },
      ackLinkTtlSeconds: 24 * 3600,
      webhook: { timeoutMs: 2000, attempts: 5, backoffMs: 200 },
      leaseMs: 30_000,
    });
  });

  it('lists every alert problem at once, without printing the SMTP password', () => {
    const problems = problemsOf({
      NODE_ENV: 'production', PII_HASH_KEY: 'x'.repeat(32), STAFF_TOKEN_SECRET: 'y'.repeat(32),
      SMTP_URL: 'http://alerts:hunter2@smtp.example.com', ALERT_WEBHOOK_ATTEMPTS: '0', ALERT_WEBHOOK_TIMEOUT_MS: 'soon',
    });
    for (const name of ['SMTP_URL', 'ALERT_MAIL_FROM: required when SMTP_URL is set', 'PUBLIC_BASE_URL: required in production', 'ALERT_WEBHOOK_ATTEMPTS', 'ALERT_WEBHOOK_TIMEOUT_MS']) {
      expect(problems).toContain(name);
    }
    expect(problems).not.toContain('hunter2');
    expect(problemsOf({ SMTP_URL: 'smtp://smtp.example.com', ALERT_MAIL_FROM: 'not an address' })).toContain('ALERT_MAIL_FROM');
  });
});
