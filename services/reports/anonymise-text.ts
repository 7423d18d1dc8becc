// Personal data out of free text, for training cases (R-CASES) and anything else that leaves the
// ledger. Four layers, each catching what the others may miss:
//  1. the values we know belong to the case: the complainant's name, phone, e-mail, reference number
//     and chat user id, and every staff member's name and employee number;
//  2. the local PII recogniser (mobile numbers, resident ID numbers, bank cards, e-mail addresses);
//  3. any run of five or more digits, with the letters and dashes stuck to it (policy, account and
//     contract numbers have no fixed shape);
//  4. person names jieba tags as such (nr, nrfg, nrt) or leaves unknown while they start with a common
//     surname, and a known surname with a title (张先生).
import { createRequire } from 'node:module';
import { findLocalPii } from '../text-analysis/local-pii';

export const MASK = { name: '[姓名]', phone: '[电话]', id: '[证件号]', account: '[账号]', email: '[邮箱]', number: '[编号]' } as const;

export interface KnownPersonalData {
  /** Names (complainant, staff, anyone else named in the case's fields). */
  names: string[];
  /** Phones, e-mails, reference numbers, user ids: masked wherever they appear. */
  identifiers: string[];
}

type JiebaModule = typeof import('@node-rs/jieba');
let jieba: InstanceType<JiebaModule['Jieba']> | undefined;
function tagger() {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as JiebaModule;
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

const TITLES = '先生|女士|小姐|太太|总|经理|老师|师傅|阿姨|大爷';
const PERSON_TAGS = new Set(['nr', 'nrfg', 'nrt']);
/** Common surnames (百家姓, the most frequent): an unknown 2–4 character word starting with one is taken for a name. */
const SURNAMES = new Set([...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤']);
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '令狐', '慕容', '司徒', '公孙'];

function looksLikeName(word: string, tag: string): boolean {
  if (!/^[\u4e00-\u9fff]{2,4}$/.test(word)) return false;
  if (PERSON_TAGS.has(tag)) return true;
  // Out-of-vocabulary words (tag x from the HMM) are where names the dictionary does not know end up.
  return tag === 'x' && (SURNAMES.has(word[0]!) || COMPOUND_SURNAMES.some((c) => word.startsWith(c))) && word.length <= 3 + (COMPOUND_SURNAMES.some((c) => word.startsWith(c)) ? 1 : 0);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function anonymiseText(text: string | null | undefined, known: KnownPersonalData): string {
  if (!text) return '';
  let out = text;
  // 1. Known values, longest first (a full name before its surname).
  const identifiers = [...new Set(known.identifiers.map((v) => v.trim()).filter((v) => v.length >= 3))].sort((a, b) => b.length - a.length);
  for (const v of identifiers) {
    out = out.replace(new RegExp(escapeRegExp(v), 'gi'), v.includes('@') ? MASK.email : MASK.number);
    const digits = v.replace(/\D/g, '');
    if (digits.length >= 7) out = out.replace(new RegExp(digits.split('').join('[ -]?'), 'g'), MASK.number);
  }
  const names = [...new Set(known.names.map((n) => n.trim()).filter((n) => n.length >= 2))].sort((a, b) => b.length - a.length);
  for (const n of names) out = out.replace(new RegExp(escapeRegExp(n), 'gi'), MASK.name);
  const surnames = [...new Set(names.filter((n) => /^[\u4e00-\u9fff]{2,4}$/.test(n)).map((n) => n[0]!))];
  if (surnames.length) out = out.replace(new RegExp(`(?:老|小)?[${surnames.join('')}](?:${TITLES})`, 'g'), MASK.name);
  // 2. Recognised personal data.
  const entities = findLocalPii(out).sort((a, b) => b.offset - a.offset);
  for (const e of entities) {
    const mask = e.category === 'PhoneNumber' ? MASK.phone : e.category === 'ChineseIdCard' ? MASK.id : e.category === 'BankCard' ? MASK.account : e.category === 'Email' ? MASK.email : MASK.number;
    out = out.slice(0, e.offset) + mask + out.slice(e.offset + e.length);
  }
  // 3. Long digit runs (account, policy and contract numbers), with letters and dashes attached.
  out = out.replace(/[A-Za-z0-9-]*\d{5,}[A-Za-z0-9-]*/g, MASK.number);
  // 4. Names the segmenter recognises.
  return tagger()
    .tag(out, true)
    .map((w) => (looksLikeName(w.word, w.tag) ? MASK.name : w.word))
    .join('');
}
