// The statistics of a period and filter (R-MONTHLY, R-SPECIAL, R-TRENDS) as one JSON document: the
// figures every output (CLI JSON, XLSX, PDF, dashboard) shows. SQL does the counting
// (report-queries.ts); this module only shapes the rows. A figure whose source is missing is
// `recorded: false` with a reason — never a zero that looks like a measurement.
import type { Database } from '../db/client';
import { clientKeyring } from '../pii/encrypting-client';
import { decryptColumn } from '../pii/encrypted-columns';
import { extractKeyPhrases, type AzureKeyPhraseOptions, type KeyPhraseFigures } from './key-phrases';
import { addMonths, lastYearPeriod, previousPeriod, reportFilterSchema, type ReportFilter, type ReportPeriod, type ReportSubjectFilter } from './report-filter';
import { BREAKDOWN_DIMENSIONS, buildReportQueries, HANDLING_BUCKET_DAYS, type BreakdownKey, type ReportQueryName, type SqlQuery } from './report-queries';

export interface CountRow {
  /** The category's code; null = not recorded. */
  key: string | null;
  /** Display name for departments and handlers (codes are labelled by the outputs). */
  name?: string;
  count: number;
  /** Of the period's total, 0..1. */
  share: number;
  answered: number;
  closed: number;
}

export interface DeadlineFigures {
  kind: string;
  onTime: number;
  late: number;
  overdue: number;
  pending: number;
  /** onTime / (onTime + late + overdue); null when none was due yet. */
  onTimeRate: number | null;
}

export interface Change {
  period: ReportPeriod;
  total: number;
  /** current − this period's total. */
  change: number;
  /** change / total of this period; null when it had none. */
  changeRate: number | null;
}

/**
 * From the satisfaction surveys (one per answer given, so per cycle of a reopened complaint):
 * `rate` = satisfied / responses, `responseRate` = responses / surveys due (sent, or past their send time).
 */
export type SatisfactionFigures =
  | { recorded: false; reason: string }
  | {
      recorded: true;
      /** Surveys sent or due. */
      due: number;
      responses: number;
      satisfied: number;
      rate: number | null;
      /** Answers with a 1–5 rating (a free-text answer may have none). */
      rated: number;
      averageRating: number | null;
      responseRate: number | null;
    };

export interface ReportFigures {
  title: string;
  period: ReportPeriod;
  filters: ReportSubjectFilter;
  generatedAt: string;
  /** Deadlines not met by this instant count as overdue when due before it. */
  asOf: string;
  total: number;
  results: { open: number; answered: number; closed: number; reopened: number; urgent: number };
  breakdowns: Record<BreakdownKey, CountRow[]>;
  handlingTime: {
    answered: number;
    unanswered: number;
    averageHours: number | null;
    medianHours: number | null;
    p90Hours: number | null;
    buckets: { key: string; maxDays: number | null; count: number }[];
  };
  onTime: { overall: Omit<DeadlineFigures, 'kind'>; byKind: DeadlineFigures[] };
  satisfaction: SatisfactionFigures;
  reopen: { reopened: number; answered: number; rate: number | null };
  compensation: {
    recorded: true;
    approved: { count: number; amountYuan: number; complaints: number };
    requested: { count: number; amountYuan: number };
    refused: { count: number; amountYuan: number };
  };
  claimedLoss: { complaints: number; amountYuan: number };
  trends: {
    previous: Change;
    lastYear: Change;
    byType: { type: string; current: number; previous: number; lastYear: number }[];
    monthly: { month: string; count: number; answered: number }[];
  };
  rootCauses: { analysed: number; notRecorded: number; pareto: { cause: string; count: number; share: number; cumulativeShare: number }[] };
  hotSpots: { type: string; product: string | null; count: number }[];
  keyPhrases: KeyPhraseFigures;
}

export interface ComputeStatisticsOptions {
  db: Database;
  filter: ReportFilter;
  now: Date;
  /** Azure key phrases (config.azureLanguage); unset = local segmentation. */
  azure?: AzureKeyPhraseOptions;
  /** Default 1000 texts (the most recent of the period). */
  textSampleSize?: number;
  title?: string;
}

type Row = Record<string, unknown>;

/** Runs the report's SQL (in parallel on the pool); exported for the benchmark. */
export async function runReportQueries(db: Database, queries: SqlQuery[]): Promise<Record<ReportQueryName, Row[]>> {
  const results = await Promise.all(queries.map((q) => db.$queryRawUnsafe<Row[]>(q.text, ...q.values)));
  return Object.fromEntries(queries.map((q, i) => [q.name, results[i]!])) as Record<ReportQueryName, Row[]>;
}

