// Table-driven tests of the triage rules with a fake text analysis (no analyzer), then a few through
// the local analyzer.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type ComplaintPolicy } from '../../services/policy/policy';
import type { TextAnalysis } from '../../services/text-analysis/text-analysis';
import { createLocalAnalyzer } from '../../services/text-analysis/local-analyzer';
import { triage } from '../../services/triage/triage';
import { expandAlternatives, findSignals } from '../../services/triage/signals';
import { normalizeText } from '../../services/triage/text';
import { createTriageService } from '../../services/triage/triage-service';
import type { TriageFacts, TriageRule } from '../../services/triage/triage-types';

function analysis(negative = 0.2, extra: Partial<TextAnalysis> = {}): TextAnalysis {
  return {
    language: 'zh',
    sentiment: { label: negative >= 0.5 ? 'negative' : 'neutral', positive: 0, neutral: 1 - negative, negative },
    opinions: [],
    pii: [],
    redactedText: '',
    analyzer: 'local',
    ...extra,
  };
}

function judge(text: string, facts: Partial<TriageFacts> = {}, a: TextAnalysis = analysis(), policy: ComplaintPolicy = DEFAULT_POLICY) {
  return triage({ text, claimedLossYuan: null, isRepeat: false, ...facts }, a, policy);
}

const rules = (d: ReturnType<typeof judge>) => d.reasons.map((r) => r.rule);

type Row = [text: string, tier: 'L1' | 'L2' | 'L3', rule?: TriageRule];

describe('amount', () => {
  it.each([
    [49_999, 'L3'],
    [50_000, 'L2'],
    [499_999, 'L2'],
    [500_000, 'L2'],
    [500_001, 'L1'],
    [0, 'L3'],
  ] as const)('the intake answer %d → %s', (claimedLossYuan, tier) => {
    const d = judge('理赔一直没到账', { claimedLossYuan });
    expect(d.tier).toBe(tier);
    expect(d.amountYuan).toBe(claimedLossYuan);
  });

  it('takes an intake answer of 0 ("no loss") over an amount in the text, and says so', () => {
    const d = judge('之前被冻结的12万已经解冻了，钱都在，就是流程太慢', { claimedLossYuan: 0 });
    expect(d).toMatchObject({ tier: 'L3', amountYuan: 0 });
    expect(rules(d)).toEqual(['amount.intake_no_loss', 'l3.default']);
    // No answer at all still reads the text.
    expect(judge('之前被冻结的12万已经解冻了，钱都在，就是流程太慢')).toMatchObject({ tier: 'L2', amountYuan: 120_000 });
  });

  it('takes the intake answer over an amount in the text', () => {
    expect(judge('损失了80万', { claimedLossYuan: 60_000 })).toMatchObject({ tier: 'L2', amountYuan: 60_000 });
  });

  it.each<[string, number | null, 'L1' | 'L2' | 'L3']>([
    ['损失49999元', 49_999, 'L3'],
    ['我的损失是50000元', 50_000, 'L2'],
    ['损失50000', 50_000, 'L2'],
    ['少付了5万元', 50_000, 'L2'],
    ['损失了伍万元整', 50_000, 'L2'],
    ['损失4万9千', 49_000, 'L3'],
    ['亏了4万9', 49_000, 'L3'],
    ['理赔款8万一直没到', 80_000, 'L2'],
    ['损失3万一起算', 30_000, 'L3'],
    ['损失五十万', 500_000, 'L2'],
    ['损失五十万零一元', 500_001, 'L1'],
    ['损失¥500,001', 500_001, 'L1'],
    ['损失５０万零１元', 500_001, 'L1'],
    ['I lost 49,999 yuan', 49_999, 'L3'],
    ['I lost RMB 50,000', 50_000, 'L2'],
    ['lost 1.5 million yuan', 1_500_000, 'L1'],
    ['I lost 50k RMB', 50_000, 'L2'],
    ['损失80w', 800_000, 'L1'],
    ['亏了十几万', 100_000, 'L2'],
    ['损失4万多', 40_000, 'L3'],
    // in English words, read by the intake parser
    ['I lost half a million yuan, exactly 500,000, on this note', 500_000, 'L2'],
    ['I lost a quarter of a million on the fund', 250_000, 'L2'],
    ['We lost a million and a half yuan', 1_500_000, 'L1'],
    ['I lost one and a half million', 1_500_000, 'L1'],
    ['the loss is eighty thousand yuan', 80_000, 'L2'],
  ])('%s → %d yuan, %s', (text, yuan, tier) => {
    expect(judge(text)).toMatchObject({ amountYuan: yuan, tier });
  });

  it.each(['损失50多万', '损失超过50万', '损失50万以上', 'I lost more than 500,000 yuan', 'I lost more than half a million'])('"more than" the L1 amount is above it: %s', (text) => {
    const d = judge(text);
    expect(d.tier).toBe('L1');
    expect(d.amountYuan).toBe(500_000);
  });

  it.each<[string, number | null, 'L1' | 'L2' | 'L3']>([
    ['保额100万的重疾险，理赔材料交了两个月还没审核', null, 'L3'],
    ['保额100万的医疗险，住院花了3万只报销了1万', 30_000, 'L3'],
    ['我的重疾险保额80万，确诊后你们却拒赔', 800_000, 'L1'],
    ['The sum insured is 1 million yuan but you only paid 20,000 yuan', 20_000, 'L3'],
    ['投了100万买基金，亏了3万', 30_000, 'L3'],
    ['我买了60万的理财产品，全部亏光了', 600_000, 'L1'],
    // a principal (invested, put in, bought, deposited) is no loss unless the text says it was lost
    ['我投了八十万在你们的资管计划，净值报告一直没发', null, 'L3'],
    ['本金80万的定期理财，到期日是几号', null, 'L3'],
    ['我投了80万，当时没了解风险，想问下怎么赎回', null, 'L3'],
    ['Invested 800k with you last year and the report never arrived', null, 'L3'],
    ['I put 1.2 million into your fund; where is my statement?', null, 'L3'],
    ['Please confirm my principal amount of 600,000 yuan', null, 'L3'],
    ['本金一百二十万全没了', 1_200_000, 'L1'],
    ['存了80万，到期取不出来', 800_000, 'L1'],
    ['I put 900k into the note and now it is wiped out', 900_000, 'L1'],
    // …and a loss cue wins when both appear
    ['投了30万的债基，现在浮亏四千多', 4_000, 'L3'],
    ['I invested 800k and lost 60k on the fund', 60_000, 'L2'],
    // what is left of it: the loss is the difference
    ['投了100万，现在只剩40万了', 600_000, 'L1'],
    ['I bought 100k of your fund and it fell to 40k', 60_000, 'L2'],
    ['花了8万买的保险，现在退保只给2万', 60_000, 'L2'],
    // …or the share of it that was lost
    ['我买了100万的基金，跌了30%', 300_000, 'L2'],
    ['我买了100万的基金，现在亏了一半', 500_000, 'L2'],
    ['I invested 2 million and the fund is down 40%', 800_000, 'L1'],
    // a claim refused on what the policy was bought for: that amount is at stake, like a sum insured
    ['我买了80万的重疾险，确诊后你们拒赔', 800_000, 'L1'],
    ['我年收入30万，退保只退了2千', 2_000, 'L3'],
    ['2024年5月12日买的保险', null, 'L3'],
    ['请回电13812345678', null, 'L3'],
    ['保单号P2026001234，手续费太高', null, 'L3'],
    ['系统故障导致我的5万股没卖出去', null, 'L3'],
  ])('sums insured, principals, incomes, dates and numbers: %s → %s', (text, yuan, tier) => {
    expect(judge(text)).toMatchObject({ amountYuan: yuan, tier });
  });

  it('says which amounts it did not take for the loss', () => {
    const reason = judge('保额100万的医疗险，住院花了6万').reasons.find((r) => r.rule === 'l2.amount_between_l3_and_l1');
    expect(reason).toMatchObject({ tier: 'L2', score: 60_000, words: ['6万'] });
    expect(reason?.detail).toContain('100万 (sum insured)');
    const principal = judge('投了80万，亏了6万').reasons.find((r) => r.rule === 'l2.amount_between_l3_and_l1');
    expect(principal?.detail).toContain('80万 (principal)');
    expect(judge('投了100万，只剩40万').reasons.find((r) => r.rule === 'l1.amount_above_l1')).toMatchObject({ score: 600_000, words: ['100万 − 40万'] });
  });

  it('follows the policy amounts', () => {
    const policy = { ...DEFAULT_POLICY, l1: { ...DEFAULT_POLICY.l1, amountYuan: 1_000_000 }, l3: { ...DEFAULT_POLICY.l3, amountYuan: 100_000 } };
    expect(judge('x', { claimedLossYuan: 600_000 }, analysis(), policy).tier).toBe('L2');
    expect(judge('x', { claimedLossYuan: 80_000 }, analysis(), policy).tier).toBe('L3');
    expect(judge('x', { claimedLossYuan: 1_000_001 }, analysis(), policy).tier).toBe('L1');
  });
});

