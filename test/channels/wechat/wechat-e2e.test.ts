// A WeChat user files a complaint through the real app, tried as WeChat's servers would: the handshake
// passes and forged ones are refused, messages arrive signed, replies go out through the local
// stand-in of WeChat's customer-service API, a retried MsgId is handled once, an expired access
// token is replaced and the reply still delivered, and proactive messages reach WeChat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../services/logger';
import { fileZhComplaint, MemoryStream, newZhComplaint, numberIn, startApp, turnText, type RunningApp } from '../../support/e2e';
import { WechatApiStandIn } from '../../support/wechat-api-stand-in';
import { recordInboundMessage, wechatOpenIdHash } from '../../../services/channels/wechat/wechat-inbox';
import { TEST_PII_HASH_KEY } from '../../support/app';
import { TEXT_ONLY_REPLY } from '../../../bot/channels/wechat/wechat-channel';
import { wechatSignature } from '../../../bot/channels/wechat/wechat-crypto';
import { eventXml, imageXml, newMsgId, newWechatAccount, signedQuery, textXml, wechatEnv, WechatFollower, WechatServer, type WechatAccount } from './wechat-server';

const MENU_LINK = /<a href="weixin:\/\/bizmsgmenu\?msgmenucontent=[^"&]+&msgmenuid=1">[^<]+<\/a>/;