export async function computeStatistics(options: ComputeStatisticsOptions): Promise<ReportFigures> {
  const filter = reportFilterSchema.parse(options.filter);
  const { db, now } = options;
  const queries = buildReportQueries({ filter, asOf: now, textSampleSize: options.textSampleSize ?? 1000 });
  const rows = await runReportQueries(db, queries);
  const { from, to, ...given } = filter;
  const filters = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as ReportSubjectFilter;
  const period = { from, to };
  const num = (v: unknown) => Number(v ?? 0);
  const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

  const s = rows.summary[0] ?? {};
  const total = num(s.total);
  const answered = num(s.answered);

  // GROUPING() is 1 for each column not in the row's grouping set: the set's column has bit 0.
  const breakdowns = Object.fromEntries(BREAKDOWN_DIMENSIONS.map((d) => [d.key, [] as CountRow[]])) as Record<BreakdownKey, CountRow[]>;
  const n = BREAKDOWN_DIMENSIONS.length;
  for (const r of rows.breakdowns) {
    const g = num(r.g);
    const index = BREAKDOWN_DIMENSIONS.findIndex((_d, i) => ((g >> (n - 1 - i)) & 1) === 0);
    if (index < 0) continue;
    const dim = BREAKDOWN_DIMENSIONS[index]!;
    const count = num(r.count);
    breakdowns[dim.key].push({ key: (r[dim.key] as string | null) ?? null, count, share: rate(count, total) ?? 0, answered: num(r.answered), closed: num(r.closed) });
  }
  for (const list of Object.values(breakdowns)) list.sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
  await nameDepartmentsAndHandlers(db, breakdowns);

  const byKind: DeadlineFigures[] = rows.deadlines
    .map((r) => {
      const f = { kind: String(r.kind), onTime: num(r.on_time), late: num(r.late), overdue: num(r.overdue), pending: num(r.pending) };
      return { ...f, onTimeRate: rate(f.onTime, f.onTime + f.late + f.overdue) };
    })
    .sort((a, b) => DEADLINE_ORDER.indexOf(a.kind) - DEADLINE_ORDER.indexOf(b.kind));
  const sum = (k: 'onTime' | 'late' | 'overdue' | 'pending') => byKind.reduce((acc, d) => acc + d[k], 0);
  const overall = { onTime: sum('onTime'), late: sum('late'), overdue: sum('overdue'), pending: sum('pending') };

  const comparison = (label: string) => num(rows.comparison.find((r) => r.period === label && num(r.all_types) === 1)?.count);
  const byTypeOf = (label: string, type: string) => num(rows.comparison.find((r) => r.period === label && r.type === type)?.count);
  const types = [...new Set(rows.comparison.filter((r) => num(r.all_types) === 0).map((r) => String(r.type)))];
  const change = (p: ReportPeriod, label: string): Change => {
    const t = comparison(label);
    return { period: p, total: t, change: total - t, changeRate: rate(total - t, t) };
  };

  const analysedCauses = rows.rootCauses.filter((r) => r.cause !== null).sort((a, b) => num(b.count) - num(a.count) || String(a.cause).localeCompare(String(b.cause)));
  const analysed = analysedCauses.reduce((acc, r) => acc + num(r.count), 0);
  let cumulative = 0;
  const pareto = analysedCauses.map((r) => {
    cumulative += num(r.count);
    return { cause: String(r.cause), count: num(r.count), share: num(r.count) / analysed, cumulativeShare: cumulative / analysed };
  });

  const comp = (status: string) => rows.compensation.find((r) => r.status === status);
  // Descriptions are encrypted at rest (services/pii): the raw query reads what is stored.
  const keyring = clientKeyring(options.db);
  const texts = rows.textSample.map((r) => decryptColumn(keyring, 'Complaint', 'description', String(r.description)));

  return {
    title: options.title ?? `投诉统计 ${from} – ${to}`,
    period,
    filters,
    generatedAt: now.toISOString(),
    asOf: now.toISOString(),
    total,
    results: { open: num(s.open), answered, closed: num(s.closed), reopened: num(s.reopened), urgent: num(s.urgent) },
    breakdowns,
    handlingTime: {
      answered,
      unanswered: total - answered,
      averageHours: s.avg_hours === null || s.avg_hours === undefined ? null : num(s.avg_hours),
      medianHours: s.median_hours === null || s.median_hours === undefined ? null : num(s.median_hours),
      p90Hours: s.p90_hours === null || s.p90_hours === undefined ? null : num(s.p90_hours),
      buckets: [
        ...HANDLING_BUCKET_DAYS.map((d) => ({ key: `≤${d}d`, maxDays: d as number | null, count: num(s[`within_${d}d`]) })),
        { key: `>${HANDLING_BUCKET_DAYS.at(-1)}d`, maxDays: null, count: num(s[`over_${HANDLING_BUCKET_DAYS.at(-1)}d`]) },
      ],
    },
    onTime: { overall: { ...overall, onTimeRate: rate(overall.onTime, overall.onTime + overall.late + overall.overdue) }, byKind },
    satisfaction: satisfactionOf(rows.satisfaction[0] ?? {}),
    reopen: { reopened: num(s.reopened), answered, rate: rate(num(s.reopened), answered) },
    compensation: {
      recorded: true,
      approved: { count: num(comp('approved')?.count), amountYuan: num(comp('approved')?.amount_yuan), complaints: num(comp('approved')?.complaints) },
      requested: { count: num(comp('requested')?.count), amountYuan: num(comp('requested')?.amount_yuan) },
      refused: { count: num(comp('refused')?.count), amountYuan: num(comp('refused')?.amount_yuan) },
    },
    claimedLoss: { complaints: num(s.claimed_loss_count), amountYuan: num(s.claimed_loss_yuan) },
    trends: {
      previous: change(previousPeriod(period), 'previous'),
      lastYear: change(lastYearPeriod(period), 'lastYear'),
      byType: types
        .map((type) => ({ type, current: byTypeOf('current', type), previous: byTypeOf('previous', type), lastYear: byTypeOf('lastYear', type) }))
        .sort((a, b) => b.current - a.current || a.type.localeCompare(b.type)),
      // Every one of the 13 months, those without complaints as 0 (a real zero: the ledger is complete).
      monthly: Array.from({ length: 13 }, (_v, i) => addMonths(to.slice(0, 7), i - 12)).map((month) => {
        const r = rows.monthly.find((x) => String(x.month) === month.replace('-', ''));
        return { month, count: num(r?.count), answered: num(r?.answered) };
      }),
    },
    rootCauses: { analysed, notRecorded: total - analysed, pareto },
    hotSpots: rows.hotSpots.map((r) => ({ type: String(r.type), product: (r.product as string | null) ?? null, count: num(r.count) })),
    keyPhrases: await extractKeyPhrases(texts, options.azure),
  };
}

