// R-ACK-MAIL: the acknowledgement of an e-mail complaint — the complaint number, the date by which
// the customer hears back (the feedback deadline, Asia/Shanghai), and when a person will call for
// urgent and level-1/2 complaints; zh-CN first with English below, or English first when the
// customer wrote in English. Pure: the sender (send-acknowledgement.ts) supplies the facts.
import { randomBytes } from 'node:crypto';

export const COMPLAINT_NUMBER_IN_TEXT = /TS\d{8}-\d{6}/;

export interface AcknowledgementFacts {
  number: string;
  feedbackDueAt: Date;
  contactBy: Date | null;
  urgent: boolean;
  /** The complaint's locale: "en…" puts English first. */
  locale: string;
  timeZone: string;
  /** Attachments that could not be kept (too large, a type not accepted). */
  attachmentsRefused: number;
}

/** Our Message-ID for the acknowledgement: recognisable (prefix, number) and unguessable (random part). */
export function acknowledgementMessageId(number: string, domain: string): string {
  return `complaint-ack.${number}.${randomBytes(10).toString('hex')}@${domain}`;
}

export function acknowledgementMail(facts: AcknowledgementFacts): { subject: string; text: string } {
  const zh = chineseText(facts);
  const en = englishText(facts);
  const englishFirst = facts.locale.toLowerCase().startsWith('en');
  const separator = '\n\n——————————\n\n';
  return {
    subject: englishFirst
      ? `Complaint ${facts.number} received / 投诉已受理（编号 ${facts.number}）`
      : `投诉已受理（编号 ${facts.number}）/ Complaint ${facts.number} received`,
    text: englishFirst ? `${en}${separator}${zh}\n` : `${zh}${separator}${en}\n`,
  };
}

function chineseText(f: AcknowledgementFacts): string {
  const lines = [
    '尊敬的客户：',
    '',
    '您的投诉邮件已收到并受理。',
    `投诉编号：${f.number}`,
    `我们将在 ${formatZh(f.feedbackDueAt, f.timeZone)} 前通过电子邮件向您反馈处理结果。`,
  ];
  if (f.contactBy) lines.push(`${f.urgent ? '您的投诉已作为紧急投诉处理，' : ''}专人将在 ${formatZh(f.contactBy, f.timeZone)} 前与您联系。`);
  if (f.attachmentsRefused > 0) lines.push(`您邮件中有 ${f.attachmentsRefused} 个附件因文件过大或类型不受支持未能保存，如需提交请转换为 PDF 或图片后回复本邮件。`);
  lines.push('', '如需补充情况或材料，请直接回复本邮件（请保留主题中的投诉编号），内容将归入同一投诉。', '', '本邮件由系统自动发送。');
  return lines.join('\n');
}

function englishText(f: AcknowledgementFacts): string {
  const lines = [
    'Dear customer,',
    '',
    'We have received and accepted your complaint.',
    `Complaint number: ${f.number}`,
    `We will give you the result by e-mail by ${formatEn(f.feedbackDueAt, f.timeZone)}.`,
  ];
  if (f.contactBy) lines.push(`${f.urgent ? 'Your complaint is being handled as urgent: ' : ''}a member of staff will contact you by ${formatEn(f.contactBy, f.timeZone)}.`);
  if (f.attachmentsRefused > 0) {
    lines.push(`${f.attachmentsRefused} attachment(s) could not be kept (too large, or a type we do not accept); to send them, convert them to PDF or pictures and reply to this e-mail.`);
  }
  lines.push('', 'To add facts or documents, reply to this e-mail (keep the complaint number in the subject): they are added to the same complaint.', '', 'This e-mail was sent automatically.');
  return lines.join('\n');
}

export function formatZh(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}

export function formatEn(date: Date, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  return `${f.format(date)} (Beijing time)`;
}
