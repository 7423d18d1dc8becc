// Traditional Chinese (Hong Kong, Taiwan, Macau customers: 我已經找了律師, 三萬多, 後果自負) read as
// Simplified, so that the triage vocabularies, jieba's dictionary, the sentiment lexicon and the
// amount parser — all written in Simplified — see one script. OpenCC's tables (opencc-js, pure JS,
// no native code) do the conversion: a hand-kept table would cover only the characters the word lists
// happen to use today, and every new term or amount word would need a new entry. OpenCC's standard
// Traditional table is used, not its Taiwan one, which turns the Simplified 么 (特么, 什么) into 幺.
// Text that is already Simplified comes back unchanged (checked over every labelled complaint and
// every vocabulary term), character for character, so offsets keep their meaning.
import { Converter } from 'opencc-js/t2cn';

let convert: ((text: string) => string) | undefined;

/** The text in Simplified Chinese; anything without Han characters is returned as it is. */
export function toSimplified(text: string): string {
  if (!/\p{Script=Han}/u.test(text)) return text;
  convert ??= Converter({ from: 't', to: 'cn' });
  return convert(text);
}
