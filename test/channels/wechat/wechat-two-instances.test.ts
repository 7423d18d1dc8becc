// Two bot instances behind a load balancer, sharing PostgreSQL and Redis, as WeChat's servers reach
// them: a follower's messages alternate between the instances and the complaint is still filed in
// order; a retried MsgId that lands on the other instance is handled once; one access token serves both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileZhComplaint, newZhComplaint, numberIn, startApp, turnText, type RunningApp } from '../../support/e2e';
import { WechatApiStandIn } from '../../support/wechat-api-stand-in';
import { newMsgId, newWechatAccount, textXml, wechatEnv, WechatFollower, WechatServer } from './wechat-server';

describe('WeChat with two bot instances', () => {
  const account = newWechatAccount();
  let api: WechatApiStandIn;
  const instances: RunningApp[] = [];
  let servers: WechatServer[] = [];

  beforeAll(async () => {
    api = await WechatApiStandIn.start({ appId: account.appId, appSecret: account.appSecret });
    for (let i = 0; i < 2; i++) instances.push(await startApp(wechatEnv(account, api.baseUrl)));
    servers = instances.map((r) => new WechatServer(r.baseUrl, account, r.app.db));
  });

  afterAll(async () => {
    await Promise.all(instances.map((r) => r.app.close()));
    await api?.close();
  });

  it('files a complaint whose messages alternate between the instances, with one access token', async () => {
    const follower = new WechatFollower(servers, api);
    // Generous timeout: two cold instances on a busy 2-core test machine (no timing is asserted).
    const turns = await fileZhComplaint(follower.sayAsActivities, newZhComplaint());
    const number = numberIn(turnText(turns.at(-1)!));
    const filed = await instances[0]!.app.db.complaint.findUniqueOrThrow({ where: { number }, select: { channelId: true } });
    expect(filed.channelId).toBe('wechat');
    expect(api.tokenRequests).toBe(1);
  }, 90_000);

  it('handles a MsgId once when WeChat’s retry reaches the other instance', async () => {
    const once = await new WechatFollower(servers, api).say('查询进度');
    const follower = new WechatFollower(servers, api);
    const msgId = newMsgId();
    const xml = textXml({ to: 'gh_0123456789ab', from: follower.openId, content: '查询进度', msgId });
    const answers = await Promise.all([servers[0]!.push(xml), servers[1]!.push(xml), servers[0]!.push(xml), servers[1]!.push(xml)]);
    expect(answers.map((a) => a.body)).toEqual(['success', 'success', 'success', 'success']);
    await servers[0]!.processed(msgId);
    expect(follower.received).toEqual(once);
  });
});
