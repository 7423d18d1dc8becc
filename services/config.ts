// The one place that reads process.env. Validated once at boot; a bad or missing value stops the
// process with a list of every problem, not a stack trace.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { developmentPiiKeyring, parsePiiKeys, splitKeyList, type PiiKeyring } from './pii/pii-keys';

const DEV_PII_HASH_KEY = 'dev-only-pii-hash-key-change-me-in-production';
const DEV_STAFF_TOKEN_SECRET = 'dev-only-staff-token-secret-change-me-in-production';

/** Evidence customers and staff actually send: scans, photos, office documents, recordings. */
export const DEFAULT_ALLOWED_FILE_TYPES = [
  'application/pdf', 'image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/tiff', 'text/plain',
  'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'audio/mpeg', 'audio/mp4', 'audio/amr', 'audio/wav', 'video/mp4',
];

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalHttpUrl = optionalString
  .refine((v) => v === undefined || isHttpUrl(v), 'must be an http:// or https:// URL')
  .transform((v) => v?.replace(/\/+$/, ''));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .default('postgresql://postgres@127.0.0.1:5432/complaints'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MicrosoftAppTenantId: optionalString,
    BOT_OPENID_METADATA_URL: optionalHttpUrl,
    PII_HASH_KEY: optionalString,
    PII_KEYS: optionalString,
    PII_KEY_CURRENT: optionalString,
    PII_KEY_FILE: optionalString,
    STAFF_TOKEN_SECRET: optionalString,
    SLA_MODE: z.enum(['in-process', 'schedule-only', 'off']).default('in-process'),
    SURVEY_TIME_SCALE: z.coerce.number().positive().max(1).default(1),
    SURVEY_RECONCILE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    SMS_GATEWAY_URL: optionalHttpUrl,
    SMS_GATEWAY_KEY: optionalString,
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
    API_MESSAGES_PER_USER_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
    API_MESSAGES_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(3000),
    SEED_DEMO_DATA: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    MIGRATE_ON_START: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    AZURE_LANGUAGE_ENDPOINT: optionalHttpUrl,
    AZURE_LANGUAGE_KEY: optionalString,
    AZURE_LANGUAGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(1500),
    POLICY_FILE: optionalString,
    PUBLIC_BASE_URL: optionalHttpUrl,
    SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\/[^/\s]+/i.test(v), 'must be an smtp:// or smtps:// URL'),
    ALERT_MAIL_FROM: optionalString.refine((v) => v === undefined || /^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(v), 'must be an e-mail address, optionally as "Name <address>"'),
    ALERT_ACK_LINK_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
    ALERT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    ALERT_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    ALERT_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    ALERT_DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
    TAKEOVER_WAIT_MINUTES_PER_CUSTOMER: z.coerce.number().int().min(1).max(240).default(5),
    CONSOLE_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    CONSOLE_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
    CONSOLE_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    SIGN_IN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    DIRECTLINE_TOKEN_SECRET: optionalString,
    DIRECTLINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(120).max(24 * 3600).default(1800),
    DIRECTLINE_CONVERSATIONS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
    DIRECTLINE_MESSAGES_PER_CONVERSATION_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    DIRECTLINE_MAX_TEXT_CHARS: z.coerce.number().int().min(100).max(100_000).default(4000),
    DIRECTLINE_MAX_ACTIVITY_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024).default(32 * 1024),
    DIRECTLINE_ALLOWED_ORIGINS: z
      .string()
      .default('*')
      .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter((o) => o !== ''))
      .refine((origins) => origins.length > 0 && origins.every((o) => o === '*' || isHttpUrl(o)), 'must be * or a comma-separated list of origins such as https://www.example.com'),
    DIRECTLINE_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    DIRECTLINE_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    WECHAT_TOKEN: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9]{3,32}$/.test(v), 'must be 3–32 letters or digits (the Token of the 公众号 server settings)'),
    WECHAT_APPID: optionalString.refine((v) => v === undefined || /^wx[0-9a-f]{16}$/i.test(v), 'must be the AppID of the 公众号 (wx + 16 hex digits)'),
    WECHAT_APPSECRET: optionalString,
    WECHAT_ENCODING_AES_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9]{43}$/.test(v), 'must be the 43-character EncodingAESKey (letters and digits)'),
    WECHAT_API_BASE: optionalHttpUrl,
    FILE_STORE_DIR: z.string().trim().min(1).default('var/files'),
    FILE_MAX_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(10 * 1024 * 1024),
    FILE_ALLOWED_TYPES: optionalString
      .transform((v) => v ?? DEFAULT_ALLOWED_FILE_TYPES.join(','))
      .transform((v) => v.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))
      .refine((types) => types.length > 0 && types.every((t) => /^[a-z0-9.+-]+\/[a-z0-9.+*-]+$/.test(t)), 'must be a comma-separated list of content types (type/subtype)'),
    REPORT_FONT_FILE: z.string().trim().min(1).default('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
    REPORT_FONT_NAME: optionalString,
    REPORT_MONTHLY_WORKING_DAY: z.coerce.number().int().min(1).max(5).default(3),
    REPORT_RECIPIENTS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((a) => a.trim()).filter((a) => a !== ''))
      .refine((list) => list.every((a) => /^[^\s@<>,]+@[^\s@<>,]+$/.test(a)), 'must be a comma-separated list of e-mail addresses'),
    REPORT_TEXT_SAMPLE: z.coerce.number().int().min(0).max(20_000).default(1000),
    EMAIL_INTAKE_PORT: optionalString.refine((v) => v === undefined || (/^\d{1,5}$/.test(v) && Number(v) <= 65535), 'must be a port number (0 = any free port)'),
    EMAIL_INTAKE_HOST: z.string().trim().min(1).default('127.0.0.1'),
    EMAIL_INTAKE_RECIPIENTS: optionalString.refine(
      (v) => v === undefined || v.split(',').every((r) => /^([^\s@<>,]+@)?@?[a-z0-9.-]+\.[a-z]{2,}$/i.test(r.trim())),
      'must be a comma-separated list of addresses (complaints@example.com) or domains (example.com)',
    ),
    EMAIL_INTAKE_MAX_BYTES: z.coerce.number().int().min(10 * 1024).max(100 * 1024 * 1024).default(25 * 1024 * 1024),
    EMAIL_INTAKE_ALLOWED_CLIENTS: optionalString.refine(
      (v) => v === undefined || v.split(',').every((a) => isIP(a.trim()) !== 0),
      'must be a comma-separated list of IP addresses (the mail gateway)',
    ),
    EMAIL_ACK_FROM: optionalString.refine((v) => v === undefined || /^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(v), 'must be an e-mail address, optionally as "Name <address>"'),
  });

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  logLevel: string;
  bot: { appId?: string; appPassword?: string; appType: string; tenantId?: string; openIdMetadataUrl?: string };
  piiHashKey: string;
  /**
   * Field-level encryption of personal data at rest (services/pii): the keys by id and the current one.
   * `source` says where they came from; 'development' = the built-in key, refused in production.
   */
  pii: { keyring: PiiKeyring; source: 'environment' | 'file' | 'development' };
  staffTokenSecret: string;
  /** in-process: the bot runs the SLA timers' workers; schedule-only: `npm run worker` does; off: no timers. */
  slaMode: 'in-process' | 'schedule-only' | 'off';
  /** Satisfaction survey (services/survey): windows × timeScale (1 in production), reconcile interval, SMS gateway. */
  survey: { timeScale: number; reconcileSeconds: number; sms?: { url: string; key: string } };
  maxBodyBytes: number;
  /** Budgets of POST /api/messages in Redis, shared by all instances: per channel user and per client address. */
  messageLimits: { perUserPerMinute: number; perIpPerMinute: number };
  seedDemoData: boolean;
  migrateOnStart: boolean;
  /** Azure AI Language (sentiment, PII); unset = the local analyzer only. */
  azureLanguage?: { endpoint: string; key: string; timeoutMs: number };
  /** A complaint-policy override file (services/policy/load-policy.ts); unset = the shipped policy. */
  policyFile?: string;
  /** Where people reach this service's HTTP API (acknowledge links in alerts); default http://localhost:PORT. */
  publicBaseUrl: string;
  /** Takeover by a person: the expected wait told to a customer is this many service minutes per customer in the queue. */
  takeover: { minutesPerWaitingCustomer: number };
  /** Alert delivery (services/alerts/delivery). `mail` unset = e-mail alerts are off. */
  alertDelivery: {
    mail?: { smtpUrl: string; from: string };
    ackLinkTtlSeconds: number;
    webhook: { timeoutMs: number; attempts: number; backoffMs: number };
    /** How long a sender holds a path before another may take it over (it died mid-send); longer than the slowest send. */
    leaseMs: number;
  };
  /**
   * Console sign-in (bot/console): session lifetimes, the Secure cookie flag (auto = when the request
   * came over HTTPS or PUBLIC_BASE_URL is https) and the lockout after repeated failed sign-ins.
   */
  console: { sessionIdleSeconds: number; sessionMaxSeconds: number; cookieSecure: 'auto' | 'always' | 'never'; maxFailedSignIns: number; lockoutSeconds: number };
  /** The self-hosted Direct Line endpoint and /chat (bot/channels/directline). */
  directLine: DirectLineConfig;
  /** The WeChat Official Account channel (bot/channels/wechat); unset = the channel is off. */
  wechat?: { token: string; appId: string; appSecret: string; encodingAesKey?: string; apiBase: string };
  /** The shared file store (services/files): e-mail attachments, console evidence. */
  files: { dir: string; maxBytes: number; allowedTypes: string[] };
  /**
   * Statistics and reports (services/reports): the CJK font of the PDF, the working day of the next
   * month on which the monthly report is produced (1–5: "by the 5th working day"), addresses that get
   * it besides the leadership group, and how many complaint texts the key-phrase analysis reads.
   */
  reports: { font: { file: string; name?: string }; monthlyWorkingDay: number; extraRecipients: string[]; textSampleSize: number };
  /** Inbound e-mail (bot/channels/email): an SMTP listener the mail gateway forwards complaints to; unset = off. */
  emailIntake?: {
    port: number;
    host: string;
    /** Lower-case addresses, or domains (every address at them). */
    recipients: string[];
    maxBytes: number;
    /** From of the acknowledgements, sent through SMTP_URL. */
    /** IP addresses allowed to connect (the gateway); empty = any that can reach EMAIL_INTAKE_HOST. */
    allowedClients: string[];
    ackFrom: string;
    smtpUrl: string;
  };
}

