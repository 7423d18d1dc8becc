// WeChat settings: the channel is on only with token, AppID and AppSecret; half a configuration is
// a clear start-up error, not a channel that silently does nothing.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../services/config';

const FULL = { WECHAT_TOKEN: 'QDG6eK', WECHAT_APPID: 'wx5823bf96d3bd56c7', WECHAT_APPSECRET: 'secret-0123456789' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('WeChat configuration', () => {
  it('is off without any WECHAT_ variable', () => {
    expect(loadConfig({}).wechat).toBeUndefined();
  });

  it('is on with token, AppID and AppSecret, with WeChat’s API by default', () => {
    expect(loadConfig(FULL).wechat).toEqual({ token: 'QDG6eK', appId: 'wx5823bf96d3bd56c7', appSecret: 'secret-0123456789', encodingAesKey: undefined, apiBase: 'https://api.weixin.qq.com' });
    const safe = loadConfig({ ...FULL, WECHAT_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', WECHAT_API_BASE: 'http://127.0.0.1:9999/' });
    expect(safe.wechat?.encodingAesKey).toBe('jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C');
    expect(safe.wechat?.apiBase).toBe('http://127.0.0.1:9999');
  });

  it('names each missing setting when only part is given', () => {
    expect(problems({ WECHAT_TOKEN: 'QDG6eK' })).toEqual([
      'WECHAT_APPID: required for the WeChat channel (WECHAT_TOKEN is set)',
      'WECHAT_APPSECRET: required for the WeChat channel (WECHAT_TOKEN is set)',
    ]);
    expect(problems({ WECHAT_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' })).toEqual([
      'WECHAT_ENCODING_AES_KEY: set WECHAT_TOKEN, WECHAT_APPID and WECHAT_APPSECRET too, or leave it unset',
    ]);
  });

  it('refuses an EncodingAESKey that is not 43 characters, a malformed AppID and a non-URL API base, without echoing secrets', () => {
    const found = problems({ ...FULL, WECHAT_ENCODING_AES_KEY: 'tooShort', WECHAT_APPID: 'gh_123', WECHAT_API_BASE: 'ftp://x' });
    expect(found.some((p) => p.startsWith('WECHAT_ENCODING_AES_KEY="***": must be the 43-character EncodingAESKey'))).toBe(true);
    expect(found.some((p) => p.startsWith('WECHAT_APPID="gh_123": must be the AppID'))).toBe(true);
    expect(found.some((p) => p.startsWith('WECHAT_API_BASE="ftp://x": must be an http'))).toBe(true);
    expect(found.join('\n')).not.toContain('tooShort');
  });
});
