// Lexicon sentiment for Chinese and English complaint language, no model, no service.
//
// Scale (what triage's "agitated" threshold, default 0.85 in the policy, is compared with):
//   negative = N / (N + P + 1.5), positive = P / (N + P + 1.5), neutral = the rest (sum = 1),
// where N and P are the summed weights of the negative and positive words found:
//   - words weigh 0.5 (complaint markers such as 还没/still not) to 4 (insults and fury: 骗子, 垃圾,
//     气死, scam, liars, furious);
//   - an intensifier just before a word multiplies it (很 ×1.3, 非常/太 ×1.6, 极其 ×1.8, very ×1.6…);
//   - a negation just before a word flips it: 不 + 满意 counts as negative, 不 + 差 is dropped;
//   - ALL-CAPS lexicon words count ×1.5; each "!"/"！" (up to 6), each run of "??"/"？？" and other
//     ALL-CAPS words add arousal to whichever side dominates.
// Reading the numbers: a calm factual complaint ("理赔申请提交一个月还没有处理，请尽快处理") stays
// around 0.25 (neutral); plain dissatisfaction ("很失望", "不满意", "太慢了") lands between 0.5 and
// 0.8; insults, fury and shouting ("你们这群骗子！！！气死我了，垃圾公司") reach 0.85 and above.
// Labels: negative when negative ≥ 0.5, positive when positive ≥ 0.5, mixed when both are ≥ 0.3,
// neutral otherwise.
import { toSimplified } from './chinese-script';
import type { SentimentLabel } from './text-analysis';

export interface SentimentScores {
  label: SentimentLabel;
  positive: number;
  neutral: number;
  negative: number;
}

type Kind = 'neg' | 'pos' | 'int' | 'not' | 'none';
interface Entry {
  kind: Kind;
  /** Word weight, or the multiplier of an intensifier. */
  weight: number;
}

const NEUTRAL_MASS = 1.5;

