// Traditional Chinese, indirect self-harm and violence, possessive 妈的, journalists only as an
// intention, money demanded back in full and sums insured of a total loss — generalised from the
// fifth independent set's misses (cases.review5.jsonl), written as new phrasings rather than copies
// of its lines. Pure triage with a neutral text analysis, so only the rules decide.
import { describe, expect, it } from 'vitest';
import { judge, rules } from './rules-support';
import { DEFAULT_POLICY } from '../../services/policy/policy';
import type { TriageDecision } from '../../services/triage/triage-types';
import { normalizeText } from '../../services/triage/text';
import { toSimplified } from '../../services/text-analysis/chinese-script';

const reason = (d: TriageDecision, rule: string) => d.reasons.find((r) => r.rule === rule);

describe('Traditional Chinese is read as Simplified before any rule', () => {
  it.each([
    ['我們已經委託律師向法院起訴了', 'l1.legal_dispute'],
    ['這件事已經上了熱搜，好幾家媒體都在報導', 'l1.reputation_damage'],
    ['我們村裡三十多戶都買了這個產品，大家約好一起去你們總部', 'l1.mass_incident'],
    ['你們再不處理，我就去銀保監局投訴', 'l2.regulator_involved'],
  ])('%s → %s', (text, rule) => {
    expect(rules(judge(text))).toContain(rule);
  });

  it('amounts in Traditional characters: 萬, 億, 塊, 兩 (損失了六十萬 → L1)', () => {
    expect(judge('這次一共損失了六十萬')).toMatchObject({ tier: 'L1', amountYuan: 600_000 });
    expect(judge('扣了我兩千塊錢的手續費')).toMatchObject({ tier: 'L3', amountYuan: 2_000 });
    expect(judge('虧損了一億')).toMatchObject({ tier: 'L1', amountYuan: 100_000_000 });
  });

  it('the reasons show the words as read (Simplified)', () => {
    expect(reason(judge('我會寄律師函給你們'), 'l1.legal_dispute')?.words).toContain('律师函');
  });

  it('Simplified text comes back unchanged, so offsets stay where they were', () => {
    const text = '我已经找了律师,下周寄律师函。损失三万多块,什么玩意,特么';
    expect(normalizeText(text)).toBe(text);
  });

  it('every vocabulary term of the policy is left as it is (什么, 特么 stay: no Taiwan variant table)', () => {
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(DEFAULT_POLICY.triage);
    expect(strings.filter((t) => toSimplified(t) !== t)).toEqual([]);
  });

  it('negation still applies to Traditional text (我們不打算起訴 → L3)', () => {
    expect(judge('我們不打算起訴，只想問清楚手續費怎麼算的').tier).toBe('L3');
  });
});

describe('self-harm, indirect: urgent, at least L2', () => {
  it.each([
    'honestly i dont want to live anymore after losing everything',
    'I no longer want to be alive, this pension was all I had',
    "I've been thinking about ending it all since the fund collapsed",
    'cant go on like this, im done with life',
    'I stood on the balcony last night and nearly did something stupid',
    "sometimes I think I'll just jump off the roof of my building",
    '这笔钱没了，我真的活不下去了',
    '我老公这几天一直说不想再活了',
    '每天晚上爬上天台往下看，想着干脆就这样算了',
    '我怕我妈一时想不开做出傻事来',
    '我真怕他会干出什么傻事来',
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.urgent).toBe(true);
    expect(['L1', 'L2']).toContain(d.tier);
    expect(rules(d)).toContain('urgent.self_harm_or_violence');
  });

  it('the reason names the despair words and the self-harm context of 算了', () => {
    const d = judge('站在楼顶往下望了很久，想着要不就这样算了');
    expect(reason(d, 'urgent.self_harm_or_violence')?.words).toEqual(expect.arrayContaining(['楼顶往下望']));
  });

  it.each([
    '我不会想不开的，你们放心，就是想把钱要回来',
    '我不会做傻事的，只想要个说法',
    "I'm not going to kill myself over this, I just want my refund",
    // 算了 without any self-harm context is giving up the complaint, not despair.
    '你们不处理的话这事就这样算了吧，我也累了',
    '算了算了，这点钱我不要了',
    '要不就这样算了，手续费我认了',
  ])('not self-harm: %s', (text) => {
    const d = judge(text);
    expect(rules(d)).not.toContain('urgent.self_harm_or_violence');
    expect(d.urgent).toBe(false);
  });
});

