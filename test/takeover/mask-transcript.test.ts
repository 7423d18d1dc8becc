// The transcript as staff see it before "reveal": the complainant's own details masked wherever they
// appear, as the customer typed them, and digit runs and e-mail addresses in any message.
import { describe, expect, it } from 'vitest';
import { maskTranscriptText, type KnownPersonalData } from '../../services/transcripts/complaint-transcript';

const known: KnownPersonalData = { name: '王秀英', phone: '13800138000', email: 'wang.xy@example.com', referenceNumber: 'P2026-00123456' };

describe('maskTranscriptText', () => {
  it.each([
    ['王秀英', '王*英'],
    ['138 0013 8000', '138****8000'],
    ['手机号：13800138000', '手机号：138****8000'],
    ['138-0013-8000', '138****8000'],
    ['邮箱 wang.xy@example.com 可以', '邮箱 w***@example.com 可以'],
    ['保单号 P2026-00123456', '保单号 ********3456'],
    ['姓名：王秀英\n手机号：13800138000', '姓名：王*英\n手机号：138****8000'],
    ['身份证 110101199003071234 和 other@mail.cn', '身份证 11**************34 和 o***@mail.cn'],
    ['事情大约发生在什么时间？', '事情大约发生在什么时间？'],
    ['8万', '8万'],
  ])('%s → %s', (text, expected) => {
    expect(maskTranscriptText(text, known)).toBe(expected);
  });

  it('works when nothing is known (a complaint without e-mail or reference)', () => {
    expect(maskTranscriptText('我叫李四，电话 13912345678', { name: null, phone: null, email: null, referenceNumber: null })).toBe('我叫李四，电话 13*******78');
  });
});
