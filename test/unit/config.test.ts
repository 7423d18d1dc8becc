import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../services/config';

describe('configuration', () => {
  it('has working defaults for local development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3978, databaseUrl: 'postgresql://postgres@127.0.0.1:5432/complaints', redisUrl: 'redis://127.0.0.1:6379', env: 'development' });
    expect(config.bot.appId).toBeUndefined();
  });

  it('lists every problem at once, without printing secrets', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://app:hunter2@db/complaints', MicrosoftAppId: 'id-without-password', NODE_ENV: 'production' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'MicrosoftAppPassword', 'PII_HASH_KEY']) expect(problems).toContain(name);
    expect(problems).not.toContain('hunter2');
    expect((error as Error).message).toContain('.env.example');
  });

  it('treats empty Bot Framework credentials as anonymous', () => {
    expect(loadConfig({ MicrosoftAppId: '', MicrosoftAppPassword: ' ' }).bot).toMatchObject({ appId: undefined, appPassword: undefined });
  });
});
