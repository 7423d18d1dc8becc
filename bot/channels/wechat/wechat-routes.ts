// /api/wechat as WeChat's servers call it. GET: the server-URL handshake (signature over token,
// timestamp, nonce; echo echostr). POST: a follower's message, signed the same way, in plaintext or
// in safe mode (msg_signature over the ciphertext too). The message is stored before "success" is
// answered (WeChat waits 5 seconds, then retries the same MsgId), and the dialog turn runs afterwards
// from the store. A refused request never reaches the store; a store that is down answers 503, so
// WeChat retries rather than the message being lost.
import { createHash } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../../services/logger';
import { safeErrorFields } from '../../../services/safe-error';
import type { InboundMessageInput } from '../../../services/channels/wechat/wechat-inbox';
import { decryptWechatMessage, signatureMatches, WechatCryptoError, wechatSignature } from './wechat-crypto';
import { encryptedEnvelopeSchema, parseWechatXml, readInbound, WechatXmlError, type WechatInbound } from './wechat-xml';

/** Requests signed longer ago (or further ahead) than this are refused as replays. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface WechatRouteDeps {
  token: string;
  appId: string;
  encodingAesKey?: string;
  log: Logger;
  /** Stores the message; resolves once it is safe to answer WeChat. */
  accept: (message: InboundMessageInput) => Promise<void>;
  now?: () => number;
}

type Refusal = { status: number; reason: string };

function queryValue(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function sendPlain(res: Response, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The plain signature every WeChat request carries (GET and POST, both modes). */
function checkSignature(req: Request, token: string, nowMs: number): Refusal | null {
  const signature = queryValue(req, 'signature');
  const timestamp = queryValue(req, 'timestamp');
  const nonce = queryValue(req, 'nonce');
  if (!signature || !timestamp || !nonce) return { status: 401, reason: 'signature, timestamp and nonce are required' };
  if (!/^\d{1,12}$/.test(timestamp)) return { status: 403, reason: 'timestamp must be seconds since 1970' };
  if (!signatureMatches(signature, wechatSignature(token, timestamp, nonce))) return { status: 403, reason: 'bad signature' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) return { status: 403, reason: 'stale timestamp' };
  return null;
}

function rawBody(req: Request): string {
  const body: unknown = req.body;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return '';
}

/** A stable key for WeChat's retries of one push: MsgId, or for events their sender, time and kind. */
export function messageKeyOf(message: WechatInbound): string {
  if (message.MsgId) return message.MsgId;
  const identity = [message.FromUserName, message.CreateTime, message.MsgType, message.Event ?? '', message.EventKey ?? ''].join('\u0000');
  return `event:${createHash('sha256').update(identity).digest('hex')}`;
}

export function registerWechatRoutes(server: Server, deps: WechatRouteDeps): void {
  const { token, appId, encodingAesKey, log } = deps;
  const now = deps.now ?? (() => Date.now());

  const refuse = (res: Response, refusal: Refusal, what: string) => {
    log.info({ channelId: 'wechat', status: refusal.status, reason: refusal.reason }, `wechat: refused ${what}`);
    sendPlain(res, refusal.status, refusal.reason);
  };

  server.get('/api/wechat', async (req: Request, res: Response) => {
    const refusal = checkSignature(req, token, now());
    if (refusal) return refuse(res, refusal, 'a handshake');
    const echostr = queryValue(req, 'echostr');
    if (!echostr) return refuse(res, { status: 400, reason: 'echostr is required' }, 'a handshake');
    sendPlain(res, 200, echostr);
  });

  server.post('/api/wechat', async (req: Request, res: Response) => {
    const refusal = checkSignature(req, token, now());
    if (refusal) return refuse(res, refusal, 'a message');
    let message: WechatInbound;
    try {
      let fields = parseWechatXml(rawBody(req));
      const envelope = encryptedEnvelopeSchema.safeParse(fields);
      const safeMode = queryValue(req, 'encrypt_type') === 'aes' || envelope.success;
      if (safeMode) {
        if (!envelope.success) return refuse(res, { status: 400, reason: 'encrypt_type=aes but no Encrypt field' }, 'a message');
        if (!encodingAesKey) {
          log.warn({ channelId: 'wechat' }, 'wechat: a safe-mode message arrived but WECHAT_ENCODING_AES_KEY is unset');
          return refuse(res, { status: 400, reason: 'safe mode is not configured' }, 'a message');
        }
        const msgSignature = queryValue(req, 'msg_signature');
        const expected = wechatSignature(token, queryValue(req, 'timestamp')!, queryValue(req, 'nonce')!, envelope.data.Encrypt);
        if (!msgSignature) return refuse(res, { status: 401, reason: 'msg_signature is required in safe mode' }, 'a message');
        if (!signatureMatches(msgSignature, expected)) return refuse(res, { status: 403, reason: 'bad msg_signature' }, 'a message');
        fields = parseWechatXml(decryptWechatMessage(encodingAesKey, appId, envelope.data.Encrypt));
      }
      message = readInbound(fields);
    } catch (err) {
      if (err instanceof WechatXmlError) return refuse(res, { status: 400, reason: err.message }, 'a message');
      if (err instanceof WechatCryptoError) return refuse(res, { status: 400, reason: `cannot decrypt (${err.code})` }, 'a message');
      throw err;
    }
    try {
      await deps.accept({
        appId,
        openId: message.FromUserName,
        msgKey: messageKeyOf(message),
        msgType: message.MsgType,
        event: message.Event ?? null,
        content: message.MsgType === 'text' ? message.Content ?? '' : null,
        sentAt: new Date(Number(message.CreateTime) * 1000),
      });
    } catch (err) {
      log.error({ channelId: 'wechat', ...safeErrorFields(err) }, 'wechat: could not store a message; WeChat will retry');
      return sendPlain(res, 503, 'try again');
    }
    sendPlain(res, 200, 'success');
  });
}
