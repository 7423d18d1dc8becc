// Switching language at a question (R-LANG: zh-CN by default, English must work too): the customer
// writes "English" (or "中文") while the bot waits for an answer; the bot confirms and asks that same
// question again — in the new language, with the new language's buttons — and carries on there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatSession, LocalConnector, randomId, startApp, turnChoices, turnText, type RunningApp } from '../support/e2e';

let bot: RunningApp;
let connector: LocalConnector;

beforeAll(async () => {
  [bot, connector] = await Promise.all([startApp(), LocalConnector.start()]);
});

afterAll(async () => {
  await bot?.app.close();
  await connector?.close();
});

describe('switching language at a question', () => {
  it('asks the question again in the new language, with its buttons, and goes on in it', async () => {
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    expect(turnText(await session.say('我要投诉'))).toContain('个人信息告知');

    const toEnglish = await session.say('English');
    const english = turnText(toEnglish);
    expect(english).toContain('Switched to English.');
    expect(english).toContain('Do you agree?');
    expect(english).not.toMatch(/[\u4e00-\u9fff]/);
    expect(turnChoices(toEnglish)).toEqual(['Agree', 'Disagree']);
    expect(turnText(await session.say('Agree'))).toContain('Which business does your complaint concern?');

    // And back, at a question with buttons of its own.
    const toChinese = await session.say('中文');
    expect(turnText(toChinese)).toContain('已切换为中文。');
    expect(turnText(toChinese)).toContain('请问投诉涉及哪项业务？');
    expect(turnText(toChinese)).not.toContain('Which business');
    expect(turnChoices(toChinese).join(' ')).toMatch(/[\u4e00-\u9fff]/);
    expect(turnChoices(toChinese).join(' ')).not.toMatch(/Insurance|Securities/);
    expect(turnText(await session.say('保险'))).toContain('请选择投诉类型');
  });

  it('at the menu: the menu again in the new language', async () => {
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    const switched = await session.say('English');
    expect(turnText(switched)).toContain('What can I do for you?');
    expect(turnText(switched)).not.toContain('请问需要办理什么');
    expect(turnChoices(switched).join(' ')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