// ── Chinese ──────────────────────────────────────────────────────────────────────────────────────
// Longest match wins, so compounds such as 不满意, 不能接受 or 操作 are read as one word before 不 or
// 操 alone. 'none' entries exist only to stop a shorter entry from matching inside them.
const ZH: Record<Kind, Record<string, number>> = {
  neg: {
    // fury, insults, fraud (4)
    骗子: 4, 骗人: 4, 骗钱: 4, 欺骗: 4, 垃圾: 4, 气死: 4, 气炸: 4, 愤怒: 4, 暴怒: 4, 忍无可忍: 4,
    黑心: 4, 无耻: 4, 混蛋: 4, 王八蛋: 4, 流氓: 4, 强盗: 4, 吸血: 4, 恶心: 4, 去死: 4, 滚: 4,
    他妈: 4, 妈的: 4, 操你: 4, 草泥马: 4, 傻逼: 4, 狗屁: 4, 畜生: 4, 不要脸: 4, 坑人: 4,
    坑钱: 4, 坑爹: 4, 无法接受: 4, 不可理喻: 4, 欺人太甚: 4, 岂有此理: 4, 丧尽天良: 4, 奸商: 4,
    缺德: 4, 受够了: 4, 无法忍受: 4, 忍不了: 3.5, 火大: 3.5, 崩溃: 3, 霸王条款: 4,
    // strong dissatisfaction (2.5–3.5)
    坑: 3, 诈骗: 3, 欺诈: 3, 被骗: 3, 受骗: 3, 上当: 3, 忽悠: 3, 耍赖: 3, 抵赖: 3, 赖账: 3,
    黑幕: 3, 差劲: 3, 恶劣: 3, 离谱: 3, 生气: 3, 气愤: 3, 愤慨: 3, 可恶: 3, 不能接受: 3.5,
    不可接受: 3.5, 难以接受: 3, 烦死: 3, 无良: 3, 霸王: 3, 过分: 2.5, 糟糕: 2.5, 敷衍: 2.5,
    推诿: 2.5, 踢皮球: 2.5, 扯皮: 2.5, 糊弄: 2.5, 猫腻: 2.5, 套路: 2.5, 陷阱: 2.5, 心寒: 2.5,
    寒心: 2.5, 急死: 2.5, 不负责任: 2.5, 不像话: 2.5, 不讲理: 2.5, 不讲道理: 2.5, 不理不睬: 2.5,
    爱答不理: 2.5, 不闻不问: 2.5, 一拖再拖: 2.5, 乱收费: 2.5, 投诉无门: 2.5, 无理: 2.5,
    // dissatisfaction (1–2)
    差: 2, 失望: 2, 不满: 2, 不满意: 2, 无语: 2, 不公平: 2, 不公: 2, 不作为: 2, 不靠谱: 2,
    没人管: 2, 没人理: 2, 没有人理: 2, 石沉大海: 2, 痛心: 2, 后悔: 2, 乱扣: 2, 误导: 2, 烦: 2,
    没用: 2, 没有用: 2, 不好: 1.5, 不合理: 1.5, 不回复: 1.5, 不处理: 1.5, 不理: 1.5, 不赔: 1.5,
    不退: 1.5, 拖延: 1.5, 郁闷: 1.5, 委屈: 1.5, 焦急: 1.5, 无奈: 1.5, 垃圾短信: 1.5, 垃圾电话: 1.5,
    垃圾邮件: 1.5, 打不通: 1.5, 联系不上: 1.5, 拒赔: 1, 拖了: 1, 迟迟: 1, 一直没: 1, 不行: 1, 着急: 1, 慢: 1,
    // complaint markers (0.5)
    凭什么: 2, 还没: 0.5, 至今: 0.5, 仍未: 0.5, 尚未: 0.5,
    '😡': 3, '🤬': 4, '😠': 2.5, '💢': 2.5, '👎': 2,
  },
  pos: {
    满意: 1.5, 谢谢: 1, 感谢: 1, 多谢: 1, 辛苦: 0.8, 好评: 1.5, 点赞: 1.5, 不错: 1.5, 很好: 1.5,
    挺好: 1.5, 真好: 1.5, 太好了: 2, 非常好: 2, 特别好: 2, 专业: 1, 及时: 1, 耐心: 1, 周到: 1,
    热情: 1, 靠谱: 1, 给力: 1, 高效: 1, 负责: 1, 诚信: 1, 解决了: 0.5, 已解决: 0.5, 喜欢: 1.5,
    开心: 1.5, 高兴: 1.5, 放心: 1, 认可: 1, 公平: 1, 合理: 0.5, 没问题: 0.5, '👍': 1, '😊': 1, '🙏': 0.5,
  },
  int: {
    非常: 1.6, 十分: 1.6, 极其: 1.8, 极: 1.6, 特别: 1.6, 超级: 1.6, 超: 1.4, 太: 1.6, 很: 1.3,
    挺: 1.2, 真: 1.3, 真的: 1.3, 真是: 1.3, 实在: 1.5, 简直: 1.6, 好: 1.3, 相当: 1.4, 如此: 1.4,
    这么: 1.3, 那么: 1.2, 越来越: 1.3, 更: 1.2, 最: 1.4, 完全: 1.5, 彻底: 1.5,
  },
  not: { 不: 1, 没: 1, 没有: 1, 未: 1, 别: 1, 无: 1, 无法: 1, 不是: 1, 并不: 1, 从不: 1.3, 从没: 1.3, 一点都不: 1.6, 一点也不: 1.6 },
  none: {
    不能: 0, 不过: 0, 不断: 0, 不要: 0, 不仅: 0, 不然: 0, 不少: 0, 不停: 0, 不知道: 0, 不得不: 0,
    不用: 0, 不久: 0, 不同: 0, 不但: 0, 不管: 0, 不如: 0, 没想到: 0, 没事: 0, 无所谓: 0, 差额: 0,
    差价: 0, 差旅: 0, 差异: 0, 差不多: 0, 误差: 0, 出差: 0, 差距: 0, 时差: 0, 差点: 0, 相差: 0,
    偏差: 0, 慢慢: 0, 滚动: 0, 操作: 0, 他妈妈: 0, 负责人: 0, 超过: 0, 超出: 0, 超时: 0, 太太: 0,
    你好: 0, 好的: 0, 好不好: 0, 好像: 0, 只好: 0, 最好: 0, 最后: 0, 最近: 0, 最终: 0, 极速: 0,
    积极: 0, 真实: 0, 认真: 0, 更新: 0, 更改: 0, 变更: 0, 无论: 0, 无效: 0, 未来: 0, 别人: 0,
    特别是: 0, 坑位: 0, 妈妈: 0, 太平: 0, 太保: 0, 极了: 0,
  },
};

