import { describe, expect, it } from 'vitest';
import { analyzeLocally, createLocalAnalyzer } from '../../services/text-analysis/local-analyzer';
import { guessLanguage } from '../../services/text-analysis/local-language';
import { findLocalPii, isLuhnValid, isValidResidentId } from '../../services/text-analysis/local-pii';
import { scoreSentiment } from '../../services/text-analysis/local-sentiment';

/** GB 11643 check character for the first 17 digits (written independently of the code under test). */
function withCheckChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
}
/** Appends the Luhn check digit. */
function withLuhnDigit(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = body + d;
    const sum = [...candidate].reverse().reduce((acc, ch, i) => {
      let n = Number(ch);
      if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
      return acc + n;
    }, 0);
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}
const otherLastDigit = (s: string) => s.slice(0, -1) + (s.endsWith('1') ? '2' : '1');

describe('local analyzer: language', () => {
  it.each([
    ['理赔申请提交一个月还没有处理，请尽快处理', 'zh'],
    ['APP登录不了，一直提示error 500，请处理', 'zh'],
    ['My claim has not been processed for a month.', 'en'],
    ['Please call me back', 'en'],
    ['13800138000', 'unknown'],
    ['！！！', 'unknown'],
    ['', 'unknown'],
    ['ok', 'unknown'],
    ['保険金の請求がまだ処理されていません', 'unknown'],
    ['Моя заявка не обработана уже месяц', 'unknown'],
  ])('%j → %s', (text, expected) => {
    expect(guessLanguage(text)).toBe(expected);
  });

  it('uses the hint only when the text cannot tell', () => {
    expect(analyzeLocally('13800138000', { languageHint: 'zh' }).language).toBe('zh');
    expect(analyzeLocally('理赔太慢了', { languageHint: 'en' }).language).toBe('zh');
  });
});

