// A cheap language guess for the two languages the bot serves. Chinese characters carry about as
// much as three Latin letters, so mixed text such as "APP登录不了，error 500" still counts as Chinese.
export type GuessedLanguage = 'zh' | 'en' | 'unknown';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const KANA_HANGUL = /[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff]/u;
const LATIN = /[A-Za-z]/;
const OTHER_LETTER = /\p{L}/u;

export function guessLanguage(text: string): GuessedLanguage {
  let han = 0;
  let latin = 0;
  let other = 0;
  for (const ch of text) {
    if (HAN.test(ch)) han++;
    else if (LATIN.test(ch)) latin++;
    else if (KANA_HANGUL.test(ch)) other += 1;
    else if (OTHER_LETTER.test(ch)) other += 1 / 3;
  }
  const zh = han;
  const en = latin / 3;
  const total = zh + en + other;
  // Fewer than two Chinese characters' or six Latin letters' worth of text: cannot tell.
  if (total < 2) return 'unknown';
  if (zh / total >= 0.6) return 'zh';
  if (en / total >= 0.6) return 'en';
  return 'unknown';
}