// ── English ──────────────────────────────────────────────────────────────────────────────────────
// Words and phrases of up to three words, lower case, apostrophes normalised to "'".
const EN: Record<Kind, Record<string, number>> = {
  neg: {
    scam: 4, scams: 4, scammer: 4, scammers: 4, fraud: 4, fraudulent: 4, fraudsters: 4, liar: 4, liars: 4,
    thief: 4, thieves: 4, furious: 4, outraged: 4, outrageous: 4, livid: 4, disgusting: 4, disgraceful: 4,
    disgrace: 4, bullshit: 4, shit: 4, fuck: 4, fucking: 4, 'sick and tired': 4, unacceptable: 3.5,
    pathetic: 3.5, incompetent: 3.5, shameful: 3.5, crap: 3.5, cheat: 3.5, cheated: 3.5, cheating: 3.5,
    'rip off': 3.5, 'ripped off': 3.5, ripoff: 3.5, stealing: 3.5, 'pissed off': 3.5, pissed: 3.5,
    'not acceptable': 3.5, worst: 3.5, stole: 3, lying: 3, lied: 3, terrible: 3, awful: 3, horrible: 3,
    angry: 3, useless: 3, ridiculous: 3, absurd: 3, hate: 3, damn: 3, hell: 3, nightmare: 3,
    'fed up': 3, 'sick of': 3, "can't accept": 3, 'cannot accept': 3, shame: 2.5, rude: 2.5,
    'waste of time': 2.5, 'waste of money': 2.5, 'never again': 2.5, misleading: 2.5, misled: 2.5,
    disappointed: 2, disappointing: 2, disappointment: 2, frustrated: 2, frustrating: 2, annoying: 2,
    unhappy: 2, dissatisfied: 2, upset: 2, ignored: 2, ignoring: 2, unfair: 2, mad: 2, joke: 2,
    'not good enough': 2, annoyed: 1.5, bad: 1.5, poor: 1.5, unreasonable: 1.5, slow: 1, delayed: 1,
    delay: 1, delays: 1, 'still not': 0.5, "still haven't": 0.5, 'still no': 0.5, 'yet to': 0.5,
  },
  pos: {
    thanks: 1, thank: 1, appreciate: 1, appreciated: 1, great: 1.5, good: 1, excellent: 2, helpful: 1.5,
    happy: 1.5, satisfied: 1.5, pleased: 1.5, glad: 1.5, quick: 1, fast: 1, resolved: 0.5, solved: 0.5,
    love: 2, wonderful: 2, perfect: 2, kind: 1, professional: 1, polite: 1, fair: 1, reasonable: 0.5,
    acceptable: 0.5,
  },
  int: {
    very: 1.6, extremely: 1.8, really: 1.3, so: 1.4, too: 1.3, totally: 1.6, absolutely: 1.6,
    completely: 1.6, utterly: 1.8, incredibly: 1.6, super: 1.4, truly: 1.3, most: 1.3, such: 1.3,
    highly: 1.4, deeply: 1.5,
  },
  not: {
    not: 1, no: 1, never: 1.3, "don't": 1, "doesn't": 1, "didn't": 1, "isn't": 1, "aren't": 1, "wasn't": 1,
    "weren't": 1, "can't": 1, cannot: 1, "couldn't": 1, "won't": 1, "wouldn't": 1, "haven't": 1,
    "hasn't": 1, "hadn't": 1, hardly: 1,
  },
  none: { 'no problem': 0, 'no worries': 0, 'thank god': 0, 'so far': 0, 'so that': 0, 'not only': 0 },
};

// Upper-case words that are names, not shouting.
const ACRONYMS = new Set(['VISA', 'HTTP', 'HTTPS', 'JSON', 'HTML', 'IPAD', 'WIFI', 'UNIONPAY', 'IPHONE', 'ANDROID', 'EMAIL', 'ALIPAY', 'WECHAT', 'CBIRC', 'CSRC', 'NFRA']);

const zhIndex = new Map<string, { term: string; entry: Entry }[]>();
for (const kind of Object.keys(ZH) as Kind[]) {
  for (const [term, weight] of Object.entries(ZH[kind])) {
    const key = term[0]!;
    const list = zhIndex.get(key) ?? [];
    list.push({ term, entry: { kind, weight } });
    zhIndex.set(key, list);
  }
}
for (const list of zhIndex.values()) list.sort((a, b) => b.term.length - a.term.length);

const enIndex = new Map<string, Entry>();
for (const kind of Object.keys(EN) as Kind[]) {
  for (const [term, weight] of Object.entries(EN[kind])) enIndex.set(term, { kind, weight });
}

interface Token extends Entry {
  start: number;
  end: number;
  latin: boolean;
  shouted: boolean;
}

