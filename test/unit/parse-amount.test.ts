import { describe, expect, it } from 'vitest';
import { extractAmountFromText, parseAmount } from '../../services/intake/parse-amount';

describe('parseAmount: amounts', () => {
  it.each([
    ['8万', 80_000],
    ['8万元', 80_000],
    ['8w', 80_000],
    ['80,000', 80_000],
    ['80000元', 80_000],
    ['８００００元', 80_000], // full-width digits
    ['五十万', 500_000],
    ['1.2万', 12_000],
    ['3千块', 3_000],
    ['两千块钱', 2_000],
    ['¥600,000', 600_000],
    ['￥600,000', 600_000],
    ['RMB 30k', 30_000],
    ['30K', 30_000],
    ['rmb30000', 30_000],
    ['4万9千', 49_000],
    ['4万9', 49_000], // colloquial: the lone digit is the next place down
    ['三万五', 35_000],
    ['一千五', 1_500],
    ['4万零9', 40_009], // 零 makes it literal
    ['4万5000', 45_000],
    ['五十万零一元', 500_001],
    ['一百二十万', 1_200_000],
    ['十五万', 150_000],
    ['两万', 20_000],
    ['壹万贰仟元整', 12_000],
    ['一点五万', 15_000],
    ['1.5 million yuan', 1_500_000],
    ['2 million', 2_000_000],
    ['1亿', 100_000_000],
    ['1亿2000万', 120_000_000],
    ['八千五百', 8_500],
    ['600元', 600],
    ['12.50', 12.5],
    ['12.345', 12.35], // rounded to fen
    ['约8万元', 80_000],
    ['大概8万左右', 80_000],
    ['约 8 万', 80_000],
    ['8万多', 80_000],
    ['about 5000 yuan', 5_000],
    [' 8万。', 80_000],
    ['损失了大概8万块', 80_000], // a sentence naming one amount
    // ranges and orders of magnitude: the lower bound
    ['3-5万', 30_000],
    ['3到5万', 30_000],
    ['30~50w', 300_000],
    ['20-30k', 20_000],
    ['3万到5万', 30_000],
    ['七八万', 70_000], // not 78万
    ['二三十万', 200_000],
    ['十七八万', 170_000],
    ['一百二三十万', 1_200_000],
    ['五六十万', 500_000],
    ['一两万', 10_000],
    ['两三百万', 2_000_000],
    ['7、8万', 70_000],
    ['大概七八千块', 7_000],
    ['几十万', 200_000],
    ['好几万', 30_000],
    ['几百万', 2_000_000],
    ['上百万', 1_000_000],
    ['十几万', 100_000], // a hedge between number and unit: the number
    ['50多万', 500_000],
    ['二十来万', 200_000],
    // amounts in English words
    ['half a million', 500_000],
    ['half a million yuan', 500_000],
    ['a half million', 500_000],
    ['a quarter of a million', 250_000],
    ['quarter of a million yuan', 250_000],
    ['three quarters of a million', 750_000],
    ['a million and a half', 1_500_000],
    ['one and a half million yuan', 1_500_000],
    ['two and a half million', 2_500_000],
    ['a million', 1_000_000],
    ['about a hundred thousand yuan', 100_000],
    ['eighty thousand', 80_000],
    ['twenty-five thousand yuan', 25_000],
    ['two hundred and fifty thousand', 250_000],
    ['one million two hundred thousand', 1_200_000],
    ['fifty yuan', 50], // a currency word makes a small number money
  ])('%s → %d', (input, yuan) => {
    expect(parseAmount(input)).toEqual({ kind: 'amount', yuan });
  });
});

describe('parseAmount: no amount', () => {
  // 不清楚 / 不知道 / unknown are `none` on purpose: the customer cannot give a figure, and asking
  // again would loop; triage treats "no amount" and "unknown amount" alike.
  // `noLoss` tells "there is no loss" (triage takes 0 over amounts in the text) from "don't know".
  it.each(['none', 'No', '0', '0元', '零', '没有', '无', '没', '没有损失', 'no loss'])('%s → none, no loss', (input) => {
    expect(parseAmount(input)).toEqual({ kind: 'none', noLoss: true });
  });
  it.each(['n/a', '不清楚', '不知道', 'unknown', 'Not sure'])('%s → none, unknown', (input) => {
    expect(parseAmount(input)).toEqual({ kind: 'none' });
  });
});

