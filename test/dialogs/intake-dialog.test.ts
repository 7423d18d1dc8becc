// Intake transcripts: what a customer types and what the bot answers, on the real database.
import { afterAll, describe, expect, it } from 'vitest';
import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { IntakeDialog } from '../../dialogs/intake-dialog';
import type { Locale } from '../../dialogs/i18n/locale';
import { phoneLookupHash } from '../../services/complainants/upsert-complainant';
import { TEST_PII_HASH_KEY, randomMobile, testDb, testDesk } from '../support/app';
import { localeMiddleware, runTranscript, sendAndCollect, visibleText, type TranscriptStep } from '../support/dialog-transcript';

const db = testDb();
const desk = testDesk(db);
const quietLog = { error: () => undefined };
afterAll(() => db.$disconnect());

function intakeClient(locale: Locale = 'zh-CN') {
  return new DialogTestClient('test', new IntakeDialog(desk, quietLog), undefined, [localeMiddleware(locale)]);
}

const NUMBER = /TS\d{8}-\d{6}/;

/** Good answers up to the summary, in order, with the reply each one must bring. */
function zhAnswers(phone: string, name = '王小明'): TranscriptStep[] {
  return [
    ['你好', '个人信息告知'],
    ['同意', '哪项业务'],
    ['保险', '投诉类型'],
    ['2', '描述事情经过'],
    ['我的车险理赔申请提交一个月了还没有处理，电话也没人回。', '什么时间'],
    ['上周五', '保单号'],
    ['P2026-00123456', '损失金额'],
    ['8万', '姓名'],
    [name, '手机号码'],
    [phone, '邮箱'],
    ['跳过', '哪种方式'],
    ['电话', ['请核对', '理赔纠纷', '80,000 元', name, 'P2026-00123456', '确认提交']],
  ];
}

describe('intake dialog (zh-CN)', () => {
  it('takes a complaint down and gives the number and the feedback date at once', async () => {
    const phone = randomMobile();
    const client = intakeClient();
    await runTranscript(client, zhAnswers(`${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`));
    const last = await runTranscript(client, [['确认提交', ['您的投诉已受理', '投诉编号：TS', '前通过电话']]]);
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);

    const number = NUMBER.exec(last)![0];
    const saved = await db.complaint.findUniqueOrThrow({ where: { number }, include: { complainant: true } });
    expect(saved).toMatchObject({
      businessLine: 'insurance', type: 'claims_dispute', occurredOn: '上周五', referenceNumber: 'P2026-00123456',
      feedbackMethod: 'phone', channelId: 'test', locale: 'zh-CN', status: 'acknowledged',
    });
    expect(saved.description).toContain('车险理赔');
    expect(Number(saved.claimedLossYuan)).toBe(80_000);
    expect(saved.complainant).toMatchObject({ name: '王小明', phone, email: null });
  });

  it.each([
    ['8万', '80,000 元'],
    ['1.2万', '12,000 元'],
    ['3千块', '3,000 元'],
    ['¥600,000', '600,000 元'],
    ['RMB 30k', '30,000 元'],
    ['五十万', '500,000 元'],
    ['没有', '损失金额：无'],
  ])('reads the amount %s as %s', async (typed, shown) => {
    const client = intakeClient();
    const steps = zhAnswers(randomMobile());
    steps[7] = [typed, '姓名'];
    steps[11] = ['电话', shown];
    await runTranscript(client, steps);
  });

  it.each<[string, number, string, string]>([
    ['consent', 1, '也许吧', '请回复“同意”或“不同意”'],
    ['business line', 2, '汽车', '请选择“保险”或“证券”'],
    ['type', 3, '不知道', '请从下面的投诉类型中选择一项'],
    ['description', 4, '差', '至少 5 个字'],
    ['reference number', 6, '12', '6–32 位字母、数字或连字符'],
    ['amount', 7, '很多很多', '没能识别这个金额'],
    ['name', 8, '12345', '请输入您的姓名'],
    ['phone', 9, '12345', '请输入 11 位中国大陆手机号'],
    ['e-mail', 10, 'wang@', '邮箱格式不正确'],
    ['feedback method', 11, '飞鸽传书', '请从下面的方式中选择一项'],
    ['summary', 12, '嗯？', '请选择“确认提交”、“修改”或“取消”'],
  ])('re-prompts with the expected format after a bad %s', async (_field, position, bad, explanation) => {
    const client = intakeClient();
    const steps = zhAnswers(randomMobile());
    await runTranscript(client, steps.slice(0, position));
    await runTranscript(client, [[bad, explanation]]);
    // The same question is still open: the good answer moves on as usual.
    const good = steps[position];
    if (good) await runTranscript(client, [good]);
  });

  it('lets the customer go after three bad answers, saving nothing', async () => {
    const client = intakeClient();
    const steps = zhAnswers(randomMobile());
    await runTranscript(client, steps.slice(0, 9));
    await runTranscript(client, [['123', '手机号格式不正确'], ['abc', '手机号格式不正确'], ['000', ['遇到了困难', '人工客服']]]);
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });

  it('cancels midway on 取消 and keeps nothing', async () => {
    const phone = randomMobile();
    const client = intakeClient();
    await runTranscript(client, zhAnswers(phone).slice(0, 10));
    await runTranscript(client, [['取消', '已取消']]);
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    expect(await db.complainant.count({ where: { phoneHash: phoneLookupHash(phone, TEST_PII_HASH_KEY) } })).toBe(0);
  });

  it('explains the current question on 帮助 and asks it again', async () => {
    const client = intakeClient();
    await runTranscript(client, zhAnswers(randomMobile()).slice(0, 9));
    await runTranscript(client, [['帮助', ['“取消”', '11 位中国大陆手机号', '请留下您的手机号码']]]);
  });

  it('records a request for a person at any prompt and carries on', async () => {
    const client = intakeClient();
    await runTranscript(client, zhAnswers(randomMobile()).slice(0, 5));
    const replies = await sendAndCollect(client, '转人工');
    expect(visibleText(replies)).toMatch(/已为您登记人工服务请求|人工服务请求已在排队中/);
    expect(visibleText(replies)).toContain('什么时间');
    const conversationId = replies[0]!.conversation.id;
    const request = await db.handoffRequest.findFirst({ where: { channelId: 'test', conversationId, status: 'requested' } });
    expect(request?.reason).toBe('customer asked at a prompt');
  });

  it('corrects one field at the summary and files the corrected complaint', async () => {
    const first = randomMobile();
    const corrected = randomMobile();
    const client = intakeClient();
    await runTranscript(client, zhAnswers(first));
    await runTranscript(client, [
      ['修改', '要修改哪一项'],
      ['手机号', '手机号码'],
      [corrected, ['请核对', `手机号：${corrected}`]],
    ]);
    const last = await runTranscript(client, [['确认提交', '投诉编号']]);
    const saved = await db.complaint.findUniqueOrThrow({ where: { number: NUMBER.exec(last)![0] }, include: { complainant: true } });
    expect(saved.complainant.phone).toBe(corrected);
  });

  it('asks the complaint type again when the business line is corrected', async () => {
    const client = intakeClient();
    await runTranscript(client, zhAnswers(randomMobile()));
    await runTranscript(client, [
      ['修改', '要修改哪一项'],
      ['业务', '哪项业务'],
      ['证券', ['投诉类型', '证券交易问题', '投资咨询']],
      ['投资咨询', ['业务：证券', '投诉类型：投资咨询']],
    ]);
  });

  it('insists on an e-mail address when the answer is to go by e-mail', async () => {
    const client = intakeClient();
    const steps = zhAnswers(randomMobile());
    await runTranscript(client, steps.slice(0, 11));
    await runTranscript(client, [
      ['电子邮件', '请留下邮箱地址'],
      ['跳过', '邮箱格式不正确'],
      ['Wang@Example.COM', ['请核对', '邮箱：Wang@example.com', '答复方式：电子邮件']],
    ]);
  });

  it('ends politely when consent is refused, before any personal data', async () => {
    const client = intakeClient();
    await runTranscript(client, [['你好', '个人信息告知'], ['不同意', '未经您的同意']]);
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });
});

