// The report as a PDF (pdfkit) for leadership: figures, tables and vector charts, in Chinese with
// English beside it. Chinese needs a CJK font embedded (subset) in the file: REPORT_FONT_FILE
// (default: Debian's fonts-noto-cjk Noto Sans CJK), REPORT_FONT_NAME for a collection (.ttc).
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { ReportFigures } from './compute-statistics';
import { horizontalBars, verticalBars, type BarItem } from './pdf-charts';
import { bilingual, DIMENSION_TITLES, labelOf, NOT_RECORDED } from './report-labels';

export interface ReportFont {
  file: string;
  /** The face inside a font collection (.ttc), e.g. NotoSansCJKsc-Regular. */
  name?: string;
}

export const DEFAULT_REPORT_FONT: ReportFont = { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', name: 'NotoSansCJKsc-Regular' };

export class ReportFontError extends Error {
  constructor(file: string) {
    super(
      `The PDF report needs a font with Chinese characters, and REPORT_FONT_FILE (${file}) does not exist. ` +
        'Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk) or set REPORT_FONT_FILE to a .ttf/.otf/.ttc ' +
        'with Chinese glyphs (and REPORT_FONT_NAME to the face inside a .ttc).',
    );
    this.name = 'ReportFontError';
  }
}

/** Throws ReportFontError when the font is missing: checked at start-up and before every PDF. */
export function checkReportFont(font: ReportFont): void {
  if (!existsSync(font.file)) throw new ReportFontError(font.file);
}

const percent = (v: number | null) => (v === null ? `${NOT_RECORDED['zh-CN']} / n.a.` : `${(v * 100).toFixed(1)}%`);
const satisfactionLine = (s: ReportFigures['satisfaction']) =>
  s.recorded ? `${percent(s.rate)}（${s.satisfied} / ${s.responses}）` : `${NOT_RECORDED['zh-CN']} not recorded`;
const signedPercent = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
const hours = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} h（${(v / 24).toFixed(1)} 天 days）`);
const yuan = (v: number) => v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export async function renderPdf(figures: ReportFigures, font: ReportFont = DEFAULT_REPORT_FONT): Promise<Buffer> {
  checkReportFont(font);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 40, left: 50, right: 50 },
    info: { Title: figures.title, Author: 'complaint-bot', Subject: `${figures.period.from} – ${figures.period.to}`, CreationDate: new Date(figures.generatedAt) },
    bufferPages: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.file, font.name);
  doc.font('cjk');
  const X = 50;
  const W = doc.page.width - 100;
  /** A new page when a block of `height` would run past the bottom margin. */
  const room = (at: number, height: number): number => {
    if (at + height <= doc.page.height - 50) return at;
    doc.addPage();
    return 50;
  };
  const barsHeight = (rows: number) => 26 + Math.max(rows, 1) * 16;

  // ---- page 1: summary and the trend -------------------------------------------------------
  doc.fontSize(20).fillColor('#000').text(figures.title, X, 50, { width: W });
  doc.fontSize(10).fillColor('#444').text(`统计期间 Period: ${figures.period.from} – ${figures.period.to}（北京时间 Beijing time）`);
  const filters = Object.entries(figures.filters).map(([k, v]) => `${DIMENSION_TITLES[k]?.['zh-CN'] ?? k}=${v}`).join('，');
  doc.text(`筛选 Filters: ${filters || '全部 all complaints'}    生成时间 Generated: ${figures.generatedAt}`);
  doc.moveDown(0.8);

  const t = figures.trends;
  const kpis: [string, string][] = [
    ['投诉总量 Total complaints', String(figures.total)],
    ['未办结 / 已答复 / 已结案 Open / answered / closed', `${figures.results.open} / ${figures.results.answered} / ${figures.results.closed}`],
    ['环比 Month-over-month', `${signedPercent(t.previous.changeRate)}（上期 previous ${t.previous.total}）`],
    ['同比 Year-over-year', `${signedPercent(t.lastYear.changeRate)}（去年同期 last year ${t.lastYear.total}）`],
    ['按时率 On-time rate (all deadlines)', percent(figures.onTime.overall.onTimeRate)],
    ['平均 / 中位处理时长 Average / median time to answer', `${hours(figures.handlingTime.averageHours)} / ${hours(figures.handlingTime.medianHours)}`],
    ['重开率 Reopen rate', `${percent(figures.reopen.rate)}（${figures.reopen.reopened} / ${figures.reopen.answered}）`],
    ['满意度 Satisfaction', satisfactionLine(figures.satisfaction)],
    ['调查回复率 / 平均评分 Response rate / average rating', figures.satisfaction.recorded
      ? `${percent(figures.satisfaction.responseRate)}（${figures.satisfaction.responses} / ${figures.satisfaction.due}）/ ${figures.satisfaction.averageRating === null ? '—' : figures.satisfaction.averageRating.toFixed(2)}`
      : `${NOT_RECORDED['zh-CN']} not recorded`],
    ['已批准补偿 Compensation approved', `${figures.compensation.approved.count} 笔，${yuan(figures.compensation.approved.amountYuan)} 元`],
    ['待审批补偿 Awaiting approval', `${figures.compensation.requested.count} 笔，${yuan(figures.compensation.requested.amountYuan)} 元`],
    ['紧急投诉 Urgent', String(figures.results.urgent)],
  ];
  let y = doc.y;
  for (const [k, v] of kpis) {
    doc.fontSize(10).fillColor('#333').text(k, X, y, { width: W * 0.55 });
    doc.fillColor('#000').text(v, X + W * 0.55, y, { width: W * 0.45 });
    y += 17;
    doc.moveTo(X, y - 3).lineTo(X + W, y - 3).lineWidth(0.3).strokeColor('#dddddd').stroke();
  }
  y += 12;
  y += verticalBars(doc, {
    x: X, y, width: W, height: 150, title: '近13个月投诉量 Complaints per month (13 months)',
    items: t.monthly.map((m) => ({ label: m.month.slice(2), value: m.count })),
    line: { values: t.monthly.map((m) => m.answered), label: '已答复 answered' },
  });
  y = room(y, barsHeight(t.byType.length));
  horizontalBars(doc, {
    x: X, y, width: W, title: '类型环比/同比 By type: current (previous / last year)', valueWidth: 90,
    items: t.byType.map((r) => ({ label: labelOf(r.type), value: r.current, display: `${r.current}（${r.previous} / ${r.lastYear}）` })),
  });

  // ---- page 2: where complaints come from ---------------------------------------------------
  doc.addPage();
  y = 50;
  const dims: (keyof ReportFigures['breakdowns'])[] = ['businessLine', 'type', 'channel', 'tier', 'department', 'product'];
  for (const key of dims) {
    const rows = figures.breakdowns[key];
    const items: BarItem[] = rows.slice(0, 8).map((r) => ({ label: r.name ?? labelOf(r.key), value: r.count, display: `${r.count}（${(r.share * 100).toFixed(1)}%）` }));
    const title = DIMENSION_TITLES[key]!;
    y = room(y, barsHeight(items.length));
    y += horizontalBars(doc, { x: X, y, width: W, title: `${title['zh-CN']} ${title.en}`, items });
  }
  y = room(y, barsHeight(figures.handlingTime.buckets.length + 1));
  y += horizontalBars(doc, {
    x: X, y, width: W, title: '处理时长分布 Time to answer', color: '#4a9d5b',
    items: [
      ...figures.handlingTime.buckets.map((b) => ({ label: b.maxDays === null ? `> ${b.key.slice(1, -1)} 天 days` : `≤ ${b.maxDays} 天 days`, value: b.count })),
      { label: '未答复 not answered', value: figures.handlingTime.unanswered },
    ],
  });

  // ---- page 3: on time, causes, hot spots, key phrases --------------------------------------
  doc.addPage();
  y = 50;
  y += horizontalBars(doc, {
    x: X, y, width: W, title: '各时限按时率 On-time rate per deadline', color: '#4a9d5b', max: 1, valueWidth: 210,
    items: figures.onTime.byKind.map((d) => ({
      label: labelOf(d.kind), value: d.onTimeRate ?? 0,
      display: `${percent(d.onTimeRate)}（按时 ${d.onTime} / 逾期 ${d.late + d.overdue} / 未到期 ${d.pending}）`,
    })),
  });
  const pareto = figures.rootCauses.pareto;
  y = room(y, 160);
  y += verticalBars(doc, {
    x: X, y, width: W, height: 120,
    title: `投诉原因帕累托图 Root causes (Pareto) — 已分析 ${figures.rootCauses.analysed}，未登记 ${figures.rootCauses.notRecorded}`,
    items: pareto.map((c) => ({ label: labelOf(c.cause), value: c.count })),
    line: { values: pareto.map((c) => c.cumulativeShare), label: '累计占比 cumulative share', percentAxis: true },
    referencePercent: 80,
  });
  y = room(y, barsHeight(Math.min(8, figures.hotSpots.length)));
  y += horizontalBars(doc, {
    x: X, y, width: W, title: '热点（类型 × 产品）Hot spots (type × product)', color: '#c44e52', labelWidth: 220,
    items: figures.hotSpots.slice(0, 8).map((h) => ({ label: `${labelOf(h.type)} × ${labelOf(h.product)}`, value: h.count })),
  });
  const kp = figures.keyPhrases;
  y = room(y, 80);
  doc.fontSize(11).fillColor('#000').text(`投诉关键词 Key phrases（${kp.analyzer === 'azure' ? 'Azure AI Language' : '本地分词 local segmentation'}，样本 sample ${kp.sampleSize}）`, X, y, { width: W });
  doc.fontSize(9).fillColor('#333').text(kp.phrases.map((p) => `${p.phrase}（${p.complaints}）`).join('  ') || '无 none', X, doc.y + 4, { width: W });

  // Page numbers on every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // the footer sits below the margin: no automatic page break
    doc.fontSize(8).fillColor('#888').text(`${figures.title} · ${i + 1} / ${range.count}`, X, doc.page.height - 30, { width: W, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

export { bilingual };
