// The report as an Excel workbook (exceljs): one sheet per figure, each a plain table with a header
// row — the layout Excel's own charts and pivot tables take directly (exceljs cannot draw native
// charts; the PDF carries the drawn ones). Labels in Chinese and English, codes kept in a column so
// the numbers can be matched with the CLI's JSON.
import ExcelJS from 'exceljs';
import type { ReportFigures } from './compute-statistics';
import { bilingual, DIMENSION_TITLES, NOT_RECORDED } from './report-labels';
import { BREAKDOWN_DIMENSIONS } from './report-queries';

export const XLSX_SHEETS = ['概览 Summary', '分类 Breakdowns', '时效 On time', '处理时长 Handling time', '趋势 Trends', '原因 Root causes', '热点 Hot spots', '关键词 Key phrases'] as const;

const pct = (v: number | null) => (v === null ? NOT_RECORDED['zh-CN'] : v);

export async function renderXlsx(figures: ReportFigures): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'complaint-bot reports';
  wb.created = new Date(figures.generatedAt);

  const sheet = (name: string, columns: { header: string; key: string; width?: number; numFmt?: string }[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 18, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
    ws.getRow(1).font = { bold: true };
    return ws;
  };

  const summary = sheet(XLSX_SHEETS[0], [
    { header: '指标 Figure', key: 'figure', width: 40 },
    { header: '代码 Code', key: 'code', width: 22 },
    { header: '数值 Value', key: 'value', width: 22 },
  ]);
  const t = figures.trends;
  const sat = figures.satisfaction;
  const rows: [string, string, string | number | null][] = [
    ['报告 Report', 'title', figures.title],
    ['统计期间 Period', 'period', `${figures.period.from} – ${figures.period.to}`],
    ['筛选 Filters', 'filters', Object.entries(figures.filters).map(([k, v]) => `${k}=${v}`).join(', ') || '—'],
    ['投诉总量 Total complaints', 'total', figures.total],
    ['未办结 Open', 'results.open', figures.results.open],
    ['已答复 Answered', 'results.answered', figures.results.answered],
    ['已结案 Closed', 'results.closed', figures.results.closed],
    ['紧急 Urgent', 'results.urgent', figures.results.urgent],
    ['重新处理 Reopened', 'reopen.reopened', figures.reopen.reopened],
    ['重开率 Reopen rate', 'reopen.rate', pct(figures.reopen.rate)],
    ['按时率（全部时限）On-time rate (all deadlines)', 'onTime.overall.onTimeRate', pct(figures.onTime.overall.onTimeRate)],
    ['平均处理时长（小时）Average handling (h)', 'handlingTime.averageHours', figures.handlingTime.averageHours],
    ['处理时长中位数（小时）Median handling (h)', 'handlingTime.medianHours', figures.handlingTime.medianHours],
    ['满意度 Satisfaction', 'satisfaction', sat.recorded ? pct(sat.rate) : NOT_RECORDED['zh-CN']],
    ['满意答复 Satisfied answers', 'satisfaction.satisfied', sat.recorded ? sat.satisfied : null],
    ['调查回复 Survey responses', 'satisfaction.responses', sat.recorded ? sat.responses : null],
    ['应发调查 Surveys sent or due', 'satisfaction.due', sat.recorded ? sat.due : null],
    ['调查回复率 Survey response rate', 'satisfaction.responseRate', sat.recorded ? pct(sat.responseRate) : null],
    ['平均评分（1–5）Average rating (1–5)', 'satisfaction.averageRating', sat.recorded ? sat.averageRating : null],
    ['已批准补偿笔数 Compensations approved', 'compensation.approved.count', figures.compensation.approved.count],
    ['已批准补偿金额（元）Compensation approved (yuan)', 'compensation.approved.amountYuan', figures.compensation.approved.amountYuan],
    ['待审批补偿金额（元）Compensation awaiting approval (yuan)', 'compensation.requested.amountYuan', figures.compensation.requested.amountYuan],
    ['客户主张损失（元）Losses claimed (yuan)', 'claimedLoss.amountYuan', figures.claimedLoss.amountYuan],
    ['上期总量 Previous period total', 'trends.previous.total', t.previous.total],
    ['环比 Month-over-month', 'trends.previous.changeRate', pct(t.previous.changeRate)],
    ['去年同期总量 Same period last year', 'trends.lastYear.total', t.lastYear.total],
    ['同比 Year-over-year', 'trends.lastYear.changeRate', pct(t.lastYear.changeRate)],
    ['已分析原因 Root cause analysed', 'rootCauses.analysed', figures.rootCauses.analysed],
    ['原因未登记 Root cause not recorded', 'rootCauses.notRecorded', figures.rootCauses.notRecorded],
  ];
  for (const [figure, code, value] of rows) summary.addRow({ figure, code, value: value ?? NOT_RECORDED['zh-CN'] });
  for (const code of ['reopen.rate', 'satisfaction', 'satisfaction.responseRate', 'onTime.overall.onTimeRate', 'trends.previous.changeRate', 'trends.lastYear.changeRate']) {
    summary.eachRow((row) => {
      if (row.getCell('code').value === code && typeof row.getCell('value').value === 'number') row.getCell('value').numFmt = '0.0%';
    });
  }

  const breakdowns = sheet(XLSX_SHEETS[1], [
    { header: '维度 Dimension', key: 'dimension', width: 24 },
    { header: '代码 Code', key: 'code', width: 26 },
    { header: '类别 Category', key: 'label', width: 30 },
    { header: '数量 Count', key: 'count', width: 12 },
    { header: '占比 Share', key: 'share', width: 12, numFmt: '0.0%' },
    { header: '已答复 Answered', key: 'answered', width: 14 },
    { header: '已结案 Closed', key: 'closed', width: 14 },
  ]);
  for (const d of BREAKDOWN_DIMENSIONS) {
    const title = DIMENSION_TITLES[d.key]!;
    for (const r of figures.breakdowns[d.key]) {
      breakdowns.addRow({ dimension: `${title['zh-CN']} ${title.en}`, code: r.key ?? '', label: r.name ?? bilingual(r.key), count: r.count, share: r.share, answered: r.answered, closed: r.closed });
    }
  }

  const onTime = sheet(XLSX_SHEETS[2], [
    { header: '时限 Deadline', key: 'label', width: 30 },
    { header: '代码 Code', key: 'kind', width: 24 },
    { header: '按时 On time', key: 'onTime' },
    { header: '逾期办结 Late', key: 'late' },
    { header: '逾期未办 Overdue', key: 'overdue' },
    { header: '未到期 Pending', key: 'pending' },
    { header: '按时率 On-time rate', key: 'rate', numFmt: '0.0%' },
  ]);
  for (const d of figures.onTime.byKind) onTime.addRow({ ...d, label: bilingual(d.kind), rate: pct(d.onTimeRate) });
  onTime.addRow({ label: '合计 All', kind: 'all', ...figures.onTime.overall, rate: pct(figures.onTime.overall.onTimeRate) });

  const handling = sheet(XLSX_SHEETS[3], [
    { header: '处理时长 Time to answer', key: 'key', width: 26 },
    { header: '数量 Count', key: 'count' },
  ]);
  for (const b of figures.handlingTime.buckets) handling.addRow({ key: b.key, count: b.count });
  handling.addRow({ key: '未答复 Not answered yet', count: figures.handlingTime.unanswered });

  const trends = sheet(XLSX_SHEETS[4], [
    { header: '月份 Month', key: 'month', width: 14 },
    { header: '投诉量 Complaints', key: 'count' },
    { header: '已答复 Answered', key: 'answered' },
  ]);
  for (const m of t.monthly) trends.addRow(m);
  trends.addRow({});
  const typeHeader = trends.addRow({ month: '类型 Type', count: '本期 Current', answered: '上期 Previous' });
  typeHeader.getCell(4).value = '去年同期 Last year';
  typeHeader.font = { bold: true };
  for (const r of t.byType) {
    const row = trends.addRow({ month: bilingual(r.type), count: r.current, answered: r.previous });
    row.getCell(4).value = r.lastYear;
  }

  const causes = sheet(XLSX_SHEETS[5], [
    { header: '原因 Root cause', key: 'label', width: 34 },
    { header: '代码 Code', key: 'cause', width: 26 },
    { header: '数量 Count', key: 'count' },
    { header: '占比 Share', key: 'share', numFmt: '0.0%' },
    { header: '累计占比 Cumulative', key: 'cumulativeShare', numFmt: '0.0%' },
  ]);
  for (const c of figures.rootCauses.pareto) causes.addRow({ label: bilingual(c.cause), ...c });
  causes.addRow({ label: `${NOT_RECORDED['zh-CN']} ${NOT_RECORDED.en}`, cause: '', count: figures.rootCauses.notRecorded });

  const hot = sheet(XLSX_SHEETS[6], [
    { header: '类型 Type', key: 'type', width: 30 },
    { header: '产品 Product', key: 'product', width: 30 },
    { header: '数量 Count', key: 'count' },
  ]);
  for (const h of figures.hotSpots) hot.addRow({ type: bilingual(h.type), product: bilingual(h.product), count: h.count });

  const phrases = sheet(XLSX_SHEETS[7], [
    { header: '关键词 Key phrase', key: 'phrase', width: 30 },
    { header: '提及投诉数 Complaints', key: 'complaints', width: 22 },
  ]);
  for (const p of figures.keyPhrases.phrases) phrases.addRow(p);
  phrases.addRow({});
  phrases.addRow({ phrase: `分析方式 Analyzer: ${figures.keyPhrases.analyzer}`, complaints: `样本 Sample: ${figures.keyPhrases.sampleSize}` });

  return Buffer.from(await wb.xlsx.writeBuffer());
}
