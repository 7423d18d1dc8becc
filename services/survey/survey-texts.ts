// What the e-mail and SMS surveys say, zh-CN first (English for complaints filed in English).
// Nothing but the complaint number and the link: the message passes through mail and SMS systems.
import type { LinkMessage } from './survey-sender';

export function surveyMailSubject(m: LinkMessage): string {
  return isEnglish(m.locale)
    ? `${m.step === 'remind' ? 'Reminder: ' : ''}How satisfied are you with the answer to complaint ${m.number}?`
    : `${m.step === 'remind' ? '【提醒】' : ''}投诉 ${m.number} 处理满意度回访`;
}

export function surveyMailText(m: LinkMessage): string {
  return isEnglish(m.locale)
    ? [
        'Hello,', '',
        `We recently gave you our answer to complaint ${m.number}. Please tell us how satisfied you are (1 = very dissatisfied, 5 = very satisfied):`,
        m.link, '',
        'If you are not satisfied, the complaint is handled again by a more senior colleague.',
        'The link works once and expires after a few days.',
      ].join('\n')
    : [
        '您好：', '',
        `我们已就您的投诉（编号 ${m.number}）给出处理答复。请点击以下链接告诉我们您是否满意（1 分非常不满意，5 分非常满意）：`,
        m.link, '',
        '如您不满意，我们将安排更高级别的人员重新处理。',
        '链接仅可提交一次，数日后失效。',
      ].join('\n');
}

export function surveySmsText(m: LinkMessage): string {
  return isEnglish(m.locale)
    ? `${m.step === 'remind' ? 'Reminder: ' : ''}How satisfied are you with our answer to complaint ${m.number}? Rate it here: ${m.link}`
    : `${m.step === 'remind' ? '【提醒】' : ''}您的投诉（${m.number}）已答复，请评价处理满意度：${m.link}`;
}

export function isEnglish(locale: string): boolean {
  return locale.toLowerCase().startsWith('en');
}
