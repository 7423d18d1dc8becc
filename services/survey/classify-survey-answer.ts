// What a customer's free-text reply to the survey means, in Chinese and English. Pure, table-tested
// (test/survey/classify-survey-answer.test.ts).
//
// Only short replies that ARE an answer count: after the fillers around it (我觉得…, 挺…, …吧,
// "I am …", "really") are taken off, what is left must be one of the known expressions or a score.
// A longer message that merely contains 不满意 ("我对另一笔保单不满意，想投诉") is not swallowed as a
// survey answer: it goes to the normal conversation.
//
// Scores: a digit 1–5 (also full-width, 五分, "4 stars", "3/5"). Words carry satisfied/dissatisfied
// and no rating (the row keeps rating null: the customer gave no number). 3 and the neutral words
// (还行, 一般, OK) count as not dissatisfied: the complaint closes.

export interface SurveyAnswer {
  /** 1–5 when the customer gave a score; null for words only. */
  rating: number | null;
  satisfied: boolean;
  /** The answer was a bare score (a digit): ambiguous while another question is open. */
  bareScore: boolean;
}

/** ≤ 2 is dissatisfied; 3 is neutral and counts as satisfied enough to close. */
export function satisfiedByRating(rating: number): boolean {
  return rating >= 3;
}

const ZH_WORDS: ReadonlyArray<[string[], boolean]> = [
  [['非常不满意', '很不满意', '特别不满意', '极不满意', '十分不满意', '太差了', '太差', '很差', '非常差', '特别差', '差劲', '差评', '极差', '糟糕', '太糟糕', '很糟糕', '垃圾', '太烂了', '很烂'], false],
  [['不满意', '不太满意', '不是很满意', '不怎么满意', '不满', '不好', '不行', '不认可', '不接受', '没解决', '没有解决', '不同意', '差'], false],
  [['非常满意', '很满意', '特别满意', '十分满意', '太满意了', '超级满意', '满意', '比较满意', '挺满意', '还算满意', '基本满意', '好评', '很好', '非常好', '好的很', '满分', '认可', '接受'], true],
  [['还行', '还可以', '一般', '凑合', '马马虎虎', '还好', '可以', '过得去', '中评', '一般般'], true],
];

const EN_WORDS: ReadonlyArray<[string[], boolean]> = [
  [['very dissatisfied', 'very unhappy', 'terrible', 'awful', 'horrible', 'very bad', 'very poor', 'worst', 'useless', 'disappointed', 'very disappointed'], false],
  [['not happy', 'not satisfied', 'unsatisfied', 'dissatisfied', 'unhappy', 'not good', 'bad', 'poor', 'not ok', 'not okay', 'not resolved', 'no good', 'not really'], false],
  [['very satisfied', 'very happy', 'excellent', 'great', 'perfect', 'satisfied', 'happy', 'good', 'very good', 'fine'], true],
  [['ok', 'okay', 'neutral', 'average', 'so so', 'so-so', 'alright', 'all right', 'acceptable', 'not bad'], true],
];

const ZH_PREFIXES = ['我觉得', '我感觉', '感觉', '觉得', '我对结果', '对结果', '我对处理结果', '对处理结果', '处理结果', '结果', '我对', '对', '我', '总体', '整体', '还是', '算是', '是', '有点', '挺', '比较'];
const ZH_SUFFIXES = ['的', '了', '啊', '呀', '吧', '哈', '嗯', '哦', '呢', '啦', '吗'];
const EN_PREFIXES = ['i am', "i'm", 'im', 'i was', 'i feel', 'i think', 'it is', "it's", 'it was', 'that is', "that's", 'overall', 'really', 'quite', 'pretty', 'rather', 'yes', 'honestly'];
const EN_SUFFIXES = ['thanks', 'thank you', 'overall', 'really', 'with it', 'with this', 'with the result', 'with the answer'];

const ZH_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

export function classifySurveyAnswer(input: string | null | undefined): SurveyAnswer | null {
  if (!input) return null;
  const text = input.normalize('NFKC').toLowerCase().trim();
  if (text.length === 0 || text.length > 40) return null;
  const score = scoreOf(text);
  if (score) return score;
  if (/[\u4e00-\u9fff]/.test(text)) {
    const core = strip(text.replace(/[\s，。！？、,.!?~～…]+/g, ''), ZH_PREFIXES, ZH_SUFFIXES, '');
    return lookup(core, ZH_WORDS);
  }
  const words = text.replace(/[^a-z\s'-]+/g, ' ').replace(/\s+/g, ' ').trim();
  const core = strip(words, EN_PREFIXES, EN_SUFFIXES, ' ');
  return lookup(core, EN_WORDS);
}

function scoreOf(text: string): SurveyAnswer | null {
  const compact = text.replace(/\s+/g, '');
  const digit = /^([1-5])(分|星|颗星|stars?|points?|\/5|outof5|分满分)?[!.。！]?$/.exec(compact);
  if (digit) return rated(Number(digit[1]), digit[2] === undefined);
  const zh = /^(?:打|给|评)?([一二两三四五])(?:分|星|颗星)[!.。！]?$/.exec(compact);
  if (zh) return rated(ZH_NUMERALS[zh[1]!]!, false);
  return null;
}

function rated(rating: number, bareScore: boolean): SurveyAnswer {
  return { rating, satisfied: satisfiedByRating(rating), bareScore };
}

/** Takes known fillers off both ends until none is left. */
function strip(text: string, prefixes: string[], suffixes: string[], sep: string): string {
  let core = text;
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of prefixes) {
      if (core.length > p.length && core.startsWith(p + sep)) {
        core = core.slice(p.length + sep.length);
        changed = true;
      }
    }
    for (const s of suffixes) {
      if (core.length > s.length && core.endsWith(sep + s)) {
        core = core.slice(0, core.length - s.length - sep.length);
        changed = true;
      }
    }
  }
  return core.trim();
}

function lookup(core: string, table: ReadonlyArray<[string[], boolean]>): SurveyAnswer | null {
  for (const [phrases, satisfied] of table) {
    if (phrases.includes(core)) return { rating: null, satisfied, bareScore: false };
  }
  return null;
}

/** The customer declines to add a comment. */
export function isSkipComment(input: string | null | undefined): boolean {
  const t = (input ?? '').normalize('NFKC').toLowerCase().replace(/[\s，。！？,.!?]+/g, '');
  return ['跳过', '不用', '不用了', '没有', '没有了', '无', '没了', '算了', '不需要', 'skip', 'no', 'none', 'nothing', 'nothanks', 'nope', 'n/a'].includes(t);
}

/** The customer asks for a review of the decision (申请复核). */
export function isReviewRequest(input: string | null | undefined): boolean {
  const t = (input ?? '').normalize('NFKC').toLowerCase();
  return /申请复核|我要复核|要求复核|复核申请|申请复查|我要复查/.test(t) || /\b(request|ask for|want|need|apply for)( a| an)? review\b/.test(t);
}
