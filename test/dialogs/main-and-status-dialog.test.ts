// The menu and the status check, as transcripts on the real database.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DialogTestClient } from 'botbuilder-testing';
import { MainDialog } from '../../dialogs/main-dialog';
import { StatusDialog } from '../../dialogs/status-dialog';
import type { Locale } from '../../dialogs/i18n/locale';
import { randomMobile, testDb, testDesk } from '../support/app';
import { localeMiddleware, runTranscript, sendAndCollect, visibleText } from '../support/dialog-transcript';

const db = testDb();
const desk = testDesk(db);
afterAll(() => db.$disconnect());

// DialogTestClient's user is "user1" on the channel given here.
const CHANNEL = 'test-status';

async function fileComplaintAs(channelUserId: string, phone: string) {
  return desk.fileComplaint({
    draft: { businessLine: 'securities', type: 'securities_trading', description: '委托卖出迟迟没有成交', name: '李四', phone, feedbackMethod: 'sms' },
    user: { channelId: CHANNEL, channelUserId },
    locale: 'zh-CN',
    reference: { channelId: CHANNEL, serviceUrl: 'https://test.com', conversation: { id: `c-${channelUserId}` } },
    consent: { noticeVersion: 'test' },
    submissionId: randomUUID(),
  });
}

function statusClient(locale: Locale = 'zh-CN') {
  return new DialogTestClient(CHANNEL, new StatusDialog(desk), undefined, [localeMiddleware(locale)]);
}

describe('status check', () => {
  it('shows the status at once to the user who filed it on the same channel', async () => {
    const filed = await fileComplaintAs('user1', randomMobile());
    await desk.acknowledge(filed.id, { channelId: CHANNEL, channelUserId: 'user1' });
    await runTranscript(statusClient(), [
      ['查询', '请输入投诉编号'],
      [filed.number.toLowerCase(), [`投诉编号：${filed.number}`, '已受理，待分派', '投诉受理组', '向您反馈处理结果']],
    ]);
  });

  it('asks someone else for the last four digits of the phone and refuses wrong ones', async () => {
    const phone = randomMobile();
    const filed = await fileComplaintAs('someone-else', phone);
    const wrong = phone.endsWith('0000') ? '1111' : '0000';
    await runTranscript(statusClient(), [
      [`查询 ${filed.number}`, '手机号后四位'],
      [wrong, ['不匹配', '手机号后四位']],
      [phone.slice(-4), [`投诉编号：${filed.number}`, '当前状态']],
    ]);
    const events = await db.complaintEvent.findMany({ where: { complaint: { number: filed.number } }, select: { type: true } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['status.verification_failed', 'status.viewed']));
  });

  it('shows nothing after three wrong answers', async () => {
    const phone = randomMobile();
    const filed = await fileComplaintAs('a-third-person', phone);
    const wrong = phone.endsWith('0000') ? '1111' : '0000';
    const last = await runTranscript(statusClient(), [[filed.number, '手机号后四位'], [wrong, '不匹配'], [wrong, '不匹配'], [wrong, '验证未通过']]);
    expect(last).not.toContain('当前状态');
  });

  it('explains the number format after a bad number and says when a number is unknown', async () => {
    await runTranscript(statusClient(), [
      ['查询', '请输入投诉编号'],
      ['12345', 'TS + 8 位日期'],
      ['TS19990101-999999', '没有找到投诉编号 TS19990101-999999'],
    ]);
  });

  it('works in English', async () => {
    const filed = await fileComplaintAs('user1', randomMobile());
    await runTranscript(statusClient('en-US'), [
      ['status', 'Please enter the complaint number'],
      [filed.number, [`Complaint: ${filed.number}`, 'Status: received', 'the complaints intake team']],
    ]);
  });
});

describe('main menu', () => {
  const menuClient = (locale: Locale = 'zh-CN') =>
    new DialogTestClient('test-menu', new MainDialog(desk, { error: () => undefined }), { detectIntent: true }, [localeMiddleware(locale)]);

  it('greets with the four choices and starts intake on 1', async () => {
    const client = menuClient();
    const greeting = visibleText(await sendAndCollect(client, '你好'));
    for (const label of ['[我要投诉]', '[查询投诉进度]', '[投诉处理说明]', '[人工客服]']) expect(greeting).toContain(label);
    await runTranscript(client, [['1', '个人信息告知']]);
  });

  it('explains channels, tiers and timelines from the policy, then shows the menu again', async () => {
    const client = menuClient();
    await sendAndCollect(client, '你好');
    await runTranscript(client, [['投诉处理说明', ['投诉渠道', '500,000 元', '3 个工作日', '7 个工作日', '15 日内', '30 分钟', '请问需要办理什么']]]);
  });

  it('goes straight to what a first message asks for', async () => {
    await runTranscript(menuClient(), [['我要投诉', '个人信息告知']]);
    await runTranscript(menuClient(), [['我想查询投诉进度', '请输入投诉编号']]);
    await runTranscript(menuClient('en-US'), [['how are complaints handled?', ['How complaints are handled', 'statutory limit']]]);
  });

  it('records a request for a person', async () => {
    const client = menuClient();
    await sendAndCollect(client, '你好');
    const reply = visibleText(await sendAndCollect(client, '4'));
    expect(reply).toMatch(/已为您登记人工服务请求|人工服务请求已在排队中/);
    expect(await db.handoffRequest.count({ where: { channelId: 'test-menu', status: 'requested' } })).toBeGreaterThan(0);
  });

  it('re-prompts after a choice it does not understand', async () => {
    const client = menuClient();
    await sendAndCollect(client, '你好');
    await runTranscript(client, [['天气怎么样', '没有识别您的选择']]);
  });
});