describe('local analyzer: sentiment', () => {
  const zh = {
    calm: '理赔申请提交一个月还没有处理，请尽快处理',
    annoyed: '理赔拖了一个月还没处理，太慢了，很失望',
    enraged: '你们这群骗子！！！气死我了，垃圾公司',
  };
  const en = {
    calm: 'I submitted my claim a month ago and it has still not been processed. Please process it as soon as possible.',
    annoyed: "This is really frustrating. I've waited a month and nobody has called me back. Very disappointed.",
    enraged: 'You are SCAMMERS!!! This is OUTRAGEOUS, absolutely disgusting. Liars!',
  };

  it.each([
    ['zh', zh],
    ['en', en],
  ])('%s: calm < annoyed < enraged, calm under 0.6, enraged at least 0.85', (_lang, t) => {
    const calm = scoreSentiment(t.calm);
    const annoyed = scoreSentiment(t.annoyed);
    const enraged = scoreSentiment(t.enraged);
    expect(calm.negative).toBeLessThan(0.6);
    expect(['neutral', 'negative']).toContain(calm.label);
    expect(annoyed.negative).toBeGreaterThan(calm.negative);
    expect(annoyed.negative).toBeLessThan(0.85);
    expect(annoyed.label).toBe('negative');
    expect(enraged.negative).toBeGreaterThan(annoyed.negative);
    expect(enraged.negative).toBeGreaterThanOrEqual(0.85);
    expect(enraged.label).toBe('negative');
  });

  it.each([
    '理赔申请提交一个月还没有处理，请尽快处理',
    '请问我的保单什么时候生效？',
    'Could you please tell me the status of my claim?',
    '我想咨询一下退保的流程，谢谢',
  ])('polite or factual text stays below 0.5 negative: %s', (text) => {
    const s = scoreSentiment(text);
    expect(s.negative).toBeLessThan(0.5);
    expect(s.label === 'neutral' || s.label === 'positive').toBe(true);
  });

  it.each([
    '谢谢你们的帮助，问题已经解决了，很满意',
    'Thank you, the agent was very helpful and professional.',
  ])('thanks and praise are positive: %s', (text) => {
    expect(scoreSentiment(text).label).toBe('positive');
  });

  it('scores always sum to 1 and stay within [0, 1]', () => {
    for (const text of [...Object.values(zh), ...Object.values(en), '', '!!!', '谢谢！！！', '服务不错但是理赔太慢了']) {
      const s = scoreSentiment(text);
      expect(s.positive + s.neutral + s.negative).toBeCloseTo(1, 9);
      for (const v of [s.positive, s.neutral, s.negative]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });

  it('intensifiers strengthen, negation flips', () => {
    expect(scoreSentiment('服务非常差').negative).toBeGreaterThan(scoreSentiment('服务差').negative);
    expect(scoreSentiment('the service was very bad').negative).toBeGreaterThan(scoreSentiment('the service was bad').negative);
    expect(scoreSentiment('我对处理结果不满意').label).toBe('negative');
    expect(scoreSentiment('我对处理结果满意').label).toBe('positive');
    expect(scoreSentiment('我对处理结果不太满意').label).toBe('negative');
    expect(scoreSentiment('the agent was not helpful').label).toBe('negative');
    expect(scoreSentiment('the agent was helpful').label).toBe('positive');
    expect(scoreSentiment('not bad').negative).toBe(0);
  });

  it('exclamation marks and ALL-CAPS add intensity', () => {
    expect(scoreSentiment('太慢了！！！').negative).toBeGreaterThan(scoreSentiment('太慢了').negative);
    expect(scoreSentiment('this is unacceptable!!!').negative).toBeGreaterThan(scoreSentiment('this is unacceptable').negative);
    expect(scoreSentiment('this is UNACCEPTABLE').negative).toBeGreaterThan(scoreSentiment('this is unacceptable').negative);
    expect(scoreSentiment('WHERE IS MY MONEY').negative).toBeGreaterThan(scoreSentiment('where is my money').negative);
  });

  it('words that merely contain a lexicon character are not counted', () => {
    // 操作 (operation), 差额 (difference), 滚动 (rolling), 负责人 (person in charge)
    expect(scoreSentiment('请帮我操作一下差额退款，负责人说会滚动处理').negative).toBe(0);
  });

  it('is fast: well under 5 ms per typical complaint', () => {
    const text = '你们这群骗子！！！理赔申请提交一个月还没有处理，客服态度恶劣，电话13800138000，身份证11010519491231002X。'.repeat(3);
    analyzeLocally(text); // warm up
    const runs = 200;
    const started = performance.now();
    for (let i = 0; i < runs; i++) analyzeLocally(text);
    expect((performance.now() - started) / runs).toBeLessThan(5);
  });
});

describe('local analyzer: PII', () => {
  const validId = '11010519491231002X';
  const validId2 = withCheckChar('44030619900307123');
  const validCard16 = withLuhnDigit('622202123456789');
  const validCard19 = withLuhnDigit('621700000000000001');

  it('accepts resident ID numbers with a correct check character and a real birth date', () => {
    expect(isValidResidentId(validId)).toBe(true);
    expect(isValidResidentId(validId.toLowerCase())).toBe(true);
    expect(isValidResidentId(validId2)).toBe(true);
    expect(isValidResidentId(otherLastDigit(validId2))).toBe(false); // wrong check digit
    expect(isValidResidentId('110105194912310021')).toBe(false); // X expected
    expect(isValidResidentId(withCheckChar('11010519491331002'))).toBe(false); // month 13
    expect(isValidResidentId(withCheckChar('11010519490230002'))).toBe(false); // 30 February
    expect(isValidResidentId(withCheckChar('11010518800101002'))).toBe(false); // born before 1900
    expect(isValidResidentId(withCheckChar('11010529990101002'))).toBe(false); // born in the future
    expect(isValidResidentId(withCheckChar('99010519491231002'))).toBe(false); // no such province
  });

  it('checks bank cards with Luhn', () => {
    expect(isLuhnValid(validCard16)).toBe(true);
    expect(isLuhnValid(validCard19)).toBe(true);
    expect(isLuhnValid('4111 1111 1111 1111')).toBe(true);
    expect(isLuhnValid(otherLastDigit(validCard16))).toBe(false);
  });

  it.each([
    ['电话13800138000', '13800138000'],
    ['电话 138 0013 8000。', '138 0013 8000'],
    ['电话138-0013-8000，', '138-0013-8000'],
    ['call +86 139 1234 5678 please', '+86 139 1234 5678'],
    ['call +8613912345678', '+8613912345678'],
    ['(+86)15912345678', '(+86)15912345678'],
    ['0086-18612345678', '0086-18612345678'],
  ])('finds the mobile number in %j', (text, phone) => {
    const pii = findLocalPii(text);
    expect(pii).toEqual([{ category: 'PhoneNumber', sourceCategory: 'PhoneNumber', offset: text.indexOf(phone), length: phone.length }]);
  });

  it.each([
    ['not a mobile prefix', '电话12800138000'],
    ['too long', '编号138001380001'],
    ['landline', '电话010-62345678'],
    ['inside a longer digit run', '保单号2023138001380001'],
  ])('finds no phone: %s', (_why, text) => {
    expect(findLocalPii(text).filter((e) => e.category === 'PhoneNumber')).toEqual([]);
  });

  it('finds ID numbers only when valid, and never a phone inside one', () => {
    const text = `身份证${validId2}，错的${otherLastDigit(validId2)}`;
    const pii = findLocalPii(text);
    expect(pii).toEqual([{ category: 'ChineseIdCard', sourceCategory: 'ChineseIdCard', offset: 3, length: 18 }]);
    expect(findLocalPii(`身份证 110105 19491231 002X`)).toMatchObject([{ category: 'ChineseIdCard', offset: 4, length: 20 }]);
  });

  it('finds Luhn-valid bank cards (with or without spaces), not invalid ones, and never calls them phones', () => {
    const spaced = validCard19.replace(/(\d{4})(?=\d)/g, '$1 ');
    const text = `卡号${validCard16}，另一张${spaced}，错的${otherLastDigit(validCard16)}`;
    const pii = findLocalPii(text);
    expect(pii.map((e) => e.category)).toEqual(['BankCard', 'BankCard']);
    expect(pii[0]).toMatchObject({ offset: 2, length: 16 });
    expect(pii[1]).toMatchObject({ offset: text.indexOf(spaced), length: spaced.length });
  });

  it('finds e-mail addresses, including one made of a phone number', () => {
    const text = '邮箱zhang.san+ins@example.com.cn，或13800138000@qq.com。';
    const pii = findLocalPii(text);
    expect(pii.map((e) => [e.category, text.slice(e.offset, e.offset + e.length)])).toEqual([
      ['Email', 'zhang.san+ins@example.com.cn'],
      ['Email', '13800138000@qq.com'],
    ]);
  });

  it('redaction keeps the length and removes every value', () => {
    const values = ['13800138000', validId, validCard16, 'li.si@example.com', '+86 139 1234 5678'];
    const text = `我叫李四，手机${values[0]}，身份证${values[1]}，银行卡${values[2]}，邮箱${values[3]}，备用${values[4]}。气死我了！`;
    const analysis = analyzeLocally(text);
    expect(analysis.pii.map((e) => e.category)).toEqual(['PhoneNumber', 'ChineseIdCard', 'BankCard', 'Email', 'PhoneNumber']);
    expect(analysis.redactedText).toHaveLength(text.length);
    for (const v of values) expect(analysis.redactedText).not.toContain(v);
    expect(analysis.redactedText).not.toMatch(/\d{4}/);
    expect(analysis.redactedText.startsWith('我叫李四，手机***********，身份证')).toBe(true);
    expect(analysis.redactedText.endsWith('。气死我了！')).toBe(true);
  });

  it('offsets are UTF-16 code units, also after emoji', () => {
    const text = '😡😡电话13800138000';
    const [phone] = findLocalPii(text);
    expect(phone).toMatchObject({ offset: 6, length: 11 });
    expect(analyzeLocally(text).redactedText).toBe('😡😡电话***********');
  });
});

describe('createLocalAnalyzer', () => {
  it('answers the TextAnalysis shape with analyzer "local" and no opinions', async () => {
    const analyzer = createLocalAnalyzer();
    expect(analyzer.name).toBe('local');
    const a = await analyzer.analyze('客服态度太差，电话13800138000');
    expect(a).toMatchObject({ language: 'zh', analyzer: 'local', opinions: [], redactedText: '客服态度太差，电话***********' });
    expect(a.sentiment.label).toBe('negative');
    expect(a.fallbackReason).toBeUndefined();
  });
});