describe('violence, indirect: urgent, at least L2', () => {
  it.each([
    '那个业务员要是再躲着我，我可不敢保证自己会做出什么事',
    '真把我逼急了，我什么事都干得出来',
    '别让我在小区门口撞见那个骗子',
    '我一定会让那个客户经理付出代价',
    "If he keeps lying to me I can't promise what I'll do",
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.urgent).toBe(true);
    expect(rules(d)).toContain('urgent.self_harm_or_violence');
  });

  it.each([
    // An idiom: "I never want to see him again".
    '别让我再见到他，这种业务员太坑人了',
    // Against the company it is a threat (legal, media), not violence: L2, not urgent.
    '我会让你们付出代价的',
    '再不处理，后果自负',
    "I can't say what I will do with the payout yet",
  ])('a threat, not violence: %s', (text) => {
    const d = judge(text);
    expect(rules(d)).not.toContain('urgent.self_harm_or_violence');
    expect(d.urgent).toBe(false);
  });
});

describe('妈的: possessive or expletive', () => {
  it.each(['我妈的医保卡丢了，想补办', '她妈的保单到期了，能续保吗', '我们妈的养老保险要改受益人'])('possessive, no insult: %s', (text) => {
    expect(rules(judge(text))).not.toContain('l2.insult');
  });

  it.each(['你妈的，钱到底什么时候退', '他妈的，等了三个月还没到账', '这破公司，妈的'])('expletive, an insult: %s', (text) => {
    expect(rules(judge(text))).toContain('l2.insult');
  });
});

describe('a journalist as an intention is a media threat, not reputation damage', () => {
  it.each(['我打算联系报社的记者把这事说清楚', '实在不行我就去请电视台记者来看看', '下周我叫几个记者朋友过来'])('L2: %s', (text) => {
    const d = judge(text);
    expect(d.tier).toBe('L2');
    expect(rules(d)).toContain('l2.media_threat');
    expect(rules(d)).not.toContain('l1.reputation_damage');
  });

  it.each(['电视台的记者上周已经来采访过我了', '我找了晚报的记者，稿子都写好了', '记者昨天来拍了，节目周末播', '我找的记者明天就发稿'])('L1, already happened: %s', (text) => {
    expect(rules(judge(text))).toContain('l1.reputation_damage');
  });
});

describe('money demanded back in full is what is at stake', () => {
  it('a premium of 70万 demanded back in full, though a surrender pays 三成 → 70万, L1', () => {
    const d = judge('当初一次性趸交了70万，现在退保只给三成，我要求你们把这70万全额退还');
    expect(d).toMatchObject({ tier: 'L1', amountYuan: 700_000 });
    expect(reason(d, 'l1.amount_above_l1')?.detail).toContain('demands back in full');
  });

  it('the demand in another clause: the amount paid is at stake (交了60万…把钱全部还给我 → L1)', () => {
    expect(judge('存了60万进去，现在只能拿回一半。我就要你们把钱全部还给我')).toMatchObject({ tier: 'L1', amountYuan: 600_000 });
  });

  it('in English: a full refund of the amount paid', () => {
    expect(judge('I paid 650,000 yuan in premiums and I want a full refund of 650,000 yuan')).toMatchObject({ tier: 'L1', amountYuan: 650_000 });
  });

  it('without a full-refund demand the share rule still applies (存了60万，只能拿回一半 → 30万, L2)', () => {
    expect(judge('存了60万进去，现在只能拿回一半')).toMatchObject({ tier: 'L2', amountYuan: 300_000 });
  });
});

describe('amounts: financial numerals, English magnitudes, suspended funds, total losses', () => {
  it('a sum insured in 大写 numerals with a total loss: the sum insured is at stake (陆拾万元整 → L1)', () => {
    const d = judge('车辆已被认定推定全损，保险金额陆拾万元整，至今还在走流程');
    expect(d).toMatchObject({ tier: 'L1', amountYuan: 600_000 });
    expect(reason(d, 'l1.amount_above_l1')?.detail).toContain('total loss');
  });

  it('a sum insured with no claim trouble is still not a loss (保险金额伍拾万元整, no total loss → no amount)', () => {
    expect(judge('保险金额伍拾万元整，想问下续保要交多少').amountYuan).toBeNull();
  });

  it('an English written-off car: the sum insured is at stake', () => {
    expect(judge('My car was written off, sum insured of 300,000 yuan, and nothing has happened in two months')).toMatchObject({ tier: 'L2', amountYuan: 300_000 });
  });

  it.each([
    ['I invested a quarter million yuan and the fund suspended redemptions in March', 250_000, 'L2'],
    ['I put 1.2 million yuan into your product and now I cannot redeem it', 1_200_000, 'L1'],
    ['投了六十万的私募，现在暂停赎回了', 600_000, 'L1'],
  ])('a principal in a fund that cannot be redeemed is at stake: %s', (text, yuan, tier) => {
    expect(judge(text)).toMatchObject({ tier, amountYuan: yuan });
  });
});
