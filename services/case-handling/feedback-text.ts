// The answer to the customer (R-FEEDBACK: findings, decision and the customer's options), in the
// complaint's language: sent as a chat message, or the script/copy of a call, SMS, e-mail or letter.
// Pure; zh-CN unless the complaint was filed in English.
export interface FeedbackContent {
  locale: string;
  number: string;
  findings: string;
  decision: string;
  /** The customer's options; default: a review within the review window, or the regulator. */
  options?: string | null;
  reviewWindowDays: number;
}

export function isEnglish(locale: string): boolean {
  return locale.toLowerCase().startsWith('en');
}

export function defaultCustomerOptions(locale: string, reviewWindowDays: number): string {
  return isEnglish(locale)
    ? `If you are not satisfied with this answer, you may ask us for a review within ${reviewWindowDays} days of receiving it, or contact the financial regulator.`
    : `如您对处理结果不满意，可在收到本答复之日起${reviewWindowDays}日内向我们申请复核，也可以向金融监管部门反映。`;
}

export function renderFeedbackText(content: FeedbackContent): string {
  const options = content.options?.trim() || defaultCustomerOptions(content.locale, content.reviewWindowDays);
  if (isEnglish(content.locale)) {
    return [
      `About your complaint ${content.number}, here is the result of our investigation.`,
      `What we found: ${content.findings}`,
      `Our decision: ${content.decision}`,
      options,
      'Thank you for your patience.',
    ].join('\n');
  }
  return [
    `您好，关于您的投诉（编号 ${content.number}），处理结果如下：`,
    `调查情况：${content.findings}`,
    `处理决定：${content.decision}`,
    options,
    '感谢您的耐心等待。',
  ].join('\n');
}