describe('signal words', () => {
  it.each<Row>([
    // legal dispute
    ['我已经请了律师', 'L1', 'l1.legal_dispute'],
    ['我要去法院起诉你们', 'L1', 'l1.legal_dispute'],
    ['已经提起诉讼', 'L1', 'l1.legal_dispute'],
    ['申请仲裁了', 'L1', 'l1.legal_dispute'],
    ['律师函已经寄出', 'L1', 'l1.legal_dispute'],
    ['我咨询了律师事务所', 'L1', 'l1.legal_dispute'],
    ['中国证监会和法院都会知道', 'L1', 'l1.legal_dispute'],
    ['I have hired a lawyer', 'L1', 'l1.legal_dispute'],
    ['We are suing your company', 'L1', 'l1.legal_dispute'],
    ['See you in court', 'L1', 'l1.legal_dispute'],
    // mass incident
    ['小区三十多户业主集体维权', 'L1', 'l1.mass_incident'],
    ['十几个客户一起去营业部', 'L1', 'l1.mass_incident'],
    ['我们建了维权群', 'L1', 'l1.mass_incident'],
    ['我们联名投诉', 'L1', 'l1.mass_incident'],
    ['上百名投资者在营业部门口聚集', 'L1', 'l1.mass_incident'],
    ['a group of fifty investors', 'L1', 'l1.mass_incident'],
    ['Dozens of us signed a joint complaint', 'L1', 'l1.mass_incident'],
    ['more than 30 policyholders are affected', 'L1', 'l1.mass_incident'],
    // reputation damage already happened
    ['记者已经来采访了', 'L1', 'l1.reputation_damage'],
    ['这件事已经上了热搜', 'L1', 'l1.reputation_damage'],
    ['电视台已经报道了', 'L1', 'l1.reputation_damage'],
    ['我已经找了记者', 'L1', 'l1.reputation_damage'],
    ['我已经找记者了', 'L1', 'l1.reputation_damage'],
    ['A journalist interviewed me yesterday', 'L1', 'l1.reputation_damage'],
    ['the story went viral', 'L1', 'l1.reputation_damage'],
    // media threat
    ['我要找媒体', 'L2', 'l2.media_threat'],
    ['我要找记者曝光你们', 'L2', 'l2.media_threat'],
    ['我会发微博', 'L2', 'l2.media_threat'],
    ['我要发到网上让大家都知道', 'L2', 'l2.media_threat'],
    ['I will go to the press', 'L2', 'l2.media_threat'],
    ["I'll post this on social media", 'L2', 'l2.media_threat'],
    ['I will contact a journalist', 'L2', 'l2.media_threat'],
    ["I'll be contacting the South China Morning Post unless someone calls me", 'L2', 'l2.media_threat'],
    ["I'm contacting the local newspaper", 'L2', 'l2.media_threat'],
    ["I'm going public with this", 'L2', 'l2.media_threat'],
    ["I'm posting the whole conversation online", 'L2', 'l2.media_threat'],
    ['我就把整个过程写成文章投给本地那几个公众号', 'L2', 'l2.media_threat'],
    ['再不处理我就发到小红书上', 'L2', 'l2.media_threat'],
    ['不给说法我就传到抖音上', 'L2', 'l2.media_threat'],
    ['让大家都来评评理', 'L2', 'l2.media_threat'],
    // regulator
    ['我打了12378', 'L2', 'l2.regulator_involved'],
    ['已经打过12386', 'L2', 'l2.regulator_involved'],
    ['已经向金融监管总局投诉', 'L2', 'l2.regulator_involved'],
    ['向银保监会反映过', 'L2', 'l2.regulator_involved'],
    ['已经向证监会举报', 'L2', 'l2.regulator_involved'],
    ['I complained to the CSRC', 'L2', 'l2.regulator_involved'],
    // insults and threats
    ['你们这群骗子', 'L2', 'l2.insult'],
    ['垃圾公司', 'L2', 'l2.insult'],
    ['滚', 'L2', 'l2.insult'],
    ['you are scammers', 'L2', 'l2.insult'],
    ['你们等着瞧', 'L2', 'l2.threat'],
    ['跟你们没完', 'L2', 'l2.threat'],
    ['我不会善罢甘休', 'L2', 'l2.threat'],
    ['you will regret this', 'L2', 'l2.threat'],
  ])('%s → %s (%s)', (text, tier, rule) => {
    const d = judge(text);
    expect(d.tier).toBe(tier);
    expect(rules(d)).toContain(rule);
    expect(d.reasons.find((r) => r.rule === rule)?.words?.length).toBeGreaterThan(0);
  });

  it.each<Row>([
    ['我在律师事务所上班，想问退保流程', 'L3'],
    ['我们是集体户口', 'L3'],
    ['联名信用卡年费扣了两次', 'L3'],
    ['记者节那天去办业务', 'L3'],
    ['我的手机号是13912378456', 'L3'],
    ['马上访问你们的网站', 'L3'],
    ['我要报告你们领导', 'L3'],
    ['垃圾短信太多', 'L3'],
    ['有骗子冒充你们公司', 'L3'],
    ['APP操作失误', 'L3'],
    ['滚动条卡住了', 'L3'],
    ['以跳楼价卖出', 'L3'],
    ['这件事还没完成', 'L3'],
    ['曝光率很高', 'L3'],
    ['营业部排队的人有二十多个', 'L3'],
    ['我们家三口人都买了', 'L3'],
    ['I attended your investor education class', 'L3'],
    ['the share class was wrong', 'L3'],
    ['I saw your ad on Facebook', 'L3'],
    ['I work at a law firm', 'L3'],
    ['以两年内自杀为由拒赔', 'L3'],
    ["I'm going to the post office to send the documents", 'L3'],
    ['Could you tell the agent the news about my address change?', 'L3'],
    ['Your team posted the new rates online but the link is broken', 'L3'],
    ['在抖音刷到你们的广告说年化4%', 'L3'],
  ])('words that only look like a signal: %s → %s', (text, tier) => {
    expect(judge(text).tier).toBe(tier);
  });
});

