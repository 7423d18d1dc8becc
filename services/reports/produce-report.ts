// Figures → files: the one path the monthly job, special reports, the CLI and the console share, so
// every output of a period shows the same numbers.
import type { Database } from '../db/client';
import { computeStatistics, type ReportFigures } from './compute-statistics';
import type { AzureKeyPhraseOptions } from './key-phrases';
import { renderPdf, type ReportFont } from './pdf-report';
import type { ReportFilter } from './report-filter';
import { renderXlsx } from './xlsx-report';

export interface ReportSettings {
  font: ReportFont;
  textSampleSize: number;
  azure?: AzureKeyPhraseOptions;
}

export async function produceReport({ db, filter, now, settings, title }: { db: Database; filter: ReportFilter; now: Date; settings: ReportSettings; title?: string }): Promise<{ figures: ReportFigures; pdf: Buffer; xlsx: Buffer }> {
  const figures = await computeStatistics({ db, filter, now, azure: settings.azure, textSampleSize: settings.textSampleSize, title });
  const [pdf, xlsx] = await Promise.all([renderPdf(figures, settings.font), renderXlsx(figures)]);
  return { figures, pdf, xlsx };
}

export function monthlyTitle(month: string): string {
  const [y, m] = month.split('-');
  return `投诉工作月报 ${y}年${Number(m)}月 Monthly complaint report ${month}`;
}

/** Report settings from the app configuration. */
export function reportSettingsFrom(config: { reports: { font: ReportFont; textSampleSize: number }; azureLanguage?: { endpoint: string; key: string; timeoutMs: number } }): ReportSettings {
  return { font: config.reports.font, textSampleSize: config.reports.textSampleSize, azure: config.azureLanguage };
}