describe('intake dialog (en-US)', () => {
  it('takes a complaint down in English', async () => {
    const phone = randomMobile();
    const client = intakeClient('en-US');
    const last = await runTranscript(client, [
      ['hello', 'personal data'],
      ['Agree', 'Which business'],
      ['Securities', 'What kind of complaint'],
      ['Securities trading', 'tell us what happened'],
      ['My sell order was executed two hours late and I lost money.', 'when did this happen'],
      ['skip', 'policy, contract or account number'],
      ['skip', 'how much loss'],
      ['RMB 30k', 'your name'],
      ['Mary Chen', 'mobile number'],
      [phone, 'e-mail'],
      ['mary.chen@example.com', 'receive the result'],
      ['E-mail', ['Please check your complaint', '¥30,000', 'Mary Chen', 'mary.chen@example.com']],
      ['Submit', ['Your complaint has been accepted', 'Complaint number: TS', '(Beijing time)']],
    ]);
    const saved = await db.complaint.findUniqueOrThrow({ where: { number: NUMBER.exec(last)![0] } });
    expect(saved).toMatchObject({ businessLine: 'securities', type: 'securities_trading', locale: 'en-US', feedbackMethod: 'email', referenceNumber: null });
  });

  it('explains the expected format in English after bad input', async () => {
    const client = intakeClient('en-US');
    await runTranscript(client, [['hi', 'personal data'], ['yes', 'Which business'], ['cars', 'Please choose "Insurance" or "Securities"']]);
  });
});

describe('replies a customer sees', () => {
  it('offers every choice as a button', async () => {
    const client = intakeClient();
    await sendAndCollect(client, '你好');
    const replies = await sendAndCollect(client, '同意');
    expect(visibleText(replies)).toContain('[保险]');
    expect(visibleText(replies)).toContain('[证券]');
  });
});

describe('confirming twice', () => {
  it('files one complaint when the turn that filed it failed and the customer confirms again', async () => {
    let failNextAcknowledge = true;
    const flakyDesk = {
      ...desk,
      acknowledge: async (...args: Parameters<typeof desk.acknowledge>) => {
        if (failNextAcknowledge) {
          failNextAcknowledge = false;
          throw new Error('connector went away after the complaint was saved');
        }
        return desk.acknowledge(...args);
      },
    };
    const phone = randomMobile();
    const client = new DialogTestClient('test', new IntakeDialog(flakyDesk, quietLog), undefined, [localeMiddleware('zh-CN')]);
    await runTranscript(client, zhAnswers(phone));
    await expect(sendAndCollect(client, '确认提交')).rejects.toThrow('connector went away');
    const retried = await runTranscript(client, [['确认提交', '投诉编号：TS']]);
    const complaints = await db.complaint.findMany({ where: { complainant: { phoneHash: phoneLookupHash(phone, TEST_PII_HASH_KEY) } }, select: { number: true, status: true } });
    expect(complaints).toEqual([{ number: NUMBER.exec(retried)![0], status: 'acknowledged' }]);
  });
});
