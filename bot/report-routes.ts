// Statistics and reports under /api/v1/reports (issue 7), for supervisors, the leadership group,
// supervision and administrators:
//   GET /api/v1/reports/statistics?from&to[&line&type&channel&tier&product&customerGroup&region&department&handler]
//   GET /api/v1/reports/file?format=pdf|xlsx&from&to[&filters]   a special report (专项统计), kept in report_run
//   GET /api/v1/reports/monthly                                  the monthly reports produced so far
//   GET /api/v1/reports/monthly/:month/:format                   one of them, as PDF or XLSX
//   GET /api/v1/reports/training-cases?from&to[&line&type][&format=json|csv]   anonymised (R-CASES)
// Files are sent as downloads (Content-Disposition) with their own content type.
import type { Request, Response, Server } from 'restify';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { AppError } from '../services/errors';
import { computeStatistics } from '../services/reports/compute-statistics';
import { exportTrainingCases } from '../services/reports/export-training-cases';
import { produceReport, type ReportSettings } from '../services/reports/produce-report';
import { reportFilterSchema } from '../services/reports/report-filter';
import { monthlyReportFileName } from '../services/reports/report-mail';
import { staffRoute, type SignedInStaff, type StaffApiContext, type StaffRoleName } from './staff-api';

export interface ReportRoutesDeps extends StaffApiContext {
  settings: ReportSettings;
}

export const REPORT_ROLES: readonly StaffRoleName[] = ['supervisor', 'leadership', 'supervision', 'admin'];

const CONTENT_TYPES = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

interface FileResult {
  body: Buffer;
  fileName: string;
  contentType: string;
}

function queryOf(req: Request): Record<string, string> {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  return Object.fromEntries([...params.entries()].filter(([, v]) => v !== ''));
}

function filterFrom(query: Record<string, string>) {
  const { format: _format, ...rest } = query;
  return reportFilterSchema.parse(rest);
}

/**
 * A staffRoute whose success is a file: the wrapper's JSON send is replaced for that one case, so
 * authentication, roles and error answers stay exactly those of every other /api/v1 route.
 */
function fileRoute(ctx: StaffApiContext, handler: (req: Request, staff: SignedInStaff) => Promise<FileResult>) {
  return async (req: Request, res: Response) => {
    let file: FileResult | null = null;
    const sendFile = (status: number, body: unknown) => {
      if (status !== 200 || !file) return res.send(status, body);
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Length': file.body.length,
        'Content-Disposition': `attachment; filename="${file.fileName}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(file.body);
      return false;
    };
    const proxy = new Proxy(res, {
      get(target, prop) {
        if (prop === 'send') return sendFile;
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await staffRoute(ctx, async (r, _id, staff) => {
      file = await handler(r, staff);
      return { status: 200, body: null };
    }, { roles: REPORT_ROLES })(req, proxy);
  };
}

const formatSchema = z.enum(['pdf', 'xlsx']);
const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM');

export function registerReportRoutes(server: Server, deps: ReportRoutesDeps): void {
  const { db } = deps;

  server.get(
    '/api/v1/reports/statistics',
    staffRoute(deps, async (req) => {
      const filter = filterFrom(queryOf(req));
      const figures = await computeStatistics({ db, filter, now: deps.clock(), azure: deps.settings.azure, textSampleSize: deps.settings.textSampleSize });
      return { status: 200, body: figures };
    }, { roles: REPORT_ROLES }),
  );

  server.get(
    '/api/v1/reports/file',
    fileRoute(deps, async (req, staff) => {
      const query = queryOf(req);
      const format = formatSchema.parse(query.format ?? 'pdf');
      const filter = filterFrom(query);
      const now = deps.clock();
      const { figures, pdf, xlsx } = await produceReport({ db, filter, now, settings: deps.settings });
      const { from, to, ...filters } = filter;
      await db.reportRun.create({
        data: { kind: 'special', periodFrom: from, periodTo: to, filters, requestedBy: staff.id, createdAt: now, producedAt: now, figures: JSON.parse(JSON.stringify(figures)), pdf: new Uint8Array(pdf), xlsx: new Uint8Array(xlsx) },
      });
      const body = format === 'pdf' ? pdf : xlsx;
      return { body, contentType: CONTENT_TYPES[format], fileName: `complaints-report-${from}_${to}.${format}` };
    }),
  );

  server.get(
    '/api/v1/reports/monthly',
    staffRoute(deps, async () => {
      const runs = await db.reportRun.findMany({
        where: { kind: 'monthly' },
        orderBy: { monthKey: 'desc' },
        take: 36,
        select: { monthKey: true, periodFrom: true, periodTo: true, producedAt: true, emailedAt: true, recipientCount: true },
      });
      return {
        status: 200,
        body: {
          reports: runs.map((r) => ({
            month: r.monthKey, from: r.periodFrom, to: r.periodTo, producedAt: r.producedAt?.toISOString() ?? null, emailedAt: r.emailedAt?.toISOString() ?? null,
            recipients: r.recipientCount,
            files: r.producedAt ? { pdf: `/api/v1/reports/monthly/${r.monthKey}/pdf`, xlsx: `/api/v1/reports/monthly/${r.monthKey}/xlsx` } : null,
          })),
        },
      };
    }, { roles: REPORT_ROLES }),
  );

  server.get(
    '/api/v1/reports/monthly/:month/:format',
    fileRoute(deps, async (req) => {
      const month = monthSchema.parse(String(req.params.month ?? ''));
      const format = formatSchema.parse(String(req.params.format ?? ''));
      const run = await db.reportRun.findUnique({ where: { monthKey: month }, select: { pdf: true, xlsx: true, producedAt: true } });
      const body = run?.producedAt ? run[format] : null;
      if (!body) throw new AppError('NOT_FOUND', { message: `no monthly report for ${month} yet` });
      return { body: Buffer.from(body), contentType: CONTENT_TYPES[format], fileName: monthlyReportFileName(month, format) };
    }),
  );

  server.get(
    '/api/v1/reports/training-cases',
    fileRoute(deps, async (req) => {
      const query = queryOf(req);
      const format = z.enum(['json', 'csv']).parse(query.format ?? 'json');
      const filter = filterFrom(query);
      const exported = await exportTrainingCases({ db, filter, now: deps.clock() });
      const name = `training-cases-${filter.from}_${filter.to}.${format}`;
      if (format === 'json') return { body: Buffer.from(JSON.stringify(exported, null, 2)), contentType: 'application/json; charset=utf-8', fileName: name };
      const csv = stringify(exported.cases.map((c) => ({ ...c, measures: c.measures.join('；'), records: c.records.map((r) => `${r.kind}: ${r.text}`).join('\n') })), { header: true });
      return { body: Buffer.from(`\ufeff${csv}`), contentType: CONTENT_TYPES.csv, fileName: name };
    }),
  );
}