describe('mass incident: a group acting together', () => {
  it.each<string>([
    // a number of mere people, or a group without a number, with collective action in the clause
    '我们几十个人去你们营业部门口讨说法',
    '十多位约好明天去总部',
    '一百多号人商量好了一起去总部',
    '好几十个人约好周一去营业部',
    '一群人去你们总部讨说法',
    '好多客户都商量好了一起来找你们',
    '我们这些人约好了去营业部',
    '我们这帮老人明天去你们公司门口',
    'A bunch of us are planning to show up at your branch',
    'Lots of investors are going to your head office together',
    "We're a group of retirees and we're all going to your office on Monday",
    'Twenty people from my building are protesting outside your branch',
    // the group includes the complainant (我们…, of us): collective action anywhere in the sentence
    '我们二十几个人都是找同一个业务员买的，现在都被误导了，大家商量好一起来找你们',
    // a number of customers, investors, households counts by itself
    '十几位老客户都被骗了',
    'Dozens of investors lost money on this fund',
    'All 40 of us bought the same policy',
  ])('%s → L1', (text) => {
    const d = judge(text);
    expect(d).toMatchObject({ tier: 'L1', urgent: true });
    expect(rules(d)).toContain('l1.mass_incident');
  });

  it.each<string>([
    '一群朋友推荐我买的这个基金',
    '好多人都说你们的产品不好',
    '很多客户反映APP太卡了',
    '营业部里一群人在排队，我等了一个小时',
    '今天营业部有二十多个人在排队，我跟我妈一起去的', // not "us", and the togetherness is elsewhere
    '我们家五口人都在你们这买了保险',
    '我和老公一起去营业部办的业务', // two people
    '我们这些人都被坑了', // a group, but nobody says they act together
    'Lots of people complained about the app online',
    "we're all going to be late with the premium because of your app",
  ])('a group or collective words alone: %s → L3', (text) => {
    expect(judge(text).tier).toBe('L3');
  });

  it.each<string>(['我们这些人不会一起去闹的，就想要个说法', '我们二十几个人都被误导了，但我们不会一起去闹', 'A bunch of us are not going to gather anywhere, we just want answers'])(
    'negated collective action does not make a group a mass incident: %s',
    (text) => {
      expect(judge(text).tier).toBe('L3');
    },
  );
});

