// Which first messages are complaints about how a complaint is handled (R-SUPERVISION), and which
// are not (a complaint about the business, the status check, how complaints are handled).
import { describe, expect, it } from 'vitest';
import { detectMenuIntent } from '../../dialogs/menu-intent';
import { isHandlingComplaint } from '../../services/supervision/detect-handling-complaint';

const HANDLING: string[] = [
  '我要投诉处理人员',
  '投诉处理人员',
  '我要投诉你们的处理人员',
  '投诉经办人',
  '处理太慢',
  '处理得太慢了',
  '你们处理太慢了！',
  '我的投诉处理得太慢了',
  '对处理不满意',
  '我对你们的处理结果很不满意',
  '对投诉处理不满',
  '处理结果让我很不满意',
  '投诉处理不当',
  '我要投诉处理人员 TS20261128-000042',
  'complain about the handling',
  'I want to complain about the handling of my complaint',
  'complaint about how my complaint is handled',
  'I want to make a complaint about how my complaint was handled',
  'I am unhappy with how my complaint is being handled',
  'not happy with the handling',
  'the handling is too slow',
  'My complaint is being handled too slowly',
];

const NOT_HANDLING: [string, ReturnType<typeof detectMenuIntent>][] = [
  ['我要投诉', 'file'],
  ['理赔处理太慢，三个月了还没赔', null], // about claims, not complaint handling: the menu is shown
  ['理赔处理太慢，我要投诉', 'file'],
  ['我要投诉理赔员态度差', 'file'],
  ['投诉处理流程是什么', 'info'],
  ['投诉时限是多久', 'info'],
  ['查询投诉进度', 'status'],
  ['TS20261128-000042', 'status'],
  ['I want to complain', 'file'],
  ['complaint about my claim', 'file'],
  ['how are complaints handled', 'info'],
  ['转人工', 'person'],
  ['你好', null],
  ['', null],
];

describe('isHandlingComplaint / the handling intent', () => {
  it.each(HANDLING)('"%s" is a complaint about handling', (text) => {
    expect(isHandlingComplaint(text)).toBe(true);
    expect(detectMenuIntent(text)).toBe('handling');
  });

  it.each(NOT_HANDLING)('"%s" is not (menu intent %s)', (text, intent) => {
    expect(isHandlingComplaint(text)).toBe(false);
    expect(detectMenuIntent(text)).toBe(intent);
  });
});
