// Charts drawn as vector shapes straight into a pdfkit page. pdfkit has no chart API; the other
// ways to get Chart.js pictures into a PDF need a browser (headless Chromium, which production
// servers may lack) or node-canvas (a native build not in this project). Three small chart forms
// cover the report: horizontal bars, vertical bars (optionally with a line), and a Pareto chart.
import type PDFKit from 'pdfkit';

type Doc = PDFKit.PDFDocument;

export const PALETTE = ['#2f6fb0', '#e07b39', '#4a9d5b', '#c44e52', '#8172b2', '#937860', '#da8bc3', '#8c8c8c'];
const AXIS = '#555555';
const GRID = '#dddddd';

export interface BarItem {
  label: string;
  value: number;
  /** Text after the bar (default: the value). */
  display?: string;
}

/** Horizontal bars with labels on the left; returns the height used. */
export function horizontalBars(doc: Doc, o: { x: number; y: number; width: number; title: string; items: BarItem[]; color?: string; labelWidth?: number; valueWidth?: number; max?: number }): number {
  const labelWidth = o.labelWidth ?? 150;
  const rowH = 16;
  doc.fontSize(11).fillColor('#000').text(o.title, o.x, o.y, { width: o.width });
  let y = o.y + 18;
  const barArea = o.width - labelWidth - (o.valueWidth ?? 60);
  const max = o.max ?? Math.max(1, ...o.items.map((i) => i.value));
  if (o.items.length === 0) {
    doc.fontSize(9).fillColor(AXIS).text('无数据 No data', o.x, y);
    return 36;
  }
  for (const item of o.items) {
    doc.fontSize(8.5).fillColor('#000').text(item.label, o.x, y + 3, { width: labelWidth - 6, align: 'right', lineBreak: false, ellipsis: true });
    const w = max > 0 ? (item.value / max) * barArea : 0;
    doc.rect(o.x + labelWidth, y + 2, Math.max(w, 0.5), rowH - 5).fill(o.color ?? PALETTE[0]!);
    doc.fontSize(8.5).fillColor('#000').text(item.display ?? String(item.value), o.x + labelWidth + w + 4, y + 3, { lineBreak: false });
    y += rowH;
  }
  doc.moveTo(o.x + labelWidth, o.y + 18).lineTo(o.x + labelWidth, y).lineWidth(0.5).strokeColor(AXIS).stroke();
  return y - o.y + 8;
}

/**
 * Vertical bars (e.g. complaints per month) with an optional line over them (e.g. answered, or a
 * cumulative share on a 0–100 % right axis for a Pareto chart); returns the height used.
 */
export function verticalBars(
  doc: Doc,
  o: {
    x: number; y: number; width: number; height: number; title: string; items: BarItem[];
    line?: { values: number[]; label: string; percentAxis?: boolean; color?: string };
    referencePercent?: number;
  },
): number {
  doc.fontSize(11).fillColor('#000').text(o.title, o.x, o.y, { width: o.width });
  const top = o.y + 22;
  const left = o.x + 34;
  const right = o.x + o.width - (o.line?.percentAxis ? 34 : 6);
  const bottom = top + o.height;
  const max = niceMax(Math.max(1, ...o.items.map((i) => i.value), ...(o.line && !o.line.percentAxis ? o.line.values : [])));
  // Grid and left axis.
  for (let i = 0; i <= 4; i++) {
    const gy = bottom - (i / 4) * o.height;
    doc.moveTo(left, gy).lineTo(right, gy).lineWidth(0.4).strokeColor(GRID).stroke();
    doc.fontSize(7).fillColor(AXIS).text(formatTick((max * i) / 4), o.x, gy - 4, { width: 30, align: 'right', lineBreak: false });
    if (o.line?.percentAxis) doc.text(`${i * 25}%`, right + 3, gy - 4, { lineBreak: false });
  }
  const n = Math.max(1, o.items.length);
  const slot = (right - left) / n;
  const barW = Math.min(28, slot * 0.65);
  o.items.forEach((item, i) => {
    const h = (item.value / max) * o.height;
    const bx = left + i * slot + (slot - barW) / 2;
    doc.rect(bx, bottom - h, barW, Math.max(h, 0.5)).fill(PALETTE[0]!);
    doc.fontSize(6.5).fillColor('#000').text(item.display ?? String(item.value), left + i * slot, bottom - h - 9, { width: slot, align: 'center', lineBreak: false });
    doc.fontSize(6.5).fillColor(AXIS).text(item.label, left + i * slot, bottom + 3, { width: slot, align: 'center', lineBreak: false, ellipsis: true });
  });
  if (o.referencePercent !== undefined && o.line?.percentAxis) {
    const ry = bottom - (o.referencePercent / 100) * o.height;
    doc.moveTo(left, ry).lineTo(right, ry).dash(3, { space: 3 }).lineWidth(0.6).strokeColor(PALETTE[3]!).stroke().undash();
  }
  if (o.line && o.line.values.length > 0) {
    const color = o.line.color ?? PALETTE[1]!;
    const scale = (v: number) => (o.line!.percentAxis ? v * o.height : (v / max) * o.height);
    o.line.values.forEach((v, i) => {
      const px = left + i * slot + slot / 2;
      const py = bottom - scale(v);
      if (i === 0) doc.moveTo(px, py);
      else doc.lineTo(px, py);
    });
    doc.lineWidth(1.4).strokeColor(color).stroke();
    o.line.values.forEach((v, i) => doc.circle(left + i * slot + slot / 2, bottom - scale(v), 1.8).fill(color));
    doc.fontSize(7.5).fillColor(color).text(`— ${o.line.label}`, left, o.y + 10, { width: right - left, align: 'right', lineBreak: false });
  }
  doc.moveTo(left, bottom).lineTo(right, bottom).lineWidth(0.6).strokeColor(AXIS).stroke();
  return o.height + 40;
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function formatTick(v: number): string {
  return v >= 10_000 ? `${(v / 1000).toFixed(0)}k` : Number.isInteger(v) ? String(v) : v.toFixed(1);
}