describe('self-harm and violence: wider phrasing', () => {
  it.each<string>([
    '明天我就去你们营业部砍了那个业务员',
    '我要捅了那个经理',
    '我要杀了你们那个客户经理',
    '我要把那个业务员砍了',
    '再不赔钱我就炸了你们营业部',
    '我要把你们公司炸了',
    '我要放火烧了你们公司',
    '我真的想不开了',
    '活着还有什么意思',
    "I'll kill that agent",
    "I'm going to burn the place down",
    'I will hurt your staff',
    'I honestly don\'t see the point of living anymore',
    'There is no point in going on',
  ])('%s → urgent, L2', (text) => {
    const d = judge(text);
    expect(d).toMatchObject({ tier: 'L2', urgent: true });
    expect(rules(d)).toContain('urgent.self_harm_or_violence');
  });

  it.each<string>([
    '这个产品我砍价砍了半天才买的',
    '帮我砍一刀的链接打不开',
    '你们把我的理赔款砍了一半',
    '追涨杀跌亏了不少',
    '意外伤害险怎么理赔',
    '我没想伤害任何人，只想要回我的钱',
    '我不会伤害你们的，放心',
    '把我气炸了', // anger, not violence
    'Your fund manager is killing it this year',
    'This fee is killing me',
    "I'll shoot you an email with the documents",
    'my heart attack claim was rejected',
    'I want to kill this policy and get a refund',
    "I'm not going to hurt anyone",
    "I don't see the point of calling your hotline anymore",
  ])('not a threat of violence or self-harm: %s', (text) => {
    expect(judge(text).urgent).toBe(false);
  });
});

describe('insults, profanity and anger', () => {
  it.each<Row>([
    ['你们客服是不是脑子有病', 'L2', 'l2.insult'],
    ['你们有病吧', 'L2', 'l2.insult'],
    ['操！又乱扣我500块', 'L2', 'l2.insult'],
    ['卧槽 又扣钱', 'L2', 'l2.insult'],
    ['他妈的 又没到账', 'L2', 'l2.insult'],
    ['傻逼客服', 'L2', 'l2.insult'],
    ['SB客服', 'L2', 'l2.insult'],
    ['你们这帮狗东西', 'L2', 'l2.insult'],
    ['you idiots', 'L2', 'l2.insult'],
    ['this is f*cking ridiculous', 'L2', 'l2.insult'],
    ['what a load of bullshit', 'L2', 'l2.insult'],
    // censored: a run of two or more censor symbols at the end (f***, f***ing, s**t)
    ['what the f*** is wrong with your claims team', 'L2', 'l2.insult'],
    ['this f**king app', 'L2', 'l2.insult'],
    ['f***ing useless', 'L2', 'l2.insult'],
    ['this is s**t service', 'L2', 'l2.insult'],
    ['wtf, again?', 'L2', 'l2.insult'],
    ['what the hell is wrong with you people', 'L2', 'l2.insult'],
    // Chinese insults
    ['你们客服是不是脑子有问题', 'L2', 'l2.insult'],
    ['你们脑子有毛病吧', 'L2', 'l2.insult'],
    ['听不懂人话？', 'L2', 'l2.insult'],
    ['老子在你们这买了十年保险', 'L2', 'l2.insult'],
    ['你们是猪吗', 'L2', 'l2.insult'],
    ['你们是不是傻', 'L2', 'l2.insult'],
    ['这个设计太弱智了', 'L2', 'l2.insult'],
    ['气死了 打了五次电话没人管', 'L2', 'l2.anger'],
    ['我快被你们气死了', 'L2', 'l2.anger'],
    ['气炸了', 'L2', 'l2.anger'],
    ['忍无可忍', 'L2', 'l2.anger'],
    ["I'm absolutely furious", 'L2', 'l2.anger'],
  ])('%s → %s (%s)', (text, tier, rule) => {
    const d = judge(text);
    expect(d.tier).toBe(tier);
    expect(d.reasons.find((r) => r.rule === rule)?.words?.length).toBeGreaterThan(0);
  });

  it.each<string>([
    'APP操作太复杂',
    '别让我操心了',
    '早操的时候摔伤了',
    '我有病，想买重疾险，能买吗',
    '我爸有神经病变，保险能赔吗',
    'USB key 登录不了',
    'thanks for the feedback',
    "I'm not angry, just want to know",
    '我一点都不生气，就是问问',
    'Please read the terms and conditions* again', // a footnote star
    '**Note**: my address changed', // markdown, not a censored word
    'What the fund manager did is unclear to me', // "what the f" only as a word of its own
    '我爸脑子有问题，住院做了手术，怎么理赔', // a relative's illness
    '我儿子是智障，能买保险吗',
    '手续费扣了二百五，能不能退', // 250 yuan
    '你们客服是人工还是机器人', // 是人… is no 还是人吗
    '我们这边的猪瘟保险怎么买',
    '老子的道德经我很喜欢',
  ])('look-alikes are no insult or anger: %s → L3', (text) => {
    expect(judge(text).tier).toBe('L3');
  });
});

describe('mentions that are no signal', () => {
  it.each<string>([
    '我是在法院旁边那个网点开的户', // a landmark
    '法院附近有没有你们的网点',
    '证监会不是有适当性管理规定吗，你们怎么给我推R5的产品', // citing a rule, not a complaint to the regulator
    '根据证监会的规定，你们应该提示风险',
    'Under CSRC rules you should have assessed my risk level',
    '热搜上说今天大盘跌了，app刷不出行情', // trending news, not about the company
    'No intention of posting this on Weibo, but please fix the setting',
    // own and relatives' jobs, workplaces and places (occupation, workplace, landmark)
    'My wife is a lawyer and she spotted a typo on the renewal letter',
    "I'm a barrister and I keep getting logged out of the app",
    'My daughter works at a law firm and says the letter looks fine',
    'I work in the court building downtown, is there a branch near there?',
    'Is there a branch near the courthouse on Main Street?',
    'I used to work at a law firm, so I read the contract carefully',
    '我老婆是律师，她说保单上的地址写错了',
    '我姐是法官，问下她的保单能不能加我做受益人',
    '我儿子在律所实习，想给他也买份保险',
    '我老公在法院上班，能不能晚上打电话',
    '我在中级人民法院上班，你们网点午休开门吗',
    '我朋友是律师，他说这样不违法，我就是想问问流程', // a lawyer's opinion that there is no case
    '律师费保险怎么买',
    '我老婆是记者，她让我问下保单能不能改缴费日期',
    "I'm a journalist, please change my mailing address",
    '我在电视台上班，晚上才有空',
    '我在报社做排版的，经常上夜班',
    'I work in social media marketing, can I change my email?',
    '我老公在人民银行上班，想问下保单贷款利率',
    // a regulator used to look something up
    '上证券业协会官网查了一下那个投顾的执业编号，怎么查不到',
    '我在证监会官网查到你们这个产品有备案',
    '我查了下金融监管总局的官网，你们有牌照',
    "I checked the CSRC website and your adviser isn't listed",
    'According to the CSRC website your firm is registered',
    // a platform or an account as a source, not a threat
    'I saw a post on Weibo about your new product',
    '我发到你们公众号后台的留言一直没人回',
    '你们公众号推送的那篇文章里的计算器打不开',
  ])('%s → L3', (text) => {
    expect(judge(text).tier).toBe('L3');
  });

  it.each<[string, 'L1' | 'L2']>([
    ['我已经向证监会投诉你们违反规定', 'L2'],
    ['我要去法院起诉你们', 'L1'],
    ['我要让你们上热搜', 'L2'],
    ['My lawyer will be in touch', 'L1'],
    ['My brother is a lawyer and he says you are in breach of contract', 'L1'], // a lawyer's opinion on this case
    ['我朋友是律师，他说你们这样拒赔不合法', 'L1'],
    ['我老婆是律师，起诉状她已经帮我写好了', 'L1'],
    ['我已经在证监会网站上投诉了', 'L2'],
    ['I filed a complaint on the CSRC website', 'L2'],
    ['我要打电视台的新闻热线', 'L2'],
  ])('the real thing still counts: %s → %s', (text, tier) => {
    expect(judge(text).tier).toBe(tier);
  });
});

