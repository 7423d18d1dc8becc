// The monthly report by e-mail (nodemailer, the SMTP relay alerts use) to the leadership group —
// active staff with the leadership role, at their e-mail contact or staff e-mail — and to the
// configured extra addresses, in one message.
import nodemailer from 'nodemailer';
import type { Database } from '../db/client';
import type { ReportFigures } from './compute-statistics';

export async function leadershipRecipients(db: Database, extra: readonly string[] = []): Promise<string[]> {
  const leaders = await db.staff.findMany({
    where: { role: 'leadership', active: true },
    select: { email: true, contacts: { where: { kind: 'email', enabled: true }, select: { address: true } } },
  });
  const addresses = leaders.map((l) => l.contacts[0]?.address ?? l.email).filter((a): a is string => !!a && a.includes('@'));
  return [...new Set([...addresses, ...extra].map((a) => a.trim().toLowerCase()))].sort();
}

export interface ReportMail {
  smtpUrl: string;
  from: string;
  to: string[];
  figures: ReportFigures;
  month: string;
  pdf: Buffer;
  xlsx: Buffer;
  /** Where the console's dashboard is (PUBLIC_BASE_URL). */
  consoleUrl?: string;
}

export function monthlyReportFileName(month: string, ext: 'pdf' | 'xlsx'): string {
  return `complaints-monthly-report-${month}.${ext}`;
}

export async function sendReportMail(mail: ReportMail): Promise<void> {
  const transport = nodemailer.createTransport({ url: mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, disableFileAccess: true, disableUrlAccess: true });
  const f = mail.figures;
  const pct = (v: number | null) => (v === null ? '未登记 not recorded' : `${(v * 100).toFixed(1)}%`);
  const text = [
    `投诉月报 ${mail.month} / Monthly complaint report ${mail.month}`,
    '',
    `投诉总量 Total: ${f.total}（环比 MoM ${pct(f.trends.previous.changeRate)}，同比 YoY ${pct(f.trends.lastYear.changeRate)}）`,
    `已答复 Answered: ${f.results.answered}，已结案 Closed: ${f.results.closed}，未办结 Open: ${f.results.open}`,
    `按时率 On-time rate: ${pct(f.onTime.overall.onTimeRate)}，重开率 Reopen rate: ${pct(f.reopen.rate)}`,
    f.satisfaction.recorded
      ? `满意度 Satisfaction: ${pct(f.satisfaction.rate)}（${f.satisfaction.satisfied} / ${f.satisfaction.responses}），调查回复率 Response rate: ${pct(f.satisfaction.responseRate)}，平均评分 Average rating: ${f.satisfaction.averageRating?.toFixed(2) ?? '—'}`
      : '满意度 Satisfaction: 未登记 not recorded',
    '',
    '附件：PDF（图表）与 Excel（明细数据）。Attached: PDF (charts) and Excel (tables).',
    mail.consoleUrl ? `看板 Dashboard: ${mail.consoleUrl}/console/dashboard.html` : '',
  ].join('\n');
  try {
    await transport.sendMail({
      from: mail.from,
      to: mail.to,
      subject: `投诉月报 ${mail.month} Monthly complaint report`,
      text,
      attachments: [
        { filename: monthlyReportFileName(mail.month, 'pdf'), content: mail.pdf, contentType: 'application/pdf' },
        { filename: monthlyReportFileName(mail.month, 'xlsx'), content: mail.xlsx, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      ],
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  } finally {
    transport.close();
  }
}