describe('WeChat Official Account, plaintext mode', () => {
  const account: WechatAccount = newWechatAccount();
  const logs = new MemoryStream();
  let api: WechatApiStandIn;
  let running: RunningApp;
  let wechat: WechatServer;

  beforeAll(async () => {
    api = await WechatApiStandIn.start({ appId: account.appId, appSecret: account.appSecret });
    running = await startApp(wechatEnv(account, api.baseUrl), { log: createLogger({ level: 'info', destination: logs }) });
    wechat = new WechatServer(running.baseUrl, account, running.app.db);
  });

  afterAll(async () => {
    await running?.app.close();
    await api?.close();
  });

  describe('the server-URL handshake', () => {
    it('echoes echostr when the signature is right', async () => {
      const answer = await wechat.get(signedQuery(account.token, { echostr: '1616140317555161061' }));
      expect(answer).toEqual({ status: 200, body: '1616140317555161061' });
    });

    it('refuses a forged, a missing and a stale signature', async () => {
      const forged = signedQuery('not-the-token', { echostr: 'x' });
      expect((await wechat.get(forged)).status).toBe(403);
      const missing = signedQuery(account.token, { echostr: 'x' });
      missing.delete('signature');
      expect((await wechat.get(missing)).status).toBe(401);
      const stale = signedQuery(account.token, { echostr: 'x' }, String(Math.floor(Date.now() / 1000) - 3600));
      expect((await wechat.get(stale)).status).toBe(403);
      // A right signature over other values (timestamp changed after signing) is forged too.
      const tampered = signedQuery(account.token, { echostr: 'x' });
      tampered.set('nonce', `${tampered.get('nonce')}1`);
      expect((await wechat.get(tampered)).status).toBe(403);
    });
  });

  it('refuses unsigned, forged and malformed pushes without storing them', async () => {
    const follower = new WechatFollower(wechat, api);
    const xml = textXml({ to: 'gh_0123456789ab', from: follower.openId, content: '你好', msgId: newMsgId() });
    const unsigned = new URLSearchParams({ timestamp: String(Math.floor(Date.now() / 1000)), nonce: '1' });
    expect((await wechat.postRaw(unsigned, xml)).status).toBe(401);
    expect((await wechat.postRaw(signedQuery('forged'), xml)).status).toBe(403);
    expect((await wechat.postRaw(signedQuery(account.token), '<xml><ToUserName>')).status).toBe(400);
    expect((await wechat.postRaw(signedQuery(account.token), 'not xml at all')).status).toBe(400);
    expect((await wechat.postRaw(signedQuery(account.token), '<xml><FromUserName>x</FromUserName></xml>')).status).toBe(400);
    const entityBomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>`;
    expect((await wechat.postRaw(signedQuery(account.token), entityBomb)).status).toBe(400);
    // A safe-mode push to an account without an EncodingAESKey cannot be read.
    expect((await wechat.postRaw(signedQuery(account.token, { encrypt_type: 'aes', msg_signature: 'x' }), '<xml><Encrypt>abc</Encrypt></xml>')).status).toBe(400);
    expect(await running.app.db.wechatUser.count({ where: { openIdHash: wechatOpenIdHash(follower.openId, TEST_PII_HASH_KEY) } })).toBe(0);
    // The app is still up.
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
  });

  it('greets a new follower with the menu, as clickable and numbered choices', async () => {
    const follower = new WechatFollower(wechat, api);
    const greeting = await follower.follow();
    const all = greeting.join('\n');
    // A retried subscribe event (events have no MsgId) greets once.
    const again = new WechatFollower(wechat, api);
    const subscribe = eventXml({ to: 'gh_0123456789ab', from: again.openId, event: 'subscribe', createTime: Math.floor(Date.now() / 1000) });
    expect((await wechat.push(subscribe)).body).toBe('success');
    expect((await wechat.push(subscribe)).body).toBe('success');
    const user = await running.app.db.wechatUser.findFirstOrThrow({ where: { openIdHash: wechatOpenIdHash(again.openId, TEST_PII_HASH_KEY) }, select: { id: true } });
    const [event] = await running.app.db.wechatInboundMessage.findMany({ where: { wechatUserId: user.id }, select: { msgKey: true } });
    await wechat.processed(event!.msgKey);
    expect(again.received).toEqual(greeting);
    expect(all).toMatch(MENU_LINK);
    expect(all).toMatch(/^1\. /m);
    expect(all).toMatch(/^4\. /m);
    // Typing the number chooses like tapping: 1 is "file a complaint", which asks for consent first.
    const afterOne = (await follower.say('1')).join('\n');
    expect(afterOne).toContain('msgmenucontent=同意');
  });

  it('files a complaint in Chinese and gives the number in WeChat; a retried MsgId is handled once', async () => {
    const follower = new WechatFollower(wechat, api);
    const complaint = newZhComplaint();
    const turns = await fileZhComplaint(follower.sayAsActivities, complaint);
    const number = numberIn(turnText(turns.at(-1)!));

    const filed = await running.app.db.complaint.findUniqueOrThrow({ where: { number }, select: { channelId: true, intakeChannel: true, channelUserId: true, complainantId: true } });
    expect(filed).toMatchObject({ channelId: 'wechat', intakeChannel: 'wechat' });
    const user = await running.app.db.wechatUser.findFirstOrThrow({ where: { openIdHash: wechatOpenIdHash(follower.openId, TEST_PII_HASH_KEY) }, select: { id: true, complainantId: true } });
    // The complaint names the follower by the wechat_user id, never the openid; the follower is linked to the complainant.
    expect(filed.channelUserId).toBe(user.id);
    expect(user.complainantId).toBe(filed.complainantId);
    const reference = await running.app.db.conversationReference.findFirstOrThrow({ where: { complaint: { number } } });
    expect(reference.channelId).toBe('wechat');
    expect(JSON.stringify(reference.reference)).not.toContain(follower.openId);

    // WeChat retries a push it got no answer to within 5 s: same MsgId, sent again (even concurrently).
    // The answer to 查询进度 sent once, by someone else, is how many messages one handling sends.
    const once = await new WechatFollower(wechat, api).say('查询进度');
    const msgId = newMsgId();
    const xml = textXml({ to: 'gh_0123456789ab', from: follower.openId, content: '查询进度', msgId });
    const before = follower.received.length;
    const answers = await Promise.all([wechat.push(xml), wechat.push(xml), wechat.push(xml)]);
    expect(answers.map((a) => a.body)).toEqual(['success', 'success', 'success']);
    await wechat.processed(msgId);
    const afterRetries = follower.received.length;
    expect(await running.app.db.wechatInboundMessage.count({ where: { msgKey: msgId } })).toBe(1);
    // One answer to the message (the status check asks for the number) — not three.
    expect(follower.received.slice(before, afterRetries)).toEqual(once);
    const next = await follower.say(number);
    expect(next.join('\n')).toContain(number);
    expect(await running.app.db.complaint.count({ where: { channelUserId: user.id } })).toBe(1);
  }, 90_000);

  it('replaces an expired access token and still delivers the reply', async () => {
    const follower = new WechatFollower(wechat, api);
    await follower.say('你好');
    const tokensBefore = api.tokenRequests;
    const refusedBefore = api.refusedSends;
    api.expireTokens();
    const replies = await follower.say('我要投诉');
    expect(replies.length).toBeGreaterThan(0);
    expect(api.refusedSends).toBe(refusedBefore + 1);
    expect(api.tokenRequests).toBe(tokensBefore + 1);
  });

  it('processes a follower’s quick successive messages in the order they were sent', async () => {
    const follower = new WechatFollower(wechat, api);
    const ids = [newMsgId(), newMsgId(), newMsgId()];
    const words = ['我要投诉', '同意', '保险'];
    for (const [i, content] of words.entries()) {
      const answer = await wechat.push(textXml({ to: 'gh_0123456789ab', from: follower.openId, content, msgId: ids[i]! }));
      expect(answer.body).toBe('success');
    }
    for (const id of ids) expect(await wechat.processed(id)).toBe('done');
    // After 保险 the bot asks for the insurance complaint type.
    expect(follower.received.at(-1)).toContain('msgmenucontent=理赔纠纷');
  });

  it('keeps a message whose reply WeChat refused, and answers it on a later attempt', async () => {
    const follower = new WechatFollower(wechat, api);
    await follower.say('你好');
    api.failNextSends = 1;
    const msgId = newMsgId();
    const replies = await follower.say('我要投诉', msgId);
    expect(replies.join('\n')).toContain('msgmenucontent=同意');
    const row = await running.app.db.wechatInboundMessage.findUniqueOrThrow({ where: { msgKey: msgId }, select: { attempts: true, status: true, content: true } });
    // Answered on the second attempt; once done, the customer's words are no longer kept in the inbox.
    expect(row).toEqual({ attempts: 2, status: 'done', content: null });
  }, 90_000);

  it('answers an image with a polite request for text', async () => {
    const follower = new WechatFollower(wechat, api);
    const msgId = newMsgId();
    expect((await wechat.push(imageXml({ to: 'gh_0123456789ab', from: follower.openId, msgId }))).body).toBe('success');
    await wechat.processed(msgId);
    expect(follower.received).toEqual([TEXT_ONLY_REPLY]);
  });

  it('keeps a follower’s messages in order, and a message stored by a crashed instance is processed later', async () => {
    const follower = new WechatFollower(wechat, api);
    await follower.say('你好');
    // The instance that stored this message died holding the follower's lease (it ran out since).
    const msgId = newMsgId();
    const { wechatUserId } = await recordInboundMessage({
      db: running.app.db, now: new Date(), hashKey: TEST_PII_HASH_KEY,
      message: { appId: account.appId, openId: follower.openId, msgKey: msgId, msgType: 'text', content: '我要投诉', sentAt: new Date() },
    });
    await running.app.db.wechatUser.update({ where: { id: wechatUserId }, data: { lockedBy: 'crashed-instance', lockedUntil: new Date(Date.now() - 1000) } });
    expect(await wechat.processed(msgId)).toBe('done');
    expect(follower.received.at(-1)).toBeTruthy();
  }, 90_000);

  it('sends proactive messages (escalations, notices, agents’ replies) to the follower through WeChat', async () => {
    const follower = new WechatFollower(wechat, api);
    const turns = await fileZhComplaint(follower.sayAsActivities, newZhComplaint());
    const number = numberIn(turnText(turns.at(-1)!));
    const stored = await running.app.db.conversationReference.findFirstOrThrow({ where: { complaint: { number } }, select: { reference: true } });
    await running.app.channels.sendText(stored.reference as object, `您的投诉 ${number} 已转交专人处理。`);
    expect(follower.received.at(-1)).toBe(`您的投诉 ${number} 已转交专人处理。`);
  }, 90_000);

  it('never writes an openid or the customer’s words into the logs', () => {
    expect(logs.text).toContain('wechat');
    expect(logs.text).not.toMatch(/"o[A-Za-z0-9_-]{27}"/);
    expect(logs.text).not.toContain('车险理赔申请');
    expect(logs.text).not.toContain('ACCESS_TOKEN_');
    expect(logs.text).not.toContain(account.appSecret);
  });
});

describe('WeChat Official Account, safe mode (AES)', () => {
  const account = newWechatAccount(true);
  let api: WechatApiStandIn;
  let running: RunningApp;
  let wechat: WechatServer;

  beforeAll(async () => {
    api = await WechatApiStandIn.start({ appId: account.appId, appSecret: account.appSecret });
    running = await startApp(wechatEnv(account, api.baseUrl));
    wechat = new WechatServer(running.baseUrl, account, running.app.db);
  });

  afterAll(async () => {
    await running?.app.close();
    await api?.close();
  });

  it('files a complaint from encrypted messages', async () => {
    const follower = new WechatFollower(wechat, api);
    const turns = await fileZhComplaint(follower.sayAsActivities, newZhComplaint());
    expect(turnText(turns.at(-1)!)).toMatch(/TS\d{8}-\d{6}/);
  }, 90_000);

  it('refuses a ciphertext whose msg_signature is forged, or that was sealed for another account', async () => {
    const follower = new WechatFollower(wechat, api);
    const other = newWechatAccount(true);
    const query = signedQuery(account.token, { encrypt_type: 'aes', msg_signature: wechatSignature('forged', '1', '2', '3') });
    const envelope = '<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[AAAA]]></Encrypt></xml>';
    expect((await wechat.postRaw(query, envelope)).status).toBe(403);
    const foreign = new WechatServer(running.baseUrl, { ...other, token: account.token }, running.app.db);
    const answer = await foreign.push(textXml({ to: 'gh_0123456789ab', from: follower.openId, content: '你好', msgId: newMsgId() }));
    expect(answer.status).toBe(400);
    expect(await running.app.db.wechatUser.count({ where: { openIdHash: wechatOpenIdHash(follower.openId, TEST_PII_HASH_KEY) } })).toBe(0);
  });
});
