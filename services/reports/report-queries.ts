// The report's aggregations as plain SQL over the ledger (complaint, with the trigger-kept
// resolved_at / closed_at / reopen_count), its deadlines, investigations, compensations and satisfaction
// surveys. Every
// query starts from complaints accepted in the period — an index range scan of accepted_day
// (complaint_accepted_day_daily_seq_key) — so a month costs the same however long the ledger grows.
// The same text runs through psql in `npm run bench:report` (inlineParameters), which is why the
// queries are data, not code spread over the module.
import {
  acceptedDayKey, addMonths, lastYearPeriod, previousPeriod, type ReportFilter, type ReportPeriod, type ReportSubjectFilter,
} from './report-filter';

export interface SqlQuery {
  name: ReportQueryName;
  text: string;
  values: unknown[];
}

export type ReportQueryName = 'summary' | 'breakdowns' | 'deadlines' | 'comparison' | 'monthly' | 'rootCauses' | 'hotSpots' | 'compensation' | 'satisfaction' | 'textSample';

/** Dimensions of the breakdown query, in GROUPING() bit order (most significant first). */
export const BREAKDOWN_DIMENSIONS = [
  { key: 'businessLine', column: 'c.business_line::text' },
  { key: 'type', column: 'c.type::text' },
  { key: 'channel', column: 'c.intake_channel::text' },
  { key: 'tier', column: 'c.tier::text' },
  { key: 'status', column: 'c.status::text' },
  { key: 'product', column: 'c.product' },
  { key: 'customerGroup', column: 'c.customer_group' },
  { key: 'region', column: 'c.region' },
  { key: 'department', column: 'c.department_id::text' },
  { key: 'handler', column: 'c.owner_staff_id::text' },
] as const;
export type BreakdownKey = (typeof BREAKDOWN_DIMENSIONS)[number]['key'];

/** Handling-time buckets in days (upper bounds, inclusive); the last bucket is open. */
export const HANDLING_BUCKET_DAYS = [1, 3, 7, 15, 30, 60] as const;

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

/** `c` rows of the filter (period excluded): business line, type, … handler. */
function subjectConditions(filter: ReportSubjectFilter, p: Params): string[] {
  const where: string[] = [];
  if (filter.line) where.push(`c.business_line = ${p.add(filter.line, 'business_line')}`);
  if (filter.type) where.push(`c.type = ${p.add(filter.type, 'complaint_type')}`);
  if (filter.channel) where.push(`c.intake_channel = ${p.add(filter.channel, 'intake_channel')}`);
  if (filter.tier) where.push(`c.tier = ${p.add(filter.tier, 'tier')}`);
  if (filter.product) where.push(`c.product = ${p.add(filter.product)}`);
  if (filter.customerGroup) where.push(`c.customer_group = ${p.add(filter.customerGroup)}`);
  if (filter.region) where.push(`c.region = ${p.add(filter.region)}`);
  if (filter.department) where.push(`c.department_id = (SELECT id FROM department WHERE code = ${p.add(filter.department)})`);
  if (filter.handler) where.push(`c.owner_staff_id = (SELECT id FROM staff WHERE employee_no = ${p.add(filter.handler)})`);
  return where;
}

function periodCondition(period: ReportPeriod, p: Params): string {
  return `c.accepted_day BETWEEN ${p.add(acceptedDayKey(period.from))} AND ${p.add(acceptedDayKey(period.to))}`;
}

