// Secrets come only from the environment and never come back out: a wrong value of a secret setting
// is named in the start-up error, never shown; a password inside a URL is masked too.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../services/config';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig({ NODE_ENV: 'test', ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration errors', () => {
  it('name a bad secret setting without showing its value', () => {
    const message = problemsOf({ WECHAT_TOKEN: 'has spaces and-SECRET-VALUE-123!', WECHAT_APPID: 'wx0123456789abcdef', WECHAT_APPSECRET: 'app-secret-value-xyz', WECHAT_ENCODING_AES_KEY: 'short-SECRET-aes' });
    expect(message).toContain('WECHAT_TOKEN');
    expect(message).toContain('WECHAT_ENCODING_AES_KEY');
    for (const value of ['SECRET-VALUE-123', 'app-secret-value-xyz', 'short-SECRET-aes']) expect(message).not.toContain(value);
  });

  it('mask a password inside a wrong URL', () => {
    const message = problemsOf({ REDIS_URL: 'http://user:pa55w0rd-in-url@redis.internal:6379' });
    expect(message).toContain('REDIS_URL');
    expect(message).not.toContain('pa55w0rd-in-url');
  });

  it('refuse to start in production on the built-in development secrets', () => {
    const message = problemsOf({ NODE_ENV: 'production' });
    expect(message).toContain('PII_HASH_KEY: required in production');
    expect(message).toContain('STAFF_TOKEN_SECRET: required in production');
  });
});