describe('terms that count only in a context', () => {
  it.each<[string, 'L1' | 'L2' | 'L3']>([
    // someone who publishes (自媒体, 公众号, 粉丝, blogger, followers, journalist) and will write it up
    ['我是做自媒体的，粉丝不多但也有几万，这个事你们处理不好我肯定要写一篇的', 'L2'],
    ['我是公众号博主，这事你们不给说法我就写出来', 'L2'],
    ["I'm a blogger with 20k followers and I'll be writing about this", 'L2'],
    ["I'm a journalist and I'll be writing about this", 'L2'],
    // the same words without the context, or with the context negated
    ['这个事你们处理不好我肯定要写一篇的', 'L3'],
    ['我要写一篇投诉信给你们总经理', 'L3'],
    ['我是做自媒体的，想问下保费能不能开专票', 'L3'],
    ['我不是做自媒体的，但我肯定要写一篇总结给我们领导', 'L3'],
    // a lawyer's opinion on the case (说…不合法, says you are in breach) with a lawyer in the complaint
    ['我朋友是律师，他看了合同说你们拒赔站不住脚', 'L1'],
    ['My sister is a lawyer and she says your refusal is a breach of contract', 'L1'],
    ['客服说你们这样不违规', 'L3'],
    ['The agent says it is a breach of the terms to switch funds early', 'L3'],
  ])('%s → %s', (text, tier) => {
    expect(judge(text).tier).toBe(tier);
  });
});

describe('vocabulary syntax', () => {
  it('(a|b) groups stand for each alternative; an empty one makes the group optional', () => {
    expect(expandAlternatives('砍(了|)(你|他)')).toEqual(['砍了你', '砍了他', '砍你', '砍他']);
    expect(expandAlternatives('律师')).toEqual(['律师']);
  });

  it('a * inside an English word is a censored letter, not any letters', () => {
    expect(judge('f**k this').tier).toBe('L2');
    expect(judge('f#cking useless').tier).toBe('L2');
    expect(judge('thanks for the feedback').tier).toBe('L3');
  });

  it('two or more * at the end of a word are a censored ending; a * word is one to three words', () => {
    const policy = {
      ...DEFAULT_POLICY,
      triage: {
        ...DEFAULT_POLICY.triage,
        signals: {
          ...DEFAULT_POLICY.triage.signals,
          insult: { zh: ['蠢'], en: ['d**'], exclude: [] },
          mediaThreat: { zh: ['找媒体'], en: ['call the * post'], exclude: [] },
        },
      },
    };
    expect(judge('d*** it', {}, analysis(), policy).tier).toBe('L2');
    expect(judge('d**ned app', {}, analysis(), policy).tier).toBe('L2');
    expect(judge('d* it', {}, analysis(), policy).tier).toBe('L3');
    expect(judge('damn it', {}, analysis(), policy).tier).toBe('L3');
    expect(judge('I will call the Post', {}, analysis(), policy).tier).toBe('L3');
    expect(judge('I will call the Post today', {}, analysis(), policy).tier).toBe('L3');
    expect(judge('I will call the Washington Post', {}, analysis(), policy).tier).toBe('L2');
    expect(judge('I will call the South China Morning Post', {}, analysis(), policy).tier).toBe('L2');
    expect(judge('I will call the big bad South China Morning Post', {}, analysis(), policy).tier).toBe('L3');
  });

  it('an override policy can name contextual terms', () => {
    const policy = {
      ...DEFAULT_POLICY,
      triage: {
        ...DEFAULT_POLICY.triage,
        signals: { ...DEFAULT_POLICY.triage.signals, mediaThreat: { zh: ['找媒体'], en: ['go to the press'], exclude: [], contextual: { zh: ['拍一期'], en: ['make an episode'], context: { zh: ['up主'], en: ['youtuber'] } } } },
      },
    };
    expect(judge('我是up主，这事我要拍一期', {}, analysis(), policy).tier).toBe('L2');
    expect(judge('这事我要拍一期', {}, analysis(), policy).tier).toBe('L3');
    expect(judge("I'm a YouTuber and I will make an episode about it", {}, analysis(), policy).tier).toBe('L2');
  });

  it('an override policy can use the syntax', () => {
    const policy = {
      ...DEFAULT_POLICY,
      triage: {
        ...DEFAULT_POLICY.triage,
        signals: { ...DEFAULT_POLICY.triage.signals, insult: { zh: ['(蠢|笨)(货|蛋)'], en: ['(dumb|daft) (clown|clowns)'], exclude: ['笨蛋*(游戏|动画)'] } },
      },
    };
    expect(judge('你们这群笨蛋', {}, analysis(), policy).tier).toBe('L2');
    expect(judge('daft clowns', {}, analysis(), policy).tier).toBe('L2');
    expect(judge('笨蛋游戏', {}, analysis(), policy).tier).toBe('L3');
  });
});