export interface DirectLineConfig {
  /** Signs conversation tokens (HMAC-SHA256); derived from STAFF_TOKEN_SECRET unless DIRECTLINE_TOKEN_SECRET is set. */
  tokenSecret: string;
  tokenTtlSeconds: number;
  conversationsPerIpPerMinute: number;
  messagesPerConversationPerMinute: number;
  maxTextChars: number;
  maxActivityBytes: number;
  /** Origins allowed to call the endpoint from a browser (CORS); ['*'] = any. */
  allowedOrigins: string[];
  /** Reverse proxies in front of the bot that append to X-Forwarded-For (0 = use the socket's address). */
  trustedProxyHops: number;
  /** Conversations idle this long are deleted with their activities (the transcript store keeps the record). */
  retentionDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

/** Rules that involve several variables; checked on the raw values so every problem is listed at once. */
function crossFieldProblems(env: NodeJS.ProcessEnv): string[] {
  const given = (name: string) => (env[name] ?? '').trim();
  const appType = given('MicrosoftAppType') || 'MultiTenant';
  const problems: string[] = [];
  if (given('MicrosoftAppId') && !given('MicrosoftAppPassword') && appType !== 'UserAssignedMSI') {
    problems.push('MicrosoftAppPassword: required when MicrosoftAppId is set');
  }
  if (appType === 'SingleTenant' && given('MicrosoftAppId') && !given('MicrosoftAppTenantId')) {
    problems.push('MicrosoftAppTenantId: required for a SingleTenant bot');
  }
  if (given('NODE_ENV') === 'production' && !given('PII_HASH_KEY')) {
    problems.push('PII_HASH_KEY: required in production (32+ random characters)');
  }
  if (given('PII_HASH_KEY') && given('PII_HASH_KEY').length < 32) problems.push('PII_HASH_KEY: must be at least 32 characters');
  if (given('AZURE_LANGUAGE_ENDPOINT') && !given('AZURE_LANGUAGE_KEY')) {
    problems.push('AZURE_LANGUAGE_KEY: required when AZURE_LANGUAGE_ENDPOINT is set');
  }
  if (given('AZURE_LANGUAGE_KEY') && !given('AZURE_LANGUAGE_ENDPOINT')) {
    problems.push('AZURE_LANGUAGE_ENDPOINT: required when AZURE_LANGUAGE_KEY is set');
  }
  if (given('NODE_ENV') === 'production' && !given('STAFF_TOKEN_SECRET')) {
    problems.push('STAFF_TOKEN_SECRET: required in production (32+ random characters)');
  }
  if (given('STAFF_TOKEN_SECRET') && given('STAFF_TOKEN_SECRET').length < 32) problems.push('STAFF_TOKEN_SECRET: must be at least 32 characters');
  if (Boolean(given('SMS_GATEWAY_URL')) !== Boolean(given('SMS_GATEWAY_KEY'))) {
    problems.push('SMS_GATEWAY_URL and SMS_GATEWAY_KEY: set both (the survey link by SMS) or neither');
  }
  if (given('SMTP_URL') && !given('ALERT_MAIL_FROM')) problems.push('ALERT_MAIL_FROM: required when SMTP_URL is set');
  if (given('EMAIL_INTAKE_PORT')) {
    for (const [name, why] of [['EMAIL_INTAKE_RECIPIENTS', 'which addresses the listener files complaints for'], ['EMAIL_ACK_FROM', 'the From of the acknowledgements'], ['SMTP_URL', 'the relay the acknowledgements go through']]) {
      if (!given(name!)) problems.push(`${name}: required when EMAIL_INTAKE_PORT is set (${why})`);
    }
  }
  if (given('DIRECTLINE_TOKEN_SECRET') && given('DIRECTLINE_TOKEN_SECRET').length < 32) problems.push('DIRECTLINE_TOKEN_SECRET: must be at least 32 characters');
  const wechat = ['WECHAT_TOKEN', 'WECHAT_APPID', 'WECHAT_APPSECRET'];
  const wechatGiven = wechat.filter((name) => given(name));
  if (wechatGiven.length > 0 && wechatGiven.length < wechat.length) {
    for (const name of wechat.filter((n) => !given(n))) problems.push(`${name}: required for the WeChat channel (${wechatGiven.join(', ')} ${wechatGiven.length === 1 ? 'is' : 'are'} set)`);
  }
  if (given('WECHAT_ENCODING_AES_KEY') && wechatGiven.length === 0) {
    problems.push('WECHAT_ENCODING_AES_KEY: set WECHAT_TOKEN, WECHAT_APPID and WECHAT_APPSECRET too, or leave it unset');
  }
  if (given('NODE_ENV') === 'production' && given('SMTP_URL') && !given('PUBLIC_BASE_URL')) {
    problems.push('PUBLIC_BASE_URL: required in production when SMTP_URL is set (alert e-mails link to it)');
  }
  return problems;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const given = issue.path.length ? env[String(issue.path[0])] : undefined;
        return given === undefined ? `${name}: ${issue.message}` : `${name}=${JSON.stringify(redactIfSecret(name, given))}: ${issue.message}`;
      });
  problems.push(...crossFieldProblems(env));
  const pii = readPiiKeyring(env);
  problems.push(...pii.problems);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    bot: { appId: e.MicrosoftAppId, appPassword: e.MicrosoftAppPassword, appType: e.MicrosoftAppType, tenantId: e.MicrosoftAppTenantId, openIdMetadataUrl: e.BOT_OPENID_METADATA_URL },
    piiHashKey: e.PII_HASH_KEY ?? DEV_PII_HASH_KEY,
    pii: { keyring: pii.keyring!, source: pii.source },
    staffTokenSecret: e.STAFF_TOKEN_SECRET ?? DEV_STAFF_TOKEN_SECRET,
    slaMode: e.SLA_MODE,
    survey: {
      timeScale: e.SURVEY_TIME_SCALE, reconcileSeconds: e.SURVEY_RECONCILE_SECONDS,
      sms: e.SMS_GATEWAY_URL && e.SMS_GATEWAY_KEY ? { url: e.SMS_GATEWAY_URL, key: e.SMS_GATEWAY_KEY } : undefined,
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    messageLimits: { perUserPerMinute: e.API_MESSAGES_PER_USER_PER_MINUTE, perIpPerMinute: e.API_MESSAGES_PER_IP_PER_MINUTE },
    seedDemoData: e.SEED_DEMO_DATA,
    migrateOnStart: e.MIGRATE_ON_START,
    azureLanguage:
      e.AZURE_LANGUAGE_ENDPOINT && e.AZURE_LANGUAGE_KEY
        ? { endpoint: e.AZURE_LANGUAGE_ENDPOINT, key: e.AZURE_LANGUAGE_KEY, timeoutMs: e.AZURE_LANGUAGE_TIMEOUT_MS }
        : undefined,
    policyFile: e.POLICY_FILE,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    takeover: { minutesPerWaitingCustomer: e.TAKEOVER_WAIT_MINUTES_PER_CUSTOMER },
    alertDelivery: {
      mail: e.SMTP_URL && e.ALERT_MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.ALERT_MAIL_FROM } : undefined,
      ackLinkTtlSeconds: e.ALERT_ACK_LINK_TTL_HOURS * 3600,
      webhook: { timeoutMs: e.ALERT_WEBHOOK_TIMEOUT_MS, attempts: e.ALERT_WEBHOOK_ATTEMPTS, backoffMs: e.ALERT_WEBHOOK_BACKOFF_MS },
      leaseMs: e.ALERT_DELIVERY_LEASE_SECONDS * 1000,
    },
    console: {
      sessionIdleSeconds: e.CONSOLE_SESSION_IDLE_MINUTES * 60,
      sessionMaxSeconds: e.CONSOLE_SESSION_MAX_HOURS * 3600,
      cookieSecure: e.CONSOLE_COOKIE_SECURE === 'true' ? 'always' : e.CONSOLE_COOKIE_SECURE === 'false' ? 'never' : 'auto',
      maxFailedSignIns: e.SIGN_IN_MAX_FAILURES,
      lockoutSeconds: e.SIGN_IN_LOCKOUT_MINUTES * 60,
    },
    directLine: {
      // A key of its own, derived when not given: a Direct Line token can never pass as a staff token
      // (or the reverse), and one secret fewer to deploy. Set it to rotate customers' chat tokens alone.
      tokenSecret: e.DIRECTLINE_TOKEN_SECRET ?? createHmac('sha256', e.STAFF_TOKEN_SECRET ?? DEV_STAFF_TOKEN_SECRET).update('directline-token-secret/v1').digest('base64url'),
      tokenTtlSeconds: e.DIRECTLINE_TOKEN_TTL_SECONDS,
      conversationsPerIpPerMinute: e.DIRECTLINE_CONVERSATIONS_PER_IP_PER_MINUTE,
      messagesPerConversationPerMinute: e.DIRECTLINE_MESSAGES_PER_CONVERSATION_PER_MINUTE,
      maxTextChars: e.DIRECTLINE_MAX_TEXT_CHARS,
      maxActivityBytes: e.DIRECTLINE_MAX_ACTIVITY_BYTES,
      allowedOrigins: e.DIRECTLINE_ALLOWED_ORIGINS,
      trustedProxyHops: e.DIRECTLINE_TRUSTED_PROXY_HOPS,
      retentionDays: e.DIRECTLINE_RETENTION_DAYS,
    },
    wechat:
      e.WECHAT_TOKEN && e.WECHAT_APPID && e.WECHAT_APPSECRET
        ? { token: e.WECHAT_TOKEN, appId: e.WECHAT_APPID, appSecret: e.WECHAT_APPSECRET, encodingAesKey: e.WECHAT_ENCODING_AES_KEY, apiBase: e.WECHAT_API_BASE ?? 'https://api.weixin.qq.com' }
        : undefined,
    files: { dir: e.FILE_STORE_DIR, maxBytes: e.FILE_MAX_BYTES, allowedTypes: e.FILE_ALLOWED_TYPES },
    reports: {
      // A font collection needs the face's name; the default file's Simplified Chinese face is the default.
      font: { file: e.REPORT_FONT_FILE, name: e.REPORT_FONT_NAME ?? (e.REPORT_FONT_FILE.endsWith('NotoSansCJK-Regular.ttc') ? 'NotoSansCJKsc-Regular' : undefined) },
      monthlyWorkingDay: e.REPORT_MONTHLY_WORKING_DAY,
      extraRecipients: e.REPORT_RECIPIENTS,
      textSampleSize: e.REPORT_TEXT_SAMPLE,
    },
    emailIntake:
      e.EMAIL_INTAKE_PORT !== undefined && e.EMAIL_INTAKE_RECIPIENTS && e.EMAIL_ACK_FROM && e.SMTP_URL
        ? {
            port: Number(e.EMAIL_INTAKE_PORT), host: e.EMAIL_INTAKE_HOST, maxBytes: e.EMAIL_INTAKE_MAX_BYTES, ackFrom: e.EMAIL_ACK_FROM, smtpUrl: e.SMTP_URL,
            allowedClients: (e.EMAIL_INTAKE_ALLOWED_CLIENTS ?? '').split(',').map((a) => a.trim()).filter((a) => a !== ''),
            recipients: e.EMAIL_INTAKE_RECIPIENTS.split(',').map((r) => r.trim().toLowerCase().replace(/^@/, '')),
          }
        : undefined,
  };
}

