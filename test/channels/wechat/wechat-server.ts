// Plays WeChat's servers towards the bot's /api/wechat: signs requests the way WeChat does (plain
// signature always; msg_signature and AES in safe mode), pushes followers' messages and events,
// and waits until the bot has processed each one (its inbox row leaves 'pending').
import { randomBytes, randomInt } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Database } from '../../../services/db/client';
import { encryptWechatMessage, wechatSignature } from '../../../bot/channels/wechat/wechat-crypto';
import type { WechatApiStandIn } from '../../support/wechat-api-stand-in';
import { wechatOpenIdHash } from '../../../services/channels/wechat/wechat-inbox';
import { TEST_PII_HASH_KEY } from '../../support/app';

export interface WechatAccount {
  token: string;
  appId: string;
  appSecret: string;
  encodingAesKey?: string;
}

export function newWechatAccount(safeMode = false): WechatAccount {
  const alnum = (n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[randomInt(62)]).join('');
  return {
    token: alnum(16),
    appId: `wx${randomBytes(8).toString('hex')}`,
    appSecret: randomBytes(16).toString('hex'),
    encodingAesKey: safeMode ? alnum(43) : undefined,
  };
}

export function wechatEnv(account: WechatAccount, apiBase: string): Record<string, string> {
  return {
    WECHAT_TOKEN: account.token,
    WECHAT_APPID: account.appId,
    WECHAT_APPSECRET: account.appSecret,
    WECHAT_API_BASE: apiBase,
    ...(account.encodingAesKey ? { WECHAT_ENCODING_AES_KEY: account.encodingAesKey } : {}),
  };
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export function signedQuery(token: string, extra: Record<string, string> = {}, timestamp = String(Math.floor(Date.now() / 1000))): URLSearchParams {
  const nonce = String(randomInt(1e9));
  return new URLSearchParams({ signature: wechatSignature(token, timestamp, nonce), timestamp, nonce, ...extra });
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

export function textXml(f: { to: string; from: string; content: string; msgId: string; createTime?: number }): string {
  return `<xml><ToUserName>${cdata(f.to)}</ToUserName><FromUserName>${cdata(f.from)}</FromUserName><CreateTime>${f.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(f.content)}</Content><MsgId>${f.msgId}</MsgId></xml>`;
}

export function eventXml(f: { to: string; from: string; event: string; createTime?: number }): string {
  return `<xml><ToUserName>${cdata(f.to)}</ToUserName><FromUserName>${cdata(f.from)}</FromUserName><CreateTime>${f.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata(f.event)}</Event></xml>`;
}

export function imageXml(f: { to: string; from: string; msgId: string }): string {
  return `<xml><ToUserName>${cdata(f.to)}</ToUserName><FromUserName>${cdata(f.from)}</FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('image')}</MsgType><PicUrl>${cdata('http://mmbiz.qpic.cn/x')}</PicUrl><MediaId>${cdata('media_id')}</MediaId><MsgId>${f.msgId}</MsgId></xml>`;
}

/** A 64-bit MsgId like WeChat's (beyond Number's exact range). */
export function newMsgId(): string {
  return `${randomInt(1, 9)}${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(9, '0')}`;
}

export class WechatServer {
  constructor(
    readonly baseUrl: string,
    readonly account: WechatAccount,
    readonly db: Database,
  ) {}

  get url(): string {
    return `${this.baseUrl}/api/wechat`;
  }

  async get(query: URLSearchParams): Promise<HttpAnswer> {
    const res = await fetch(`${this.url}?${query.toString()}`);
    return { status: res.status, body: await res.text() };
  }

  /** POSTs raw XML with the query as given. */
  async postRaw(query: URLSearchParams, xml: string, contentType = 'text/xml'): Promise<HttpAnswer> {
    const res = await fetch(`${this.url}?${query.toString()}`, { method: 'POST', headers: { 'content-type': contentType }, body: xml });
    return { status: res.status, body: await res.text() };
  }

  /** Pushes a follower's message as WeChat does: signed, and encrypted when the account is in safe mode. */
  async push(xml: string): Promise<HttpAnswer> {
    const { token, appId, encodingAesKey } = this.account;
    if (!encodingAesKey) return this.postRaw(signedQuery(token), xml);
    const encrypt = encryptWechatMessage(encodingAesKey, appId, xml);
    const query = signedQuery(token, { encrypt_type: 'aes' });
    query.set('msg_signature', wechatSignature(token, query.get('timestamp')!, query.get('nonce')!, encrypt));
    return this.postRaw(query, `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`);
  }

  /** Waits until the message stored under `msgKey` has been processed (or failed). */
  async processed(msgKey: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await this.db.wechatInboundMessage.findUnique({ where: { msgKey }, select: { status: true } });
      if (row && row.status !== 'pending') return row.status;
      if (Date.now() > deadline) throw new Error(`message ${msgKey} still ${row?.status ?? 'not stored'} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** One WeChat user talking to the account. */
export class WechatFollower {
  private turns = 0;

  /** With several servers (bot instances behind a load balancer), pushes go to each in turn. */
  constructor(
    server: WechatServer | WechatServer[],
    private readonly api: WechatApiStandIn,
    readonly openId = `o${randomBytes(14).toString('base64url').slice(0, 27)}`,
  ) {
    this.servers = Array.isArray(server) ? server : [server];
  }

  private readonly servers: WechatServer[];

  private get server(): WechatServer {
    return this.servers[this.turns++ % this.servers.length]!;
  }

  get received(): string[] {
    return this.api.messagesTo(this.openId);
  }

  /** Sends a text and resolves with what the follower received while the bot processed it. */
  async say(content: string, msgId = newMsgId()): Promise<string[]> {
    const before = this.received.length;
    const answer = await this.server.push(textXml({ to: 'gh_0123456789ab', from: this.openId, content, msgId }));
    if (answer.status !== 200 || answer.body !== 'success') throw new Error(`WeChat push refused: ${answer.status} ${answer.body}`);
    await this.servers[0]!.processed(msgId);
    return this.received.slice(before);
  }

  /** Follows the account (the subscribe event) and resolves with the greeting. */
  async follow(): Promise<string[]> {
    const before = this.received.length;
    const createTime = Math.floor(Date.now() / 1000);
    const answer = await this.server.push(eventXml({ to: 'gh_0123456789ab', from: this.openId, event: 'subscribe', createTime }));
    if (answer.status !== 200) throw new Error(`WeChat push refused: ${answer.status} ${answer.body}`);
    await this.waitUntilIdle();
    return this.received.slice(before);
  }

  /** The replies as activities, for the shared helpers (fileZhComplaint, turnText). */
  sayAsActivities = async (content: string): Promise<Partial<Activity>[]> =>
    (await this.say(content)).map((text) => ({ type: 'message', text }));

  private async waitUntilIdle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = await this.servers[0]!.db.wechatInboundMessage.count({ where: { wechatUser: { openIdHash: wechatOpenIdHash(this.openId, TEST_PII_HASH_KEY) }, status: 'pending' } });
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error('follower messages still pending');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