describe('parseAmount: invalid', () => {
  it.each([
    '',
    '   ',
    'abc',
    '-5000',
    '-5万',
    '负5万',
    '¥-600',
    '8万万',
    '万',
    '一二三',
    '80 000', // two numbers
    '8,0000', // misplaced thousands comma
    '2026年11月',
    '13800138000', // a mobile number typed into the wrong field
    '138 0013 8000',
    '1e13',
    '10000亿亿',
    '2万亿', // 2e12 > 1e12
    '8万，不是80万', // two different amounts: ask again
    '买了3份保险',
    'one', // number words without a scale or currency word are no amount
    'fifty',
    'two two thousand', // not one number
    'half a dozen',
    'thanks a million', // hyperbole
  ])('%j → invalid', (input) => {
    expect(parseAmount(input)).toEqual({ kind: 'invalid' });
  });
});

describe('extractAmountFromText', () => {
  it.each<[string, number | null]>([
    ['我损失了8万块钱', 80_000],
    ['lost about 1.5 million yuan on it', 1_500_000],
    ['I lost RMB 30k last month', 30_000],
    ['买了3份保险', null],
    ['2026年11月买的保险，理赔被拒', null], // a date is not money
    ['2026-11-05 我打了电话13800138000没人接', null], // neither is a phone number
    ['电话13800138000，损失3万元', 30_000],
    ['2026年11月损失了8万', 80_000],
    ['先亏了5000元，后来又亏了2万', 20_000], // the largest
    ['保单号P2026001234，损失五十万零一元', 500_001],
    ['我买了5万股，亏了3千元', 3_000], // 5万股 counts shares
    ['三千多人受影响', null],
    ['亏了七八万', 70_000],
    ['损失在30万到50万之间', 300_000],
    ['等了两三天', null], // a range of days is no money
    ['2023-2024年', null],
    ['10-15万股', null], // shares
    ['五六个人', null],
    ['几十个客户', null],
    ['涨了30%', null],
    ['十万火急，请尽快处理', null],
    ['万一再出问题怎么办', null],
    ['千万不要再打电话', null],
    ['十一月份的事', null],
    ['损失￥600,000', 600_000],
    ['亏了大约8万多元', 80_000],
    ['5m away', null], // bare "m" needs a currency word
    ['about ¥2m', 2_000_000],
    ['I lost about 0.6M on that product', 600_000], // a decimal before m: millions
    ['lost 1.2m on it', 1_200_000],
    ['lost 0.8 million', 800_000],
    ['he is 1.8m tall', null], // a length
    ['paid 30kg of rice', null],
    ['亏了一点五万', 15_000],
    ['I lost half a million yuan, exactly 500,000', 500_000],
    ['lost half a million on the fund', 500_000],
    ['we lost a quarter of a million', 250_000],
    ['the loss is a million and a half', 1_500_000],
    ['one yuan over half a million', 500_000], // the largest
    ['one of your agents called me twice', null],
    ['my video got half a million views', null], // a count, not money
    ['I called a million times', null],
    ['I have a million questions', null],
    ['one in a million chance', null],
    ['', null],
  ])('%j → %s', (input, expected) => {
    expect(extractAmountFromText(input)).toBe(expected);
  });
});

describe('parseAmount: Traditional characters, financial numerals and English magnitudes', () => {
  it.each([
    ['三萬多', 30_000], // read like 三万多 (at least 30 000)
    ['兩千塊', 2_000],
    ['一億', 100_000_000],
    ['損失了十五萬元', 150_000],
    ['伍拾万元整', 500_000],
    ['陆拾伍萬元整', 650_000],
    ['壹佰贰拾万元', 1_200_000],
    ['half a million', 500_000],
    ['a quarter million yuan', 250_000],
    ['1.2 million', 1_200_000],
  ])('%s → %d', (text, yuan) => {
    expect(parseAmount(text)).toEqual({ kind: 'amount', yuan });
  });

  it('the largest amount in a Traditional sentence', () => {
    expect(extractAmountFromText('醫療費用折合人民幣三萬多，保額二十萬')).toBe(200_000);
  });
});
