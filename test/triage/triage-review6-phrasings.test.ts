// Reputation damage already done with words in between and in variant spellings, indirect self-harm
// and violence, negation over a coordinated list, a regulator heard of and turned down, what someone
// else would have done, an account balance — generalised from the sixth independent set's misses
// (cases.review6.jsonl), written as new phrasings rather than copies of its lines. Pure triage with
// a neutral text analysis, so only the rules decide.
import { describe, expect, it } from 'vitest';
import { judge, rules } from './rules-support';

describe('reputation damage that already happened, with gaps and variants, is L1', () => {
  it.each([
    '这件事已经上了本地新闻，你们还不处理',
    '我的遭遇被都市报报道出来了，你们还装没看见',
    '理赔拖了半年，这事在抖音上已经上了同城热搜',
    '央视的节目已经播出了，你们公司还没人联系我',
    '晚報已經報導過這件事了',
    '我们的事上了报纸，你们不觉得丢人吗',
    '晚报把我爸的理赔纠纷登出来了',
    '新闻都已经报过了，你们还在踢皮球',
    'My story was on the evening news last night and you still have not called me.',
    'The video of your agent made the news and is trending on Douyin.',
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.tier).toBe('L1');
    expect(d.urgent).toBe(true);
    expect(rules(d)).toContain('l1.reputation_damage');
  });

  it.each([
    ['如果这事被报道出来，你们公司名声就完了', 'a condition'],
    ['我在新闻里看到报道过你们公司的理赔服务很好', 'a report the customer read'],
    ['你们的广告在电视上播出了好几次，可理赔就是不给', 'an advert aired'],
    ['我不想这事上了新闻，大家都难看', 'not wanted'],
    ['我在报纸上登了一则寻人启事，能报销吗', 'a notice the customer placed'],
  ])('%s — not (%s)', (text) => {
    expect(rules(judge(text))).not.toContain('l1.reputation_damage');
  });

  it('a threat to go to the media stays a threat (L2)', () => {
    expect(judge('再不赔我就让这事上热搜').tier).toBe('L2');
  });
});

describe('indirect self-harm and violence are urgent', () => {
  it.each([
    "I lost my whole pension on this fund and I don't know if I want to live anymore.",
    "I'm not sure I can keep going like this.",
    'If that agent comes to my door again he will not leave in one piece.',
    '那个经理要是敢再骗我爸，我不敢保证他还能完好无损地回家',
    '他再来我家推销，我就让他横着出去',
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.urgent).toBe(true);
    expect(rules(d)).toContain('urgent.self_harm_or_violence');
  });

  it.each(['I do not know if I can be here at 3pm for the appointment', '我不保证能按时到营业部', 'I don’t know if I want to keep this policy anymore'])(
    '%s — not urgent',
    (text) => {
      expect(judge(text).urgent).toBe(false);
    },
  );
});

describe('negation, options turned down and other people’s hypotheticals', () => {
  it('a negation covers every item of a list joined by or / 或者', () => {
    expect(judge("I won't complain to the regulator or contact the media, just refund the 800 yuan.").tier).toBe('L3');
    expect(judge('我不会起诉或者找媒体，只想把两百块退回来').tier).toBe('L3');
  });

  it('a list without the negation still counts (I will not sue but I will go to the press)', () => {
    expect(rules(judge('I will not sue but I will go to the press'))).toContain('l2.media_threat');
  });

  it('a regulator heard of as an option, then turned down for the company, is no signal', () => {
    expect(judge('据说可以打12378，不过我还是希望先跟你们协商一下').tier).toBe('L3');
    expect(judge("I heard I could complain to the NFRA, but I'd rather sort this out with you.").tier).toBe('L3');
  });

  it('a regulator already called still counts', () => {
    expect(rules(judge('听说可以打12378投诉，我已经打过了'))).toContain('l2.regulator_involved');
  });

  it('what someone else would have done is hypothetical', () => {
    expect(judge('换成别人早就发到微博上曝光了，我只想要个说法').tier).toBe('L3');
    expect(judge('Most people would have gone to the press by now; I just want my claim paid.').tier).toBe('L3');
  });
});

describe('an account balance is not money at stake', () => {
  it('a balance with a question about limits is L3, with no amount', () => {
    expect(judge('账户余额有120万，为什么今天转不出去？')).toMatchObject({ tier: 'L3', amountYuan: null });
    expect(judge('My account balance is 900,000 yuan and I cannot find the transfer limit setting.')).toMatchObject({ tier: 'L3', amountYuan: null });
  });

  it('a balance that was lost is at stake', () => {
    expect(judge('我卡里有70万，昨天被盗刷一空，全没了')).toMatchObject({ tier: 'L1', amountYuan: 700_000 });
  });
});
