// The KPI aggregations as SQL, one text per figure group, grouped by the complaint's department or
// its owner (the handler who holds it). Each starts from an indexed time range — complaints
// accepted / answered / closed in the period, deadlines due in it, surveys sent in it — so a month
// costs the same however long the ledger grows.
import type { KpiGrouping } from './kpi-query';

export interface KpiSql {
  name: 'volumes' | 'deadlines' | 'surveys';
  text: string;
  values: unknown[];
}

export interface KpiSqlOptions {
  grouping: KpiGrouping;
  start: Date;
  end: Date;
  /** Deadlines due before this and not met count as breached; later ones are still pending. */
  asOf: Date;
  departmentCode?: string;
  staffId?: string;
}

const GROUP_COLUMN: Record<KpiGrouping, string> = { department: 'c.department_id', staff: 'c.owner_staff_id' };

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

function subject(o: KpiSqlOptions, p: Params): string[] {
  const where: string[] = [];
  if (o.departmentCode) where.push(`c.department_id = (SELECT id FROM department WHERE code = ${p.add(o.departmentCode, 'text')})`);
  if (o.staffId) where.push(`c.owner_staff_id = ${p.add(o.staffId, 'uuid')}`);
  return where;
}

export function buildKpiQueries(o: KpiSqlOptions): KpiSql[] {
  const key = GROUP_COLUMN[o.grouping];
  const build = (name: KpiSql['name'], make: (p: Params, inPeriod: (col: string) => string, subj: string) => string): KpiSql => {
    const p = new Params();
    const start = p.add(o.start.toISOString(), 'timestamptz');
    const end = p.add(o.end.toISOString(), 'timestamptz');
    const inPeriod = (col: string) => `(${col} >= ${start} AND ${col} < ${end})`;
    const subj = subject(o, p).map((w) => ` AND ${w}`).join('');
    return { name, text: make(p, inPeriod, subj), values: p.values };
  };

  const hours = `EXTRACT(EPOCH FROM (c.resolved_at - c.accepted_at)) / 3600.0`;
  return [
    // Received / still open (of those received) / closed / answered (first answer) in the period;
    // handling time and reopening over the complaints first answered in it.
    build('volumes', (_p, inPeriod, subj) => `SELECT ${key}::text AS key,
       COUNT(*) FILTER (WHERE ${inPeriod('c.accepted_at')})::int AS received,
       COUNT(*) FILTER (WHERE ${inPeriod('c.accepted_at')} AND c.status NOT IN ('resolved', 'closed'))::int AS open,
       COUNT(*) FILTER (WHERE ${inPeriod('c.closed_at')})::int AS closed,
       COUNT(*) FILTER (WHERE ${inPeriod('c.resolved_at')})::int AS answered,
       COUNT(*) FILTER (WHERE ${inPeriod('c.resolved_at')} AND c.reopen_count > 0)::int AS reopened,
       (AVG(${hours}) FILTER (WHERE ${inPeriod('c.resolved_at')}))::float8 AS avg_hours,
       (PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY ${hours}) FILTER (WHERE ${inPeriod('c.resolved_at')}))::float8 AS p90_hours
FROM complaint c
WHERE (${inPeriod('c.accepted_at')} OR ${inPeriod('c.resolved_at')} OR ${inPeriod('c.closed_at')})${subj}
GROUP BY 1`),
    // Deadlines due in the period that are decided: met (on time or late), or past due unmet (breached).
    build('deadlines', (p, inPeriod, subj) => `SELECT ${key}::text AS key, d.kind::text AS kind,
       COUNT(*) FILTER (WHERE d.met_at <= d.due_at)::int AS on_time,
       COUNT(*) FILTER (WHERE d.met_at > d.due_at)::int AS late,
       COUNT(*) FILTER (WHERE d.met_at IS NULL)::int AS unmet
FROM complaint_deadline d JOIN complaint c ON c.id = d.complaint_id
WHERE ${inPeriod('d.due_at')} AND (d.met_at IS NOT NULL OR d.due_at <= ${p.add(o.asOf.toISOString(), 'timestamptz')})${subj}
GROUP BY 1, 2`),
    // Surveys sent in the period (or scheduled in it and past their send time); cancelled ones are not due.
    build('surveys', (p, inPeriod, subj) => `SELECT ${key}::text AS key,
       COUNT(*)::int AS due,
       COUNT(*) FILTER (WHERE s.status = 'answered')::int AS responses,
       COUNT(*) FILTER (WHERE s.status = 'answered' AND s.satisfied)::int AS satisfied,
       COUNT(s.rating) FILTER (WHERE s.status = 'answered')::int AS rated,
       (AVG(s.rating) FILTER (WHERE s.status = 'answered'))::float8 AS average_rating
FROM satisfaction_survey s JOIN complaint c ON c.id = s.complaint_id
WHERE ${inPeriod('s.send_at')} AND s.status <> 'cancelled' AND (s.status <> 'scheduled' OR s.send_at <= ${p.add(o.asOf.toISOString(), 'timestamptz')})${subj}
GROUP BY 1`),
  ];
}
