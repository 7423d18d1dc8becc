// The transcript redactor, as a table: what a customer (or agent) types → what the transcript keeps.
import { describe, expect, it } from 'vitest';
import { redactPersonalData } from '../../services/transcripts/redact-personal-data';

describe('redactPersonalData', () => {
  it.each([
    // Mobile numbers: first three and last four kept, however they are written.
    ['我的手机号是13812345678', '我的手机号是138****5678'],
    ['电话 138 1234 5678，或者 +86 139-8765-4321', '电话 138****5678，或者 139****4321'],
    ['call me on 0086 13812345678', 'call me on 138****5678'],
    // Resident ID numbers with a valid check digit (and with spaces); a wrong check digit is still a long number.
    ['身份证号110101199003074514', '身份证号[身份证号]'],
    ['ID 110101 19900307 4514 ok', 'ID [身份证号] ok'],
    ['身份证 11010119900307451X', '身份证 [账号]'],
    // Bank cards (Luhn), in one run or in groups.
    ['退款到卡 6222020200112233446 谢谢', '退款到卡 [银行卡号] 谢谢'],
    ['card 4111 1111 1111 1111', 'card [银行卡号]'],
    // E-mail addresses, also when the local part is a phone number.
    ['邮箱 wang.xy@example.com 或 13800138000@qq.com', '邮箱 [邮箱] 或 [邮箱]'],
    // Policy / contract / account numbers after the word that names them, or long enough on their own.
    ['保单号：P2026-00123', '保单号：[账号]'],
    ['我的资金账户是 880012345', '我的资金账户是 [账号]'],
    ['合同编号HT-2025-778812', '合同编号[账号]'],
    ['policy no. AB123456 was cancelled', 'policy no. [账号] was cancelled'],
    ['座机 010-62345678', '座机 [账号]'],
    ['参考号 ZX88776655', '参考号 [账号]'],
  ])('%s → %s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it.each([
    // What is not personal data stays as typed, so the conversation still reads.
    '您的投诉编号是 TS20261128-000123，预计 2026年12月5日 前答复',
    '损失大约 50000 元，9:30 到的营业部，排了 2 个小时',
    '保单号是多少？我不记得了',
    '账户被冻结了 3 天',
    'Your complaint number is TS20261128-000042.',
    '',
  ])('keeps %j', (text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  it('is idempotent: redacting twice changes nothing more', () => {
    const once = redactPersonalData('王先生 13812345678，保单号 P2026-00123，卡 6222020200112233446，邮箱 a@b.cn');
    expect(redactPersonalData(once)).toBe(once);
    expect(once).toBe('王先生 138****5678，保单号 [账号]，卡 [银行卡号]，邮箱 [邮箱]');
  });
});