function where(conditions: string[]): string {
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

function subject(filter: ReportFilter): ReportSubjectFilter {
  const { from: _from, to: _to, ...rest } = filter;
  return rest;
}

export interface ReportQueryOptions {
  filter: ReportFilter;
  /** Deadlines not met by then are overdue if due before it, pending otherwise. */
  asOf: Date;
  /** How many complaint texts the key-phrase analysis reads (the most recent of the period). */
  textSampleSize: number;
}

export function buildReportQueries({ filter, asOf, textSampleSize }: ReportQueryOptions): SqlQuery[] {
  const period: ReportPeriod = { from: filter.from, to: filter.to };
  const subj = subject(filter);
  const queries: SqlQuery[] = [];
  const add = (name: ReportQueryName, build: (p: Params, inPeriod: string) => string) => {
    const p = new Params();
    const inPeriod = where([periodCondition(period, p), ...subjectConditions(subj, p)]);
    queries.push({ name, text: build(p, inPeriod), values: p.values });
  };

  add('summary', (_p, inPeriod) => {
    const hours = `EXTRACT(EPOCH FROM (c.resolved_at - c.accepted_at)) / 3600.0`;
    const buckets = HANDLING_BUCKET_DAYS.map((days, i) => {
      const lower = i === 0 ? null : HANDLING_BUCKET_DAYS[i - 1]! * 24;
      const cond = lower === null ? `${hours} <= ${days * 24}` : `${hours} > ${lower} AND ${hours} <= ${days * 24}`;
      return `COUNT(*) FILTER (WHERE c.resolved_at IS NOT NULL AND ${cond})::int AS within_${days}d`;
    });
    return `SELECT COUNT(*)::int AS total,
       COUNT(*) FILTER (WHERE c.resolved_at IS NOT NULL)::int AS answered,
       COUNT(*) FILTER (WHERE c.status = 'closed')::int AS closed,
       COUNT(*) FILTER (WHERE c.status NOT IN ('resolved', 'closed'))::int AS open,
       COUNT(*) FILTER (WHERE c.reopen_count > 0)::int AS reopened,
       COUNT(*) FILTER (WHERE c.urgent)::int AS urgent,
       AVG(${hours})::float8 AS avg_hours,
       (PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY ${hours}))::float8 AS median_hours,
       (PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY ${hours}))::float8 AS p90_hours,
       ${buckets.join(',\n       ')},
       COUNT(*) FILTER (WHERE c.resolved_at IS NOT NULL AND ${hours} > ${HANDLING_BUCKET_DAYS.at(-1)! * 24})::int AS over_${HANDLING_BUCKET_DAYS.at(-1)}d,
       COALESCE(SUM(c.claimed_loss_yuan), 0)::text AS claimed_loss_yuan,
       COUNT(c.claimed_loss_yuan)::int AS claimed_loss_count
FROM complaint c
${inPeriod}`;
  });

  add('breakdowns', (_p, inPeriod) => {
    const columns = BREAKDOWN_DIMENSIONS.map((d) => d.column);
    return `SELECT GROUPING(${columns.join(', ')})::int AS g,
       ${BREAKDOWN_DIMENSIONS.map((d) => `${d.column} AS "${d.key}"`).join(', ')},
       COUNT(*)::int AS count,
       COUNT(*) FILTER (WHERE c.resolved_at IS NOT NULL)::int AS answered,
       COUNT(*) FILTER (WHERE c.status = 'closed')::int AS closed
FROM complaint c
${inPeriod}
GROUP BY GROUPING SETS (${columns.map((c) => `(${c})`).join(', ')})`;
  });

  add('deadlines', (p, inPeriod) => {
    const at = p.add(asOf.toISOString(), 'timestamptz');
    return `SELECT d.kind::text AS kind,
       COUNT(*) FILTER (WHERE d.met_at IS NOT NULL AND d.met_at <= d.due_at)::int AS on_time,
       COUNT(*) FILTER (WHERE d.met_at IS NOT NULL AND d.met_at > d.due_at)::int AS late,
       COUNT(*) FILTER (WHERE d.met_at IS NULL AND d.due_at < ${at})::int AS overdue,
       COUNT(*) FILTER (WHERE d.met_at IS NULL AND d.due_at >= ${at})::int AS pending
FROM complaint c JOIN complaint_deadline d ON d.complaint_id = c.id
${inPeriod}
GROUP BY d.kind`;
  });

  // Current, previous and last year's period in one scan, in total and by type.
  {
    const p = new Params();
    const prev = previousPeriod(period);
    const year = lastYearPeriod(period);
    const label = (name: string, range: ReportPeriod) =>
      `WHEN c.accepted_day BETWEEN ${p.add(acceptedDayKey(range.from))} AND ${p.add(acceptedDayKey(range.to))} THEN '${name}'`;
    const labels = [label('current', period), label('previous', prev), label('lastYear', year)];
    const ranges = [period, prev, year].map((r) => `c.accepted_day BETWEEN ${p.add(acceptedDayKey(r.from))} AND ${p.add(acceptedDayKey(r.to))}`);
    const conds = [`(${ranges.join(' OR ')})`, ...subjectConditions(subj, p)];
    queries.push({
      name: 'comparison',
      values: p.values,
      text: `SELECT x.period, x.type, COUNT(*)::int AS count, GROUPING(x.type)::int AS all_types
FROM (SELECT CASE ${labels.join(' ')} END AS period, c.type::text AS type FROM complaint c ${where(conds)}) x
WHERE x.period IS NOT NULL
GROUP BY GROUPING SETS ((x.period), (x.period, x.type))`,
    });
  }

  // Thirteen months up to the period's last month: the trend line (and the same month last year).
  {
    const p = new Params();
    const lastMonth = period.to.slice(0, 7);
    const firstMonth = addMonths(lastMonth, -12);
    const conds = [
      `c.accepted_day BETWEEN ${p.add(acceptedDayKey(`${firstMonth}-01`))} AND ${p.add(acceptedDayKey(period.to))}`,
      ...subjectConditions(subj, p),
    ];
    queries.push({
      name: 'monthly',
      values: p.values,
      text: `SELECT LEFT(c.accepted_day, 6) AS month, COUNT(*)::int AS count,
       COUNT(*) FILTER (WHERE c.resolved_at IS NOT NULL)::int AS answered
FROM complaint c
${where(conds)}
GROUP BY 1 ORDER BY 1`,
    });
  }

  add('rootCauses', (_p, inPeriod) => `SELECT i.root_cause::text AS cause, COUNT(*)::int AS count
FROM complaint c LEFT JOIN case_investigation i ON i.complaint_id = c.id
${inPeriod}
GROUP BY 1`);

  add('hotSpots', (_p, inPeriod) => `SELECT c.type::text AS type, c.product, COUNT(*)::int AS count
FROM complaint c
${inPeriod}
GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 NULLS LAST LIMIT 10`);

  add('compensation', (_p, inPeriod) => `SELECT m.status::text AS status, COUNT(*)::int AS count, COALESCE(SUM(m.amount_yuan), 0)::text AS amount_yuan,
       COUNT(DISTINCT m.complaint_id)::int AS complaints
FROM complaint c JOIN compensation m ON m.complaint_id = c.id
${inPeriod}
GROUP BY 1`);

  // Satisfaction surveys of the period's complaints (one row per answer the customer got, so a reopened
  // complaint has one per cycle). Due = sent, or scheduled and past its send time; cancelled ones
  // (the customer was asked in another way) are not due.
  add('satisfaction', (p, inPeriod) => {
    const at = p.add(asOf.toISOString(), 'timestamptz');
    return `SELECT COUNT(*) FILTER (WHERE s.status <> 'cancelled' AND (s.status <> 'scheduled' OR s.send_at <= ${at}))::int AS due,
       COUNT(*) FILTER (WHERE s.status = 'answered')::int AS responses,
       COUNT(*) FILTER (WHERE s.status = 'answered' AND s.satisfied)::int AS satisfied,
       COUNT(s.rating) FILTER (WHERE s.status = 'answered')::int AS rated,
       (AVG(s.rating) FILTER (WHERE s.status = 'answered'))::float8 AS average_rating
FROM complaint c JOIN satisfaction_survey s ON s.complaint_id = c.id
${inPeriod}`;
  });

  add('textSample', (p, inPeriod) => `SELECT c.description FROM complaint c
${inPeriod}
ORDER BY c.accepted_at DESC LIMIT ${p.add(textSampleSize, 'int')}`);

  return queries;
}

/**
 * The query with its parameters written in as SQL literals, for psql (the benchmark's baseline).
 * Only for values this module produced (dates, enum names, codes): strings are quoted and escaped.
 */
export function inlineParameters(query: SqlQuery): string {
  let text = query.text;
  for (let i = query.values.length; i >= 1; i--) {
    const v = query.values[i - 1];
    const literal = typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`;
    text = text.replaceAll(`$${i}`, literal);
  }
  return text;
}
