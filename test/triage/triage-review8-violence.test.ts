// Threats of violence the eighth independent set (cases.review8.heldout.jsonl) showed were missed — a weapon
// taken to a branch or a person, an agent's home found out, smashing up the office — written as new
// phrasings rather than copies of its lines, with their negated forms and look-alikes (刀险, a fruit
// knife returned as a faulty product, 砸单/砸盘, "smash hit"). Pure triage with a neutral text
// analysis, so only the rules decide.
import { describe, expect, it } from 'vitest';
import { judge, rules } from './rules-support';

describe('a weapon taken to a place or person, a home found out, the office smashed: urgent violence', () => {
  it.each([
    '我明天提把菜刀去你们公司找那个业务员',
    '我拎着棍子去营业部等他下班',
    '我带上锤子去你们网点，找那个经理算账',
    '下周我揣把刀去他家门口等他',
    '我带了瓶硫酸去找那个客户经理',
    '那个经理家住哪我都摸清楚了',
    '他住哪儿我已经查到了，到时候别怪我不客气',
    "I'll come down there with a baseball bat.",
    "I'm bringing a hammer to your branch on Monday.",
    'I will trash the whole branch if nobody calls me.',
    "I'm going to wreck the place, and that adviser too.",
    'I know where your agent lives.',
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.tier === 'L2' || d.tier === 'L1').toBe(true);
    expect(d.urgent).toBe(true);
    expect(rules(d)).toContain('urgent.self_harm_or_violence');
  });
});

describe('negated threats and look-alikes are no violence', () => {
  it.each([
    '我不会拿刀去找他的，我只是想要个说法',
    '我不会带刀去找他的',
    "I'm not going to hurt anyone, I just want my money back.",
    "I'm not going to smash anything, I just want a refund.",
    "I'm not going to trash your office, I just want answers.",
    '我在你们商城买的水果刀，收到货刀刃就断了，要求退货',
    '我带着水果刀去门店退货，店员不给退',
    '我拿着刀险的保单去营业部问理赔',
    '那个理财经理一直砸单，砸盘砸得我亏了三万',
    '你们的主力砸盘，股价跌停了',
    'It was a smash hit last year, now the fund is down 30%.',
    'I smashed my phone screen and the claim was rejected.',
    '他住哪我都不知道，怎么找他？',
    '我拿着保单去营业部找那个客户经理',
  ])('%s', (text) => {
    const d = judge(text);
    expect(d.urgent).toBe(false);
    expect(rules(d)).not.toContain('urgent.self_harm_or_violence');
  });
});

describe('"if anything happens, don\'t blame me" alone is a threat, not violence', () => {
  it.each(['到时候出了什么事别怪我没提醒你们', "Don't say I didn't warn you."])('%s', (text) => {
    const d = judge(text);
    expect(d.tier).toBe('L2');
    expect(d.urgent).toBe(false);
    expect(rules(d)).toContain('l2.threat');
  });
});