function satisfactionOf(r: Row): SatisfactionFigures {
  const num = (v: unknown) => Number(v ?? 0);
  const due = num(r.due);
  const responses = num(r.responses);
  // No survey sent or due (and none answered by callback): nothing was measured — not a zero.
  if (due === 0 && responses === 0) return { recorded: false, reason: 'no satisfaction survey was sent or due for the complaints of this period' };
  const satisfied = num(r.satisfied);
  return {
    recorded: true, due, responses, satisfied, rate: responses > 0 ? satisfied / responses : null,
    rated: num(r.rated), averageRating: r.average_rating === null || r.average_rating === undefined ? null : num(r.average_rating),
    responseRate: due > 0 ? responses / due : null,
  };
}

const DEADLINE_ORDER = ['first_response', 'to_supervisor', 'forward_to_leadership', 'leadership_meeting', 'investigation', 'feedback', 'statutory_decision'];

async function nameDepartmentsAndHandlers(db: Database, breakdowns: Record<BreakdownKey, CountRow[]>): Promise<void> {
  const deptIds = breakdowns.department.map((r) => r.key).filter((k): k is string => k !== null);
  const staffIds = breakdowns.handler.map((r) => r.key).filter((k): k is string => k !== null);
  const [departments, staff] = await Promise.all([
    deptIds.length ? db.department.findMany({ where: { id: { in: deptIds } }, select: { id: true, code: true, name: true } }) : [],
    staffIds.length ? db.staff.findMany({ where: { id: { in: staffIds } }, select: { id: true, employeeNo: true, displayName: true } }) : [],
  ]);
  for (const r of breakdowns.department) {
    const d = departments.find((x) => x.id === r.key);
    if (d) Object.assign(r, { key: d.code, name: d.name });
  }
  for (const r of breakdowns.handler) {
    const s = staff.find((x) => x.id === r.key);
    if (s) Object.assign(r, { key: s.employeeNo, name: s.displayName });
  }
}
