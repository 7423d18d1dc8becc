// The ways customers phrase money at stake, ranges, groups of households, violence and turned-down
// suggestions — generalised from the fourth independent set's misses (cases.review4.jsonl), written
// as new phrasings rather than copies of its lines. Pure triage with a neutral text analysis, so
// only the rules decide.
import { describe, expect, it } from 'vitest';
import { judge, rules } from './rules-support';
import type { TriageDecision } from '../../services/triage/triage-types';
import { factsOf, parseJsonLine, triageInputSchema } from '../../services/triage/cases';

const reason = (d: TriageDecision, rule: string) => d.reasons.find((r) => r.rule === rule);

describe('money at stake when no loss amount is stated', () => {
  it('a deposit of which only a share comes back: the rest is the loss (150万, 三成 back → 105万, L1)', () => {
    const d = judge('当时存进去150万，说是跟存款一样，现在退保只拿到三成');
    expect(d).toMatchObject({ tier: 'L1', urgent: true, amountYuan: 1_050_000 });
    expect(reason(d, 'l1.amount_above_l1')?.words).toEqual(['150万 × 70% (退保只拿到三成)']);
  });

  it('premiums paid of which half is refunded: half is the loss (九十万 → 45万, L2 not L1)', () => {
    expect(judge('我妈交了二十年保费，一共九十万，退保只给了一半')).toMatchObject({ tier: 'L2', amountYuan: 450_000 });
  });

  it.each([
    ['重疾险保额七十万，确诊都三个月了，一分钱都没赔', 'L1', 700_000],
    ['保额四十万，理赔材料交齐两个月了，到现在也没赔', 'L2', 400_000],
    ["My critical illness cover has a sum insured of 800k and you still haven't paid a cent.", 'L1', 800_000],
  ] as const)('an unpaid claim puts the sum insured at stake: %s → %s', (text, tier, yuan) => {
    const d = judge(text);
    expect(d).toMatchObject({ tier, amountYuan: yuan });
    expect(d.reasons.find((r) => r.score === yuan)?.detail).toContain('sum insured');
  });

  it('a sum insured without a refused or unpaid claim is still no loss', () => {
    expect(judge('保额100万的寿险，想改一下受益人')).toMatchObject({ tier: 'L3', amountYuan: null });
  });

  it('an explicit loss amount wins over the deposit it came from', () => {
    expect(judge('存了120万，退保损失了2万')).toMatchObject({ tier: 'L3', amountYuan: 20_000 });
  });
});

describe('colloquial ranges and orders of magnitude: the lower bound, and the reason says so', () => {
  it.each([
    ['这只基金前后亏了三四万', 'L3', 30_000],
    ['亏了五六万块钱', 'L2', 50_000],
    ['一共损失二三十万', 'L2', 200_000],
    ['亏了八九十万，日子都没法过了', 'L1', 800_000],
    ['被骗了几百万', 'L1', 2_000_000],
    ['亏了大概3~5w', 'L3', 30_000],
    ['损失在20-30k之间', 'L3', 20_000],
  ] as const)('%s → %s (%d)', (text, tier, yuan) => {
    expect(judge(text)).toMatchObject({ tier, amountYuan: yuan });
  });

  it('names the range and its bounds in the reason', () => {
    const d = judge('亏了五六万块钱');
    expect(reason(d, 'l2.amount_between_l3_and_l1')?.detail).toContain('五六万块钱 is a range 50000–60000: taken at its lower bound 50000');
    expect(reason(judge('被骗了几百万'), 'l1.amount_above_l1')?.detail).toContain('order of magnitude: taken at its lower bound 2000000');
  });

  it('五六十万 starts at exactly the L1 amount, which is not above it: L2', () => {
    expect(judge('亏了五六十万')).toMatchObject({ tier: 'L2', amountYuan: 500_000 });
  });
});

