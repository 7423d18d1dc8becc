import { describe, expect, it } from 'vitest';
import { detectLocale, requestedLocale } from '../../dialogs/i18n/locale';
import { detectMenuIntent } from '../../dialogs/menu-intent';
import { commandIn } from '../../dialogs/interruptible-dialog';

describe('conversation language', () => {
  it.each([
    [undefined, '你好', 'zh-CN'],
    ['en-US', '你好', 'zh-CN'],
    ['en-US', undefined, 'en-US'],
    ['en-GB', '1', 'en-US'],
    ['zh-CN', 'I want to complain', 'en-US'],
    ['zh-CN', '1', 'zh-CN'],
    [undefined, undefined, 'zh-CN'],
  ])('locale %s and first message %j → %s', (locale, text, expected) => {
    expect(detectLocale(locale, text)).toBe(expected);
  });

  it('switches on request only', () => {
    expect(requestedLocale('English')).toBe('en-US');
    expect(requestedLocale('中文')).toBe('zh-CN');
    expect(requestedLocale('I speak English')).toBeNull();
  });
});

describe('what a first message asks for', () => {
  it.each([
    ['我要投诉', 'file'],
    ['我想投诉你们的理赔员', 'file'],
    ['I want to complain about a claim', 'file'],
    ['查询投诉进度', 'status'],
    ['TS20261128-000042 处理到哪了', 'status'],
    ['check my complaint', 'status'],
    ['怎么投诉？', 'info'],
    ['How are complaints handled?', 'info'],
    ['转人工', 'person'],
    ['你好', null],
    ['hello', null],
  ])('%j → %s', (text, intent) => {
    expect(detectMenuIntent(text)).toBe(intent);
  });
});

describe('commands at any prompt', () => {
  it.each([
    ['取消', 'cancel'],
    ['Cancel', 'cancel'],
    ['帮助', 'help'],
    ['？', 'help'],
    ['转人工', 'person'],
    ['人工客服。', 'person'],
    ['talk to a human', 'person'],
    ['我要取消这笔交易', null],
    ['human resources mistake', null],
  ])('%j → %s', (text, command) => {
    expect(commandIn(text)).toBe(command);
  });
});
