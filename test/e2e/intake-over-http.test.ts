// End to end over HTTP: the real app (createApp → restify → CloudAdapter → dialogs → PostgreSQL)
// talked to exactly like a channel does, with a LocalConnector receiving the bot's replies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Database } from '../../services/db/client';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { formatDateTime } from '../../dialogs/i18n/messages';
import { testDb } from '../support/app';
import {
  ChatSession, fileZhComplaint, LocalConnector, newZhComplaint, numberIn, randomEnglishName, randomId, randomMobileTyped,
  startApp, turnChoices, turnText, type RunningApp,
} from '../support/e2e';

let bot: RunningApp;
let connector: LocalConnector;
let db: Database;

beforeAll(async () => {
  [bot, connector] = await Promise.all([startApp(), LocalConnector.start()]);
  db = testDb(2);
});

afterAll(async () => {
  await bot?.app.close();
  await connector?.close();
  await db?.$disconnect();
});

describe('complaint intake over HTTP', () => {
  it('zh-CN: welcome and menu on conversationUpdate, a full complaint, and every field in the ledger', async () => {
    const c = newZhComplaint();
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv'), userName: c.name });

    const greeting = await session.start();
    expect(turnText(greeting)).toContain('您好，这里是投诉服务');
    expect(turnChoices(greeting)).toEqual(['我要投诉', '查询投诉进度', '投诉处理说明', '人工客服']);

    const turns = await fileZhComplaint((t) => session.say(t), c);
    expect(turnText(turns[0]!)).toContain('个人信息告知');
    expect(turnChoices(turns[0]!)).toEqual(['同意', '不同意']);
    const summary = turnText(turns[11]!);
    expect(summary).toContain('请核对您的投诉信息');
    expect(summary).toContain(`姓名：${c.name}`);
    expect(summary).toContain(`手机号：${c.phone.digits}`);
    expect(summary).toContain('损失金额：80,000 元');

    const last = turnText(turns[12]!);
    expect(last).toContain('您的投诉已受理');
    const number = numberIn(last);
    expect(last).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(last).toContain('通过电话');

    const complaint = await db.complaint.findUniqueOrThrow({
      where: { number },
      include: { complainant: true, conversationRef: true, deadlines: true, events: { orderBy: { id: 'asc' } } },
    });
    expect(complaint).toMatchObject({
      businessLine: 'insurance',
      type: 'claims_dispute',
      description: c.description,
      occurredOn: null,
      referenceNumber: c.referenceNumber,
      feedbackMethod: 'phone',
      intakeChannel: 'online_chat',
      channelId: 'webchat',
      channelUserId: session.userId,
      locale: 'zh-CN',
      status: 'acknowledged',
    });
    expect(complaint.claimedLossYuan?.toNumber()).toBe(80000);
    expect(complaint.complainant).toMatchObject({ name: c.name, phone: c.phone.digits, email: null });

    // The feedback date the customer was told is the one in the ledger.
    const feedback = complaint.deadlines.find((d) => d.kind === 'feedback');
    expect(feedback).toBeDefined();
    expect(last).toContain(formatDateTime(feedback!.dueAt, 'zh-CN', DEFAULT_POLICY.timeZone));
    // A claimed loss of 8万 is level 2: the supervisor within 4 service hours.
    expect(complaint.tier).toBe('L2');
    expect(complaint.deadlines.map((d) => d.kind).sort()).toEqual(['feedback', 'investigation', 'statutory_decision', 'to_supervisor']);

    expect(complaint.conversationRef).toMatchObject({ channelId: 'webchat', conversationId: session.conversationId, serviceUrl: connector.serviceUrl });
    // The user's display name (here: the real name) is stripped from the stored reference.
    expect(JSON.stringify(complaint.conversationRef!.reference)).not.toContain(c.name);

    const types = complaint.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['complaint.received', 'privacy.consent_given', 'deadlines.set', 'status.changed']));
    const received = complaint.events.find((e) => e.type === 'complaint.received')!;
    expect(received).toMatchObject({ actorType: 'customer', actorId: session.userId, channel: 'webchat' });
    const statusChanged = complaint.events.find((e) => e.type === 'status.changed')!;
    expect(statusChanged.payload).toMatchObject({ from: 'received', to: 'acknowledged' });
    // Event payloads carry facts, never the personal data itself.
    const payloads = JSON.stringify(complaint.events.map((e) => e.payload));
    for (const secret of [c.name, c.phone.digits, c.description, c.referenceNumber]) expect(payloads).not.toContain(secret);
  });

  it('en-US: the same flow in English, saved with locale en-US and no claimed loss', async () => {
    const name = randomEnglishName();
    const phone = randomMobileTyped();
    const local = `cust.${randomBytes(4).toString('hex')}`;
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv'), locale: 'en-US' });

    const greeting = await session.start();
    expect(turnText(greeting)).toContain('Hello, this is the complaints service.');
    expect(turnChoices(greeting)).toEqual(['File a complaint', 'Check a complaint', 'How complaints are handled', 'Talk to a person']);

    const answers = [
      'File a complaint', 'Agree', 'Securities', 'Securities trading', 'My sell order was executed two hours late and I lost money.',
      'skip', 'skip', 'none', name, phone.typed, `${local}@Example.COM`, 'E-mail', 'Submit',
    ];
    let replies: Partial<Activity>[] = [];
    for (const answer of answers) {
      replies = await session.say(answer);
      expect(replies.length, `no reply to "${answer}"`).toBeGreaterThan(0);
      // English throughout (the amount prompt's example "1.2万" aside).
      expect(turnText(replies).replace(/\d+(?:\.\d+)?万/g, ''), `Chinese reply to "${answer}"`).not.toMatch(/[\u4e00-\u9fff]/);
    }
    const last = turnText(replies);
    expect(last).toContain('Your complaint has been accepted.');
    expect(last).toContain('Complaint number');
    expect(last).toContain('by E-mail');
    expect(last).toContain('(Beijing time)');
    const number = numberIn(last);

    const complaint = await db.complaint.findUniqueOrThrow({ where: { number }, include: { complainant: true } });
    expect(complaint).toMatchObject({
      businessLine: 'securities',
      type: 'securities_trading',
      referenceNumber: null,
      claimedLossYuan: null,
      feedbackMethod: 'email',
      channelUserId: session.userId,
      locale: 'en-US',
      status: 'acknowledged',
    });
    expect(complaint.complainant).toMatchObject({ name, phone: phone.digits, email: `${local}@example.com` });
  });

  it('status check: the filer sees it at once, another user only after the last four digits of the phone', async () => {
    const c = newZhComplaint();
    const filer = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await filer.start();
    const turns = await fileZhComplaint((t) => filer.say(t), c);
    const number = numberIn(turnText(turns.at(-1)!));

    // Same conversation, same user: no verification.
    expect(turnText(await filer.say('查询投诉进度'))).toContain('请输入投诉编号');
    const own = turnText(await filer.say(number));
    expect(own).not.toContain('后四位');
    expect(own).toContain(`投诉编号：${number}`);
    expect(own).toContain('当前状态：已受理，待分派');
    expect(own).toContain('处理人：投诉受理组');
    expect(own).toContain('下一个时限');

    // Another user (another conversation): asked for the last four digits.
    const other = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    expect(turnText(await other.say('查询投诉进度'))).toContain('请输入投诉编号');
    const ask = turnText(await other.say(number));
    expect(ask).toContain('请输入投诉时登记的手机号后四位');
    expect(ask).not.toContain('当前状态');

    const lastFour = c.phone.digits.slice(-4);
    const wrong = String((Number(lastFour) + 1) % 10000).padStart(4, '0');
    const refused = turnText(await other.say(wrong));
    expect(refused).toContain('手机号后四位不匹配');
    expect(refused).not.toContain('当前状态');
    expect(refused).toContain('请输入投诉时登记的手机号后四位'); // asked again

    const shown = turnText(await other.say(lastFour));
    expect(shown).toContain(`投诉编号：${number}`);
    expect(shown).toContain('当前状态：已受理，待分派');

    const events = await db.complaintEvent.findMany({ where: { complaint: { number } }, orderBy: { id: 'asc' } });
    const viewed = events.filter((e) => e.type === 'status.viewed');
    expect(viewed.map((e) => [e.actorId, (e.payload as { verifiedBy?: string }).verifiedBy])).toEqual([
      [filer.userId, 'same_channel_user'],
      [other.userId, 'phone_last_four'],
    ]);
    expect(events.filter((e) => e.type === 'status.verification_failed').map((e) => e.actorId)).toEqual([other.userId]);
  });

  describe('two bot instances on one database', () => {
    let second: RunningApp;

    beforeAll(async () => {
      second = await startApp();
    });

    afterAll(async () => {
      await second?.app.close();
    });

    it('serve one conversation turn by turn, alternately, with the state in PostgreSQL', async () => {
      expect(second.botUrl).not.toBe(bot.botUrl);
      const ids = { userId: randomId('u'), conversationId: randomId('conv') };
      const viaA = new ChatSession({ botUrl: bot.botUrl, connector, ...ids });
      const viaB = new ChatSession({ botUrl: second.botUrl, connector, ...ids });
      const c = newZhComplaint();

      expect(turnText(await viaB.start())).toContain('您好，这里是投诉服务');
      let turn = 0;
      // A takes the even turns, B the odd ones: every turn continues where the other instance stopped.
      const turns = await fileZhComplaint((text) => (turn++ % 2 === 0 ? viaA : viaB).say(text), c);
      expect(turnText(turns[1]!)).toContain('请问投诉涉及哪项业务'); // consent answered on B after A asked
      expect(turnText(turns[4]!)).toContain('事情大约发生在什么时间');
      const number = numberIn(turnText(turns.at(-1)!));

      const complaint = await db.complaint.findUniqueOrThrow({ where: { number }, include: { complainant: true, conversationRef: true } });
      expect(complaint).toMatchObject({
        businessLine: 'insurance', type: 'claims_dispute', description: c.description, referenceNumber: c.referenceNumber,
        feedbackMethod: 'phone', channelUserId: ids.userId, status: 'acknowledged',
      });
      expect(complaint.claimedLossYuan?.toNumber()).toBe(80000);
      expect(complaint.complainant).toMatchObject({ name: c.name, phone: c.phone.digits });
      expect(complaint.conversationRef?.conversationId).toBe(ids.conversationId);

      // The dialog state row both instances read and wrote.
      const state = await db.botState.findUnique({ where: { key: `webchat/conversations/${ids.conversationId}/` } });
      expect(state).not.toBeNull();
      expect(Number(state!.etag)).toBeGreaterThanOrEqual(turns.length);
    });
  });
});