describe('mass incidents: households, villages, colleagues acting together', () => {
  it.each([
    ['我们小区七八户都买了这个理财，大家约好下周一起去营业部'],
    ['厂里的工友们商量好了，一起去你们总部讨说法'],
    ['我们村二十来家都是在他手上买的'],
    ['Families in our village have all decided to come to your branch together.'],
  ])('%s → L1', (text) => {
    expect(judge(text)).toMatchObject({ tier: 'L1', urgent: true });
    expect(rules(judge(text))).toContain('l1.mass_incident');
  });

  it('the company\'s own colleagues helping together are no group of customers', () => {
    expect(judge('你们客服同事们一起帮我查一下这笔钱')).toMatchObject({ tier: 'L3' });
  });

  it('companies counted by 家 are no households', () => {
    expect(judge('我问了好几家保险公司，对比了十几家券商，都没有这种收费')).toMatchObject({ tier: 'L3' });
  });
});

describe('threats of violence: urgent, at least L2', () => {
  it.each([
    ['那个经理别让我逮到他，见一回打一回'],
    ['再这样我就找人收拾那个业务员'],
    ["If I ever run into that agent again I'll break his nose."],
    ['要是再碰到那个经理我非揍他一顿不可'],
  ])('%s', (text) => {
    const d = judge(text);
    expect(d).toMatchObject({ tier: 'L2', urgent: true });
    expect(rules(d)).toContain('urgent.self_harm_or_violence');
  });

  it('idioms with 打 and 砍 are no violence', () => {
    expect(judge('打他电话一直没人接，你们这样是自己打脸，砍价都没这么砍的')).toMatchObject({ tier: 'L3', urgent: false });
    expect(judge('打人情牌没用，照片里让他好看一点')).toMatchObject({ tier: 'L3', urgent: false });
  });
});

describe('negation scope and turned-down suggestions', () => {
  it.each([
    ['我并不想走法律程序，只希望退还手续费'],
    ['起诉什么的我没想过，就想把钱要回来'],
    ['维权群我是不会进的，只想自己解决'],
    ['家里人建议我去法院起诉，我觉得没必要，协商就行'],
    ["A neighbour suggested I go to the press, but I'd rather not."],
  ])('%s → L3, the signal listed as negated', (text) => {
    const d = judge(text);
    expect(d).toMatchObject({ tier: 'L3', urgent: false });
    expect(d.discounted?.some((x) => x.why === 'negated')).toBe(true);
  });

  it('records who suggested it and how it was turned down', () => {
    const d = judge('家里人建议我去法院起诉，我觉得没必要，协商就行');
    expect(d.discounted).toContainEqual(expect.objectContaining({ rule: 'l1.legal_dispute', why: 'negated', marker: '家里人建议我 … 我觉得没必要' }));
  });

  it.each([
    ['朋友建议我找律师，我觉得有道理'],
    ['朋友建议我找律师，但我不想再拖了'], // it is the waiting that is turned down
  ])('a suggestion that is not turned down still counts: %s → L1', (text) => {
    expect(judge(text)).toMatchObject({ tier: 'L1', urgent: true });
  });

  it('非…不可 is no negation', () => {
    expect(rules(judge('我非找记者曝光不可'))).toContain('l2.media_threat');
  });
});

describe('an intake answer of no loss', () => {
  it('"没有损失" is read as 0 and wins over an amount in the text; "不知道" leaves it to the text', () => {
    const text = '账户里被冻结的8万已经解冻了，钱都在，就是处理太慢';
    const noLoss = parseJsonLine(JSON.stringify({ text, claimedLossYuan: '没有损失' }), triageInputSchema);
    const unknown = parseJsonLine(JSON.stringify({ text, claimedLossYuan: '不知道' }), triageInputSchema);
    if (!noLoss.ok || !unknown.ok) throw new Error('lines did not parse');
    expect(judge(text, factsOf(noLoss.value))).toMatchObject({ tier: 'L3', amountYuan: 0 });
    expect(judge(text, factsOf(unknown.value))).toMatchObject({ tier: 'L2', amountYuan: 80_000 });
  });
});