const BREAK = /[。！？!?；;，,、\n\r.…~：:]/;
const WORD = /[A-Za-z]+(?:['’][A-Za-z]+)*/g;
const HAN = /[\u3400-\u9fff]/;

function tokenize(text: string): { tokens: Token[]; shoutedWords: number } {
  const words: { start: number; end: number; raw: string; lower: string }[] = [];
  for (const m of text.matchAll(WORD)) {
    words.push({ start: m.index, end: m.index + m[0].length, raw: m[0], lower: m[0].toLowerCase().replace(/’/g, "'") });
  }
  const wordAt = new Map<number, number>();
  words.forEach((w, i) => wordAt.set(w.start, i));

  const tokens: Token[] = [];
  let shoutedWords = 0;
  let i = 0;
  while (i < text.length) {
    const wi = wordAt.get(i);
    if (wi !== undefined) {
      let matched: { n: number; entry: Entry } | undefined;
      for (let n = 3; n >= 1 && !matched; n--) {
        const group = words.slice(wi, wi + n);
        if (group.length < n) continue;
        // Only words separated by plain spaces or hyphens form a phrase.
        const joinedOk = group.every((w, k) => k === 0 || /^[ \t-]+$/.test(text.slice(group[k - 1]!.end, w.start)));
        if (!joinedOk) continue;
        const entry = enIndex.get(group.map((w) => w.lower).join(' '));
        if (entry) matched = { n, entry };
      }
      const n = matched?.n ?? 1;
      const first = words[wi]!;
      const last = words[wi + n - 1]!;
      const raw = text.slice(first.start, last.end);
      const shouted = /[A-Z]{3}/.test(raw) && raw === raw.toUpperCase();
      if (matched) {
        tokens.push({ ...matched.entry, start: first.start, end: last.end, latin: true, shouted });
      } else if (shouted && first.raw.length >= 4 && !ACRONYMS.has(first.raw)) {
        shoutedWords++;
      }
      i = last.end;
      continue;
    }
    const ch = text[i]!;
    const candidates = zhIndex.get(ch);
    const hit = candidates?.find((c) => text.startsWith(c.term, i));
    if (hit) {
      tokens.push({ ...hit.entry, start: i, end: i + hit.term.length, latin: false, shouted: false });
      i += hit.term.length;
      continue;
    }
    if (BREAK.test(ch)) tokens.push({ kind: 'none', weight: -1, start: i, end: i + 1, latin: false, shouted: false });
    i++;
  }
  return { tokens, shoutedWords };
}

/** How far (in Chinese characters or English words) a modifier reaches. */
function distance(text: string, from: number, to: number): number {
  const gap = text.slice(from, to);
  let units = 0;
  for (const ch of gap) if (HAN.test(ch)) units++;
  units += (gap.match(/[A-Za-z]+/g) ?? []).length;
  return units;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function scoreSentiment(text: string): SentimentScores {
  // The lexicon is Simplified: Traditional text (氣死了, 騙子) is read through OpenCC first.
  const { tokens, shoutedWords } = tokenize(toSimplified(text));
  let neg = 0;
  let pos = 0;
  let multiplier = 1;
  let multiplierEnd = -1;
  let negatedEnd = -1;
  let negation = 1;
  for (const t of tokens) {
    if (t.kind === 'none') {
      if (t.weight < 0) {
        // A clause break ends every modifier.
        multiplier = 1;
        multiplierEnd = -1;
        negatedEnd = -1;
      }
      continue;
    }
    if (t.kind === 'int') {
      multiplier = Math.min((multiplierEnd >= 0 ? multiplier : 1) * t.weight, 2.5);
      multiplierEnd = t.end;
      continue;
    }
    if (t.kind === 'not') {
      negatedEnd = t.end;
      negation = t.weight;
      continue;
    }
    const intensified = multiplierEnd >= 0 && distance(text, multiplierEnd, t.start) <= 2 ? multiplier : 1;
    const negated = negatedEnd >= 0 && distance(text, negatedEnd, t.start) <= 2;
    const weight = t.weight * (t.shouted ? 1.5 : 1);
    if (negated) {
      // "不太满意" / "not very helpful": negative, without the intensifier's strength; "一点都不专业"
      // stronger. A negated negative word ("不差", "not bad", "我不是骗子") counts for nothing.
      if (t.kind === 'pos') neg += weight * 1.2 * negation;
    } else if (t.kind === 'pos') {
      pos += weight * intensified;
    } else {
      neg += weight * intensified;
    }
    multiplier = 1;
    multiplierEnd = -1;
    negatedEnd = -1;
  }

  const exclamations = Math.min((text.match(/[!！]/g) ?? []).length, 6);
  const questionRuns = Math.min((text.match(/[?？]{2,}/g) ?? []).length, 3);
  const arousal = exclamations * 0.5 + questionRuns * 0.5 + Math.min(shoutedWords, 5) * 0.5;
  if (neg === 0 && pos === 0) neg += arousal * 0.5; // "什么时候处理！！！" is agitated, not happy
  else if (neg >= pos) neg += arousal;
  else pos += arousal * 0.5;

  const total = neg + pos + NEUTRAL_MASS;
  const negative = round3(neg / total);
  const positive = round3(pos / total);
  const neutral = round3(1 - negative - positive);
  let label: SentimentLabel = 'neutral';
  if (negative >= 0.5) label = 'negative';
  else if (positive >= 0.5) label = 'positive';
  else if (negative >= 0.3 && positive >= 0.3) label = 'mixed';
  return { label, positive, neutral, negative };
}
