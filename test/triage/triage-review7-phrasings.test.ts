// Arson, explosives and dying together, indirect self-harm, a story an outlet already ran, a crowd
// with a banner, a suggestion turned down as not worth the hassle, company text quoted by the
// customer, someone else's counterfactual over a clause break, a negated 想不开 and a company's
// headcount — generalised from the seventh independent set's misses (cases.review7.jsonl), written as
// new phrasings rather than copies of its lines. Pure triage with a neutral text analysis, so only
// the rules decide.
import { describe, expect, it } from 'vitest';
import { judge, rules } from './rules-support';

describe('threats of arson, explosives and dying together are urgent', () => {
  it.each([
    '汽油我已经准备好了，明天就去你们营业部',
    '我拎着两桶柴油在你们楼下，谁也别想走',
    '再不给钱我就往你们大厅浇汽油',
    '信不信我一把火把你们网点烧了',
    '我要在你们总部门口自焚',
    '你们不赔，咱们就一起死',
    '反正我也活不长了，拉上那个业务员垫背',
    '逼急了大家都别活了',
    '我买了炸药，说到做到',
    'I have bought a jerry can of petrol and I know where your branch is.',
    'Keep ignoring me and I will set fire to your office.',
    "If I lose my house I'm taking all of you down with me.",
    "I'll plant a bomb in your lobby.",
    '我身上绑着煤气罐，就在你们楼下',
    '汽油瓶我早就准备好了',
    'One more refusal and I will blow the whole office up.',
    'I will douse myself in gasoline in front of your counter.',
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.urgent).toBe(true);
    expect(rules(d)).toContain('urgent.self_harm_or_violence');
  });

  it.each([
    ['车险理赔单上的汽油费为什么不报销', 'fuel on a claim'],
    ['我在加油站加满了汽油，车就在路上坏了', 'filling up'],
    ['我的车是汽油车，保费为什么和柴油车一样', 'a petrol car'],
    ['The petrol station receipt is attached to the claim.', 'a receipt'],
    ['我站在天台上晾衣服的时候摔了，意外险赔吗', 'a fall from a roof'],
  ])('%s — not urgent (%s)', (text) => {
    expect(judge(text).urgent).toBe(false);
  });
});

describe('indirect self-harm is urgent, negated self-harm is not', () => {
  it.each([
    '钱没了，我真的看不到活下去的希望',
    '等我死了，你们公司就开心了',
    '遗书我都写好了',
    'Honestly there is no reason left to live after losing it all.',
    'My family would be better off without me.',
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.urgent).toBe(true);
    expect(rules(d)).toContain('urgent.self_harm_or_violence');
  });

  it.each(['为了三百块钱我还犯不着想不开，就问问进度', '我还不至于因为这次拒赔就做傻事'])('%s — not urgent', (text) => {
    expect(judge(text).urgent).toBe(false);
  });
});

describe('a story already run is reputation damage (L1)', () => {
  it.each([
    '澎湃新闻前天已经把这事报道出来了',
    '文章昨天已经发出来了，你们还不联系我',
    '这事在朋友圈都传遍了',
    'The Global Times published the story on Monday.',
    'The article is out and my neighbours have all read it.',
    'A blogger with two million followers wrote about my case last night.',
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.tier).toBe('L1');
    expect(rules(d)).toContain('l1.reputation_damage');
  });

  it.each([
    ['你们公众号发了一篇理赔指南，我照着做还是不行', 'the company’s own post'],
    ['I read the article about your new fund and bought it.', 'an article the customer read'],
  ])('%s — not (%s)', (text) => {
    expect(rules(judge(text))).not.toContain('l1.reputation_damage');
  });
});

describe('a crowd with a banner or a sit-in at the branch is a mass incident (L1)', () => {
  it.each([
    '好几十个老股民举着横幅在你们总部楼下',
    '三十多位受骗的老人已经聚集在营业部大厅',
    'About thirty pensioners are holding banners outside your Nanjing branch.',
    'We are staging a sit-in in your lobby until someone senior comes.',
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.tier).toBe('L1');
    expect(rules(d)).toContain('l1.mass_incident');
  });

  it.each([
    ['你们营业部门口的促销横幅写着保本，结果亏了两千', 'the company’s advert'],
    ['我们是一家三十多人的小贸易公司，团险发票抬头写错了', 'a company’s headcount'],
    ['给公司二十多名员工投保的团体意外险，保单什么时候寄出', 'employees insured'],
    ['We are a company of 40 employees and need the group policy invoice reissued.', 'a headcount in English'],
  ])('%s — not (%s)', (text) => {
    expect(rules(judge(text))).not.toContain('l1.mass_incident');
  });
});

describe('suggestions turned down, company text quoted, other people’s counterfactuals', () => {
  it('a suggestion to sue turned down as not worth the hassle is no legal dispute', () => {
    expect(rules(judge('我有个律师朋友建议我起诉，但我懒得折腾，只想把保单改回来'))).not.toContain('l1.legal_dispute');
    expect(rules(judge('My brother said I should sue you, but honestly it is not worth the hassle.'))).not.toContain('l1.legal_dispute');
  });

  it('a suggestion to sue that the customer takes up still counts', () => {
    expect(rules(judge('一个做律师的朋友说可以起诉，我已经让他写起诉状了'))).toContain('l1.legal_dispute');
  });

  it('12378 quoted from the company’s SMS or agent is not the customer complaining', () => {
    expect(judge('你们短信里写着"如有疑问可致电12378"，我就想问问这个保单怎么续').tier).toBe('L3');
    expect(judge('Your text said "complaints may also be made to the NFRA" but I only want to update my address.').tier).toBe('L3');
  });

  it('12378 the customer says they called still counts, quoted or not', () => {
    expect(rules(judge('我跟客服说"我已经打了12378"，她就挂了'))).toContain('l2.regulator_involved');
  });

  it('what would have happened to a celebrity is hypothetical', () => {
    expect(judge('如果是明星遇到这种事，估计早就上新闻了吧，我就想问下进度').tier).toBe('L3');
  });
});

describe('quotations: whose words they are', () => {
  it('an agent’s taunt quoted by the customer is not the customer going to court', () => {
    expect(rules(judge('客服告诉我：“有本事你去告我们啊”，这是什么态度'))).not.toContain('l1.legal_dispute');
  });

  it('a threat the customer puts in quotes is still theirs', () => {
    expect(rules(judge('如果你们不处理，我就"去12378投诉"'))).toContain('l2.regulator_involved');
  });
});
