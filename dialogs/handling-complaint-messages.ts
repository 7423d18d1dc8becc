// What a customer reads when complaining about how their complaint is handled (R-SUPERVISION), in
// Chinese (default) and English. Kept beside the dialog; the shared catalogue is i18n/messages.ts.
import type { Locale } from './i18n/locale';

const zh = {
  whichPrompt: '您要投诉哪一件投诉的处理情况？请点选投诉编号：',
  whichRetry: '请点选下面的投诉编号（或回复序号）。',
  numberPrompt: '请输入您要投诉其处理情况的投诉编号（例如 TS20261128-000042）：',
  numberRetry: '投诉编号格式为 TS + 8 位日期 + “-” + 6 位序号，例如 TS20261128-000042。',
  notFound: (n: string) => `没有找到投诉编号 ${n}，请核对后再试。`,
  verifyPrompt: (n: string) => `为保护您的信息，请输入投诉 ${n} 登记的手机号后四位：`,
  verifyRetry: '请输入 4 位数字。',
  verifyFailed: '手机号后四位不匹配，无法受理对该投诉处理情况的投诉。如有疑问请回复“人工客服”。',
  reasonPrompt: (n: string) => `好的，关于投诉 ${n} 的处理情况。请简单说说您对处理的哪些方面不满意（例如处理太慢、处理人员的态度、处理结果）：`,
  reasonRetry: '请用 2 到 2000 个字说明您对处理的哪些方面不满意。',
  filed: (p: { number: string; about: string; due: string }) =>
    `已受理您对投诉 ${p.about} 处理情况的投诉，投诉编号：${p.number}。该投诉已转交监督部门独立处理，我们将在 ${p.due} 前答复您。请保存好编号以便查询进度。`,
  failed: (ref: string) => `抱歉，系统暂时无法登记您的投诉（参考编号 ${ref}），请稍后重试，或回复“人工客服”。`,
};

export type HandlingComplaintMessages = typeof zh;

const en: HandlingComplaintMessages = {
  whichPrompt: 'Which complaint’s handling do you want to complain about? Choose its number:',
  whichRetry: 'Please choose one of the complaint numbers below (or reply with its position).',
  numberPrompt: 'Please enter the number of the complaint whose handling you want to complain about (e.g. TS20261128-000042):',
  numberRetry: 'A complaint number is TS + an 8-digit date + "-" + 6 digits, e.g. TS20261128-000042.',
  notFound: (n) => `No complaint has the number ${n}. Please check it and try again.`,
  verifyPrompt: (n) => `To protect your information, please enter the last four digits of the phone number given with complaint ${n}:`,
  verifyRetry: 'Please enter 4 digits.',
  verifyFailed: 'Those digits do not match, so I cannot take a complaint about that complaint’s handling. Say "human" if you need help.',
  reasonPrompt: (n) => `All right — about the handling of complaint ${n}. Please tell us briefly what you are unhappy with (for example: too slow, the handler’s attitude, the outcome):`,
  reasonRetry: 'Please describe in 2 to 2000 characters what you are unhappy with.',
  filed: (p) =>
    `Your complaint about the handling of complaint ${p.about} has been accepted. Complaint number: ${p.number}. It goes to the supervision department, which handles it independently; we will reply by ${p.due}. Please keep the number to check its progress.`,
  failed: (ref) => `Sorry, the system could not file your complaint just now (reference ${ref}). Please try again later, or say "human".`,
};

export function handlingComplaintMessages(locale: Locale): HandlingComplaintMessages {
  return locale === 'en-US' ? en : zh;
}