describe('negation', () => {
  it.each<[string, TriageRule]>([
    ['我不打算起诉', 'l1.legal_dispute'],
    ['我没有打算找律师', 'l1.legal_dispute'],
    ['我并不想去法院起诉你们', 'l1.legal_dispute'],
    ['我从来没想过要找律师', 'l1.legal_dispute'],
    ['暂时不考虑起诉', 'l1.legal_dispute'],
    ['起诉就算了', 'l1.legal_dispute'],
    ['没有律师介入', 'l1.legal_dispute'],
    ['我也不想走到起诉这一步', 'l1.legal_dispute'],
    ['不会找媒体', 'l2.media_threat'],
    ['我不会去曝光', 'l2.media_threat'],
    ['还没有上热搜', 'l2.media_threat'],
    ['我没有向监管部门投诉', 'l2.regulator_involved'],
    ['我们没有集体维权的打算', 'l1.mass_incident'],
    ["I'm not going to sue", 'l1.legal_dispute'],
    ["I won't go to the press", 'l2.media_threat'],
    ['no lawyer involved', 'l1.legal_dispute'],
    ["I haven't contacted any lawyer", 'l1.legal_dispute'],
    ["I don't want to go to court over this", 'l1.legal_dispute'],
    ['I have no intention of suing', 'l1.legal_dispute'],
    ['We are not organising any collective action', 'l1.mass_incident'],
    ["I'm not going public with this", 'l2.media_threat'],
    ['我不会把这件事写成文章', 'l2.media_threat'],
  ])('%s: negated, L3', (text, rule) => {
    const d = judge(text);
    expect(d.tier).toBe('L3');
    expect(d.discounted).toContainEqual(expect.objectContaining({ rule, why: 'negated' }));
  });

  it.each<[string, 'L1' | 'L2']>([
    ['你们不处理我就去找媒体', 'L2'],
    ['再不处理我就去找媒体', 'L2'],
    ['再不退钱法院见', 'L1'],
    ['不赔钱的话我们就起诉', 'L1'],
    ['不得不起诉', 'L1'],
    ['要不要起诉我还在考虑', 'L1'],
    ['我不打算起诉，但是已经找了律师', 'L1'],
    ['我不会去曝光，但会向证监会投诉', 'L2'],
    ['I have no choice but to sue', 'L1'],
    ["I won't hesitate to sue", 'L1'],
    ["if you don't pay I will sue", 'L1'],
  ])('not a negation of the signal: %s → %s', (text, tier) => {
    expect(judge(text).tier).toBe(tier);
  });
});

describe('hypotheticals', () => {
  it.each<string>([
    '如果我起诉你们，能赢吗',
    '如果要起诉的话需要什么材料',
    '要是上了热搜你们负责吗',
    '万一记者来了怎么办',
    'If I sued you, would I win?',
    'What if a reporter calls me?',
    "If I'm taking you to court over 2,000 yuan, how long would it take?", // I'm right after "if" is the condition
    'If I went public, would that even help?',
  ])(
    'speculation does not count: %s',
    (text) => {
      const d = judge(text);
      expect(d.tier).toBe('L3');
      expect(d.discounted?.some((x) => x.why === 'hypothetical')).toBe(true);
    },
  );

  it.each<[string, 'L1' | 'L2', TriageRule]>([
    ['如果再不处理我就去找媒体', 'L2', 'l2.media_threat'],
    ['如果下周还不处理，我就起诉你们', 'L1', 'l1.legal_dispute'],
    ['如果你们再拖，我们就走法律程序', 'L1', 'l1.legal_dispute'],
    ['要是不给说法，我就发微博', 'L2', 'l2.media_threat'],
    ["If you don't refund me I will go to the press", 'L2', 'l2.media_threat'],
    ['If this is not fixed by Friday, I will sue', 'L1', 'l1.legal_dispute'],
    // "I'm", "we're", "you'll" start a consequence too
    ["If the payout isn't in my account by the 30th I'm taking you to court", 'L1', 'l1.legal_dispute'],
    ["If you don't pay, you'll hear from my lawyer", 'L1', 'l1.legal_dispute'],
    ["If this isn't sorted by Monday I'm posting the whole chat on Xiaohongshu", 'L2', 'l2.media_threat'],
    ["If nothing happens we're going public", 'L2', 'l2.media_threat'],
  ])('an ultimatum is a threat and counts: %s → %s', (text, tier, rule) => {
    const d = judge(text);
    expect(d.tier).toBe(tier);
    expect(rules(d)).toContain(rule);
  });

  it('a hypothetical threat of self-harm still counts', () => {
    const d = judge('要是这笔钱拿不回来，我只能去跳楼了');
    expect(d).toMatchObject({ tier: 'L2', urgent: true });
  });
});

describe('agitation', () => {
  it.each([
    [0.849, 'L3'],
    [0.85, 'L2'],
    [0.97, 'L2'],
  ] as const)('negative sentiment %d → %s', (negative, tier) => {
    const d = judge('理赔进度太慢', {}, analysis(negative));
    expect(d.tier).toBe(tier);
    if (tier === 'L2') expect(d.reasons).toContainEqual(expect.objectContaining({ rule: 'l2.agitated_sentiment', score: negative }));
  });

  it('reads the threshold from the policy', () => {
    const policy = { ...DEFAULT_POLICY, triage: { ...DEFAULT_POLICY.triage, agitation: { negativeSentimentThreshold: 0.95, repeatedExclamationMin: 3 } } };
    expect(judge('太慢', {}, analysis(0.9), policy).tier).toBe('L3');
  });

  it('names what the customer is angry about when the analyzer says (opinion mining)', () => {
    const a = analysis(0.9, { opinions: [{ target: '理赔', sentiment: 'negative', assessments: ['太慢'] }] });
    expect(judge('理赔太慢', {}, a).reasons[0]).toMatchObject({ rule: 'l2.agitated_sentiment', words: ['理赔'] });
  });

  it.each([
    ['还没到账!!', 'L3'],
    ['还没到账!!!', 'L2'],
    ['还没到账！！！', 'L2'],
    ['还没到账！！！！！', 'L2'],
    ['还没到账! ! !', 'L3'],
    // question marks, alone or mixed with exclamation marks, count the same (？？？ is exasperation)
    ['钱到底什么时候到账？？？', 'L2'],
    ['又扣钱?!?!', 'L2'],
    ['why???', 'L2'],
    ['收到没有？？', 'L3'],
    ['请问理赔要多久？需要哪些材料？', 'L3'],
  ] as const)('exclamation and question marks: %s → %s', (text, tier) => {
    const d = judge(text);
    expect(d.tier).toBe(tier);
    if (tier === 'L2') expect(rules(d)).toContain('l2.repeated_exclamation');
  });
});