/**
 * The PII encryption keys: PII_KEYS (+ PII_KEY_CURRENT) or PII_KEY_FILE, never both; the development key
 * only outside production. The lookup-hash key (PII_HASH_KEY) must differ from every encryption key, so
 * one leaked secret does not give away both.
 */
function readPiiKeyring(env: NodeJS.ProcessEnv): { keyring?: PiiKeyring; source: 'environment' | 'file' | 'development'; problems: string[] } {
  const given = (name: string) => (env[name] ?? '').trim();
  if (given('PII_KEYS') && given('PII_KEY_FILE')) return { source: 'environment', problems: ['PII_KEYS / PII_KEY_FILE: set one of them, not both'] };
  let parsed: { keyring?: PiiKeyring; problems: string[] };
  let source: 'environment' | 'file' | 'development';
  if (given('PII_KEYS')) {
    source = 'environment';
    parsed = parsePiiKeys({ keys: splitKeyList(given('PII_KEYS')), current: given('PII_KEY_CURRENT') || undefined }, 'PII_KEYS');
  } else if (given('PII_KEY_FILE')) {
    source = 'file';
    try {
      const file = z.object({ current: z.string().optional(), keys: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(given('PII_KEY_FILE'), 'utf8')));
      // PII_KEY_CURRENT names the current key when the file does not (or overrides it during a rotation).
      parsed = parsePiiKeys({ keys: file.keys, current: given('PII_KEY_CURRENT') || file.current }, `PII_KEY_FILE (${given('PII_KEY_FILE')})`);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err instanceof SyntaxError ? 'not JSON' : 'expected {"current":"<id>","keys":{"<id>":"<base64 of 32 bytes>"}}');
      return { source, problems: [`PII_KEY_FILE: cannot read ${given('PII_KEY_FILE')} (${why})`] };
    }
  } else if (given('NODE_ENV') === 'production') {
    return { source: 'environment', problems: ['PII_KEYS or PII_KEY_FILE: required in production (keys that encrypt personal data at rest; see .env.example)'] };
  } else {
    if (given('PII_KEY_CURRENT')) return { source: 'development', problems: ['PII_KEY_CURRENT: set PII_KEYS or PII_KEY_FILE too'] };
    return { keyring: developmentPiiKeyring(), source: 'development', problems: [] };
  }
  const hashKey = given('PII_HASH_KEY');
  if (parsed.keyring && hashKey) {
    for (const [id, key] of parsed.keyring.keys) {
      if (hashKey === key.toString('base64') || Buffer.from(hashKey).equals(key)) parsed.problems.push(`PII_HASH_KEY: must differ from the encryption key "${id}"`);
    }
  }
  return { keyring: parsed.problems.length ? undefined : parsed.keyring, source, problems: parsed.problems };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function redactIfSecret(name: string, value: string): string {
  if (/PASSWORD|KEY|SECRET|TOKEN/i.test(name)) return '***';
  // A URL may carry a password even when it is the wrong kind of URL.
  return value.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

/** Reads `.env` from the working directory when there is one; the real environment wins. */
export function loadDotEnvIfPresent(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
