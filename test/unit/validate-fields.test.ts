import { describe, expect, it } from 'vitest';
import {
  isSkipAnswer,
  normalizeDescription,
  normalizeEmail,
  normalizeMainlandMobile,
  normalizePersonName,
  normalizeReferenceNumber,
} from '../../services/intake/validate-fields';

describe('normalizeMainlandMobile', () => {
  it.each<[string, string | null]>([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['86-13800138000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['(+86) 199 1234 5678', '19912345678'],
    ['１３８００１３８０００', '13800138000'],
    ['  13800138000  ', '13800138000'],
    ['12800138000', null], // second digit 2 is not a mobile prefix
    ['1380013800', null], // 10 digits
    ['138001380001', null], // 12 digits
    ['+85213800138000', null], // Hong Kong country code
    ['010-12345678', null], // landline
    ['1380013800a', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeMainlandMobile(input)).toBe(expected);
  });
});

describe('normalizeEmail', () => {
  it.each<[string, string | null]>([
    ['zhang.san@Example.COM', 'zhang.san@example.com'],
    ['  Mary.ONeil@QQ.com ', 'Mary.ONeil@qq.com'], // local part keeps its case
    ['li+complaints@mail.163.com', 'li+complaints@mail.163.com'],
    ['wang＠example.cn', 'wang@example.cn'], // full-width ＠ from a Chinese IME
    ['no-at-sign.example.com', null],
    ['@example.com', null],
    ['user@', null],
    ['user@localhost', null],
    ['two@@example.com', null],
    ['with space@example.com', null],
    [`${'a'.repeat(65)}@example.com`, null], // local part > 64
    [`a@${'b'.repeat(250)}.com`, null], // > 254 overall
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });
});

describe('normalizeReferenceNumber', () => {
  it.each<[string, string | null]>([
    ['P2026001234', 'P2026001234'],
    ['p2026 0012 34', 'P2026001234'], // spaces dropped, upper-cased
    ['HT-2026-000123', 'HT-2026-000123'],
    ['6222 0212 3456 7890', '6222021234567890'],
    ['ＰＡ１２３４５６', 'PA123456'], // full-width
    ['ABC123', null], // only 3 digits
    ['A1234', null], // 5 chars
    ['1'.repeat(33), null],
    ['-12345678', null], // leading hyphen
    ['12--345678', null],
    ['12345/678', null],
    ['保单123456', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeReferenceNumber(input)).toBe(expected);
  });
});

describe('normalizePersonName', () => {
  it.each<[string, string | null]>([
    ['张三', '张三'],
    [' 欧阳娜娜 ', '欧阳娜娜'],
    ['Mary O\'Neil', 'Mary O\'Neil'],
    ['Mary O’Neil', 'Mary O’Neil'],
    ['Jean-Luc  Picard', 'Jean-Luc Picard'], // inner spaces collapsed
    ['阿卜杜·热合曼', '阿卜杜·热合曼'],
    ['阿卜杜•热合曼', '阿卜杜·热合曼'], // bullet from some keyboards becomes the middle dot
    ['阿卜杜・热合曼', '阿卜杜·热合曼'], // katakana middle dot too
    ['J. R. Smith', 'J. R. Smith'],
    ['李', '李'],
    ['张三1', null],
    ['张三３', null], // full-width digit
    ['www.example.com', null],
    ['http://spam', null],
    ['spam.cn', null],
    ['张三@qq', null],
    ['·张三', null],
    ['x'.repeat(41), null],
    ['   ', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizePersonName(input)).toBe(expected);
  });
});

describe('normalizeDescription', () => {
  it.each<[string, string | null]>([
    ['理赔太慢了', '理赔太慢了'], // 5 CJK characters are enough
    ['  理赔太慢了  ', '理赔太慢了'],
    ['too slow', 'too slow'],
    ['理赔太慢', null], // 4
    ['slow', null],
    ['.....', null], // punctuation only
    ['😡😡😡😡', null], // 4 code points, 8 UTF-16 units
    ['好'.repeat(2000), '好'.repeat(2000)],
    ['好'.repeat(2001), null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeDescription(input)).toBe(expected);
  });
});

describe('isSkipAnswer', () => {
  it.each(['跳过', '无', '没有', '不填', 'skip', 'SKIP', ' Skip ', 'none', 'No', 'n/a', 'N/A', 'ｓｋｉｐ', 'Ｎ／Ａ', '跳过。', 'none.'])(
    '%j → true',
    (input) => {
      expect(isSkipAnswer(input)).toBe(true);
    },
  );
  it.each(['', '张三', '13800138000', 'not now', 'skipping', '没有问题吧？', '无法'])('%j → false', (input) => {
    expect(isSkipAnswer(input)).toBe(false);
  });
});