describe('self-harm and violence', () => {
  it.each(['我不想活了', '我真的活不下去了', '我要带刀去营业部', '我就和你们同归于尽', "I don't want to live anymore", 'I will burn down your branch'])('%s → urgent, at least L2', (text) => {
    const d = judge(text);
    expect(d).toMatchObject({ tier: 'L2', urgent: true });
    expect(rules(d)).toContain('urgent.self_harm_or_violence');
  });

  it('keeps L1 when another rule makes it L1', () => {
    expect(judge('已经请了律师，我不想活了')).toMatchObject({ tier: 'L1', urgent: true });
  });

  it('a negated mention does not count', () => {
    expect(judge('放心，我不会自杀的')).toMatchObject({ tier: 'L3', urgent: false });
  });
});

describe('repeat complaints', () => {
  it.each([
    ['理赔太慢', null, 'L3', 'L2'],
    ['理赔太慢', 80_000, 'L2', 'L1'],
    ['我已经请了律师', null, 'L1', 'L1'],
  ] as const)('%s (%s yuan): %s → %s', (text, claimedLossYuan, before, after) => {
    expect(judge(text, { claimedLossYuan }).tier).toBe(before);
    const d = judge(text, { claimedLossYuan, isRepeat: true });
    expect(d.tier).toBe(after);
    expect(d.reasons).toContainEqual(expect.objectContaining({ rule: 'repeat_complaint', tier: after }));
  });

  it('a repeated threat of self-harm becomes L1', () => {
    expect(judge('我不想活了', { isRepeat: true })).toMatchObject({ tier: 'L1', urgent: true });
  });
});

describe('the decision', () => {
  it('is urgent for every L1 complaint, and says so', () => {
    const d = judge('我已经请了律师');
    expect(d.urgent).toBe(true);
    expect(d.reasons).toContainEqual(expect.objectContaining({ rule: 'urgent.l1', tier: null }));
    expect(judge('我打了12378').urgent).toBe(false);
  });

  it('records the policy version, every reason with its rule and tier, and L3 as a reason too', () => {
    const d = judge('理赔太慢');
    expect(d).toMatchObject({ tier: 'L3', urgent: false, policyVersion: '2026.2', amountYuan: null, reasons: [{ rule: 'l3.default', tier: 'L3' }] });
    const policy = { ...DEFAULT_POLICY, version: 'test-9' };
    expect(judge('x', {}, analysis(), policy).policyVersion).toBe('test-9');
  });

  it('keeps every reason, with words and scores', () => {
    const d = judge('损失80万，我已经请了律师，还要找媒体！！！', {}, analysis(0.9));
    expect(d.tier).toBe('L1');
    expect(d.reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'l1.amount_above_l1', tier: 'L1', score: 800_000, words: ['80万'] }),
        expect.objectContaining({ rule: 'l1.legal_dispute', tier: 'L1', words: ['律师'] }),
        expect.objectContaining({ rule: 'l2.media_threat', tier: 'L2', words: ['找媒体'] }),
        expect.objectContaining({ rule: 'l2.agitated_sentiment', tier: 'L2', score: 0.9 }),
        expect.objectContaining({ rule: 'l2.repeated_exclamation', tier: 'L2', score: 3 }),
      ]),
    );
  });

  it('notes when the local analyzer stood in for Azure', () => {
    const d = judge('理赔太慢', {}, analysis(0.2, { fallbackReason: 'timeout after 1500 ms' }));
    expect(d.reasons).toContainEqual({ rule: 'analysis.fallback', tier: null, detail: 'local analyzer used: timeout after 1500 ms' });
    expect(d.tier).toBe('L3');
  });

  it('is pure: same input, same output, inputs untouched', () => {
    const facts = Object.freeze({ text: '如果再不处理我就去找媒体，损失8万', claimedLossYuan: null, isRepeat: false });
    const a = Object.freeze(analysis(0.3));
    const first = triage(facts, a, DEFAULT_POLICY);
    expect(triage(facts, a, DEFAULT_POLICY)).toEqual(first);
    expect(first.tier).toBe('L2');
  });
});

describe('through the local analyzer', () => {
  const service = createTriageService({ analyzer: createLocalAnalyzer(), policy: DEFAULT_POLICY });

  it('已经请了律师 with a loss of 80万 is L1 and urgent (the issue example)', async () => {
    const { decision } = await service.judge({ text: '我已经请了律师，准备起诉你们', claimedLossYuan: 800_000, isRepeat: false });
    expect(decision).toMatchObject({ tier: 'L1', urgent: true, policyVersion: DEFAULT_POLICY.version, amountYuan: 800_000 });
  });

  it('a calm complaint stays L3 and an insulting, shouting one is L2', async () => {
    expect((await service.judge({ text: '理赔申请提交一个月还没有处理，请尽快处理', claimedLossYuan: null, isRepeat: false })).decision.tier).toBe('L3');
    const angry = (await service.judge({ text: '你们这群骗子！！！气死我了，垃圾公司', claimedLossYuan: null, isRepeat: false })).decision;
    expect(angry.tier).toBe('L2');
    expect(angry.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['l2.insult', 'l2.repeated_exclamation']));
  });

  it('English works the same way', async () => {
    const { decision } = await service.judge({ text: "I'm not going to sue, but I will go to the press", claimedLossYuan: null, isRepeat: false });
    expect(decision.tier).toBe('L2');
    expect(decision.discounted).toContainEqual(expect.objectContaining({ rule: 'l1.legal_dispute', why: 'negated' }));
  });
});

