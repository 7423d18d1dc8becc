// What the customer reads about the satisfaction survey, zh-CN first and English (dialogs/i18n keeps
// the rest of the bot's texts; these are the survey's own).
export interface SurveyMessages {
  question(number: string, reminder: boolean): string;
  ratingLabels: [string, string, string, string, string];
  thanksSatisfied(number: string, reviewDays: number): string;
  reopened(number: string, due: string | null): string;
  askComment: string;
  commentSaved: string;
  commentSkipped: string;
  reviewReopened(number: string, due: string): string;
  reviewWindowPassed(number: string, days: number): string;
  reviewStillOpen(number: string): string;
  reviewNotFound: string;
  surveyClosed: string;
  statusRounds(reopened: number): string;
}

const zh: SurveyMessages = {
  question: (number, reminder) =>
    `${reminder ? '【提醒】' : ''}您好，您的投诉（编号 ${number}）已给出处理答复。请问您对处理结果是否满意？请点选 1–5 分（5 分非常满意，1 分非常不满意），也可以直接回复“满意”或“不满意”。`,
  ratingLabels: ['1 非常不满意', '2 不满意', '3 一般', '4 满意', '5 非常满意'],
  thanksSatisfied: (number, days) => `感谢您的评价！投诉 ${number} 已办结。如对结果仍有异议，可在答复后 ${days} 日内回复“申请复核”。`,
  reopened: (number, due) =>
    `很抱歉处理结果未能让您满意。投诉 ${number} 已重新受理，将由更高级别的负责人重新处理${due ? `，预计在 ${due} 前给您答复` : ''}。`,
  askComment: '您还有什么想告诉我们的吗？可以直接输入您的意见，或回复“跳过”。',
  commentSaved: '已记录您的意见，谢谢！',
  commentSkipped: '好的，谢谢您！',
  reviewReopened: (number, due) => `已收到您的复核申请。投诉 ${number} 已重新受理，由更高级别的负责人复核，预计在 ${due} 前给您答复。`,
  reviewWindowPassed: (number, days) => `投诉 ${number} 的复核申请期限（答复后 ${days} 日内）已过，无法在线申请复核。如有新的情况，您可以提交新的投诉。`,
  reviewStillOpen: (number) => `投诉 ${number} 仍在处理中，处理完成后我们会答复您；届时如不满意可申请复核。`,
  reviewNotFound: '没有找到您可以申请复核的投诉。请回复“申请复核 投诉编号”（如：申请复核 TS20261128-000123）。',
  surveyClosed: '这份满意度回访已结束，感谢您的关注。',
  statusRounds: (n) => `已重新处理 ${n} 次（第 ${n + 1} 轮处理）。`,
};

const en: SurveyMessages = {
  question: (number, reminder) =>
    `${reminder ? 'Reminder: ' : ''}We have given you our answer to complaint ${number}. How satisfied are you with it? Choose 1–5 (5 = very satisfied, 1 = very dissatisfied), or simply reply "satisfied" or "not happy".`,
  ratingLabels: ['1 Very dissatisfied', '2 Dissatisfied', '3 Neutral', '4 Satisfied', '5 Very satisfied'],
  thanksSatisfied: (number, days) => `Thank you for your rating! Complaint ${number} is now closed. If you disagree with the result, reply "request a review" within ${days} days of our answer.`,
  reopened: (number, due) =>
    `We are sorry the answer did not satisfy you. Complaint ${number} has been reopened and will be handled again by a more senior colleague${due ? `; you will hear from us by ${due}` : ''}.`,
  askComment: 'Is there anything else you would like to tell us? Type your comment, or reply "skip".',
  commentSaved: 'Your comment has been recorded. Thank you!',
  commentSkipped: 'All right, thank you!',
  reviewReopened: (number, due) => `We have received your request for a review. Complaint ${number} has been reopened for review by a more senior colleague; you will hear from us by ${due}.`,
  reviewWindowPassed: (number, days) => `The period to request a review of complaint ${number} (${days} days after our answer) has passed. If there are new facts, you can file a new complaint.`,
  reviewStillOpen: (number) => `Complaint ${number} is still being handled; once we answer you can ask for a review if you are not satisfied.`,
  reviewNotFound: 'We found no complaint of yours that can be reviewed. Reply "request a review" followed by the complaint number (e.g. TS20261128-000123).',
  surveyClosed: 'This satisfaction survey has ended. Thank you.',
  statusRounds: (n) => `Reopened ${n} time${n === 1 ? '' : 's'} (round ${n + 1} of handling).`,
};

export function surveyMessagesFor(locale: string | null | undefined): SurveyMessages {
  return locale?.toLowerCase().startsWith('en') ? en : zh;
}