describe('review 3: groups, decimal millions, reputation, shouting, hotlines, indirect threats, look-alikes', () => {
  it.each<Row>([
    // households, families, shops counted with 几家/几户 acting together
    ['我们几家做生意的商量好了一起来投诉', 'L1', 'l1.mass_incident'],
    ['好几户人家约好了一起去你们营业部', 'L1', 'l1.mass_incident'],
    ['我们几家亲戚不会一起去闹的，只想问问退保能退多少', 'L3'],
    ['我比较了好几家保险公司，最后选了你们', 'L3'],
    // decimal millions
    ['I lost about 0.6M on that structured product', 'L1', 'l1.amount_above_l1'],
    ['lost 1.2m on the bond fund', 'L1', 'l1.amount_above_l1'],
    ['we lost 0.8 million on it', 'L1', 'l1.amount_above_l1'],
    ['Lost 0.3M on the fund', 'L2', 'l2.amount_between_l3_and_l1'],
    ['my son is 1.8m tall, does he count as an adult on the travel plan', 'L3'],
    // reputation damage that already happened vs an opinion or a threat
    ["it's all over Weibo already", 'L1', 'l1.reputation_damage'],
    ['people are sharing screenshots of your agent', 'L1', 'l1.reputation_damage'],
    ['这事已经在网上传开了', 'L1', 'l1.reputation_damage'],
    ['你们的聊天记录已经被转发了好多次', 'L1', 'l1.reputation_damage'],
    ['电话被转发到另一个部门，然后就挂断了', 'L3'],
    ['你们这种销售误导早就该被曝光了', 'L3'],
    ['你们这种销售误导早就该被曝光了 三天内不给答复我就找媒体曝光', 'L2', 'l2.media_threat'],
    // agitation
    ['你们这服务真的是恶心透了', 'L2', 'l2.anger'],
    ['什么玩意儿，一个退款拖了三个月', 'L2', 'l2.insult'],
    ['THIS IS THE THIRD TIME I AM ASKING', 'L2', 'l2.all_caps'],
    ['WHERE IS MY MONEY. answer me', 'L2', 'l2.all_caps'],
    ['I checked the CSRC website, is my ETF QDII fund registered?', 'L3'],
    ['My RM said the ETF is OK', 'L3'],
    // media threats by video
    ['在拖下去我就做个视频发B站', 'L2', 'l2.media_threat'],
    ['再不处理我就发视频号', 'L2', 'l2.media_threat'],
    ['我不打算发视频号，只想好好解决问题', 'L3'],
    // regulators
    ['监管热线我已经打过了', 'L2', 'l2.regulator_involved'],
    ['我昨天打了金融消费者权益保护热线', 'L2', 'l2.regulator_involved'],
    ['我还没打监管热线，想先给你们一个机会', 'L3'],
    // look-alikes
    ['我在一家公司做法律顾问，经常出差，差旅险材料太多了', 'L3'],
    ['今天热搜说券商要降佣金了，我的佣金能不能也降', 'L3'],
    ['上传理赔材料时一直提示照片曝光过度', 'L3'],
    ['身份证照片上传后显示曝光不足', 'L3'],
  ])('%s → %s', (text, tier, rule) => {
    const d = judge(text);
    expect(d.tier).toBe(tier);
    if (rule) expect(rules(d)).toContain(rule);
  });

  it.each(['我不知道还能撑多久了', '钱全套在里面，我真的撑不下去了', '房贷断了，活不下去了', 'someone is going to get hurt if your agent shows up again', 'somebody will get hurt'])(
    'indirect self-harm or violence: %s → urgent',
    (text) => {
      const d = judge(text);
      expect(d).toMatchObject({ tier: 'L2', urgent: true });
      expect(rules(d)).toContain('urgent.self_harm_or_violence');
    },
  );
});

// Each walk runs the whole matcher once per expanded term (thousands for the violence list): seconds
// on a quiet machine, more than the default 20 s when the machine is busy.
const VOCABULARY_WALK_MS = 120_000;

describe('the shipped vocabularies', () => {
  // A term that jieba's segmentation can never line up with would be dead configuration. A term
  // with (a|b) groups stands for each of its alternatives; every one of them must be found.
  it.each(Object.entries(DEFAULT_POLICY.triage.signals))('every %s term is found when it stands alone', (name, vocabulary) => {
    const dead = [...vocabulary.zh, ...vocabulary.en]
      .filter((term) => !term.includes('*'))
      .flatMap(expandAlternatives)
      .filter((term) => {
        const found = findSignals(normalizeText(term), DEFAULT_POLICY);
        return ![...found.counted, ...found.discounted].some((m) => m.signal === name);
      });
    expect(dead).toEqual([]);
  }, VOCABULARY_WALK_MS);

  it.each(Object.entries(DEFAULT_POLICY.triage.signals).filter(([, v]) => v.contextual !== undefined))('every contextual %s term is found next to a context word', (name, vocabulary) => {
    const contextual = vocabulary.contextual!;
    const dead = [...contextual.zh.map((t) => [t, contextual.context.zh[0]!]), ...contextual.en.map((t) => [t, contextual.context.en[0]!])]
      .filter(([term]) => !term!.includes('*'))
      .flatMap(([term, context]) => expandAlternatives(term!).map((t) => [t, context!] as const))
      .filter(([term, context]) => {
        const found = findSignals(normalizeText(`${context}。${term}`), DEFAULT_POLICY);
        return ![...found.counted, ...found.discounted].some((m) => m.signal === name && m.term.includes('(with '));
      })
      .map(([term]) => term);
    expect(dead).toEqual([]);
  }, VOCABULARY_WALK_MS);
});
