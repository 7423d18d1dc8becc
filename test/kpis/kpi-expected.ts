// The KPI figures worked out from the seed (kpi-seed.ts) in plain TypeScript, following the
// definitions in README's KPI section — independently of the SQL in services/kpis.
import { acceptedAt, at, COMPLAINTS, DEPARTMENTS, STAFF, type KpiComplaint, type StaffKey } from './kpi-seed';

export interface ExpectedRow {
  key: string | null;
  received: number;
  open: number;
  closed: number;
  answered: number;
  averageHours: number | null;
  p90Hours: number | null;
  byKind: Record<string, { due: number; onTime: number; late: number; unmet: number }>;
  onTimeRate: number | null;
  satisfaction: { due: number; responses: number; satisfied: number; averageRating: number | null; responseRate: number | null; rate: number | null };
  reopen: { reopened: number; answered: number; rate: number | null };
}

const within = (t: Date | null, start: Date, end: Date) => t !== null && t >= start && t < end;
const rate = (a: number, b: number) => (b > 0 ? a / b : null);

/** PostgreSQL's PERCENTILE_CONT: linear interpolation between the closest ranks. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const xs = [...values].sort((a, b) => a - b);
  const pos = p * (xs.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

function resolvedAt(c: KpiComplaint): Date | null {
  return c.resolvedH === undefined ? null : at(c, c.resolvedH);
}
function closedAt(c: KpiComplaint): Date | null {
  return c.closedH === undefined ? null : at(c, c.closedH);
}

export function expectedRow(key: string | null, list: KpiComplaint[], from: string, to: string, asOf: Date): ExpectedRow {
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 24 * 3_600_000);
  const received = list.filter((c) => within(acceptedAt(c), start, end));
  const answered = list.filter((c) => within(resolvedAt(c), start, end));
  const hours = answered.map((c) => c.resolvedH!);
  const byKind: ExpectedRow['byKind'] = {};
  for (const c of list) {
    for (const d of c.deadlines ?? []) {
      const due = at(c, d.dueH);
      if (!within(due, start, end) || (d.metH === undefined && due > asOf)) continue;
      const k = (byKind[d.kind] ??= { due: 0, onTime: 0, late: 0, unmet: 0 });
      k.due++;
      if (d.metH === undefined) k.unmet++;
      else if (d.metH <= d.dueH) k.onTime++;
      else k.late++;
    }
  }
  const kinds = Object.values(byKind);
  const surveys = list.flatMap((c) => (c.surveys ?? []).map((s) => ({ ...s, sendAt: at(c, s.sendH) })))
    .filter((s) => within(s.sendAt, start, end) && s.status !== 'cancelled' && (s.status !== 'scheduled' || s.sendAt <= asOf));
  const answers = surveys.filter((s) => s.status === 'answered');
  const ratings = answers.filter((s) => s.rating !== undefined).map((s) => s.rating!);
  const satisfied = answers.filter((s) => s.satisfied).length;
  const reopened = answered.filter((c) => c.reopened).length;
  return {
    key,
    received: received.length,
    open: received.filter((c) => c.status !== 'resolved' && c.status !== 'closed').length,
    closed: list.filter((c) => within(closedAt(c), start, end)).length,
    answered: answered.length,
    averageHours: hours.length ? hours.reduce((a, b) => a + b, 0) / hours.length : null,
    p90Hours: percentileCont(hours, 0.9),
    byKind,
    onTimeRate: rate(kinds.reduce((a, k) => a + k.onTime, 0), kinds.reduce((a, k) => a + k.due, 0)),
    satisfaction: {
      due: surveys.length, responses: answers.length, satisfied, rate: rate(satisfied, answers.length),
      averageRating: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null, responseRate: rate(answers.length, surveys.length),
    },
    reopen: { reopened, answered: answered.length, rate: rate(reopened, answered.length) },
  };
}

/** Rows that have anything in the period (as the API lists them). */
function nonEmpty(r: ExpectedRow): boolean {
  return r.received + r.closed + r.answered + r.satisfaction.due + Object.keys(r.byKind).length > 0;
}

export function expectedByDepartment(from: string, to: string, asOf: Date, list = COMPLAINTS): ExpectedRow[] {
  const keys = [...new Set(list.map((c) => c.dept))];
  return keys.map((d) => expectedRow(d ? DEPARTMENTS[d].code : null, list.filter((c) => c.dept === d), from, to, asOf)).filter(nonEmpty);
}

export function expectedByStaff(from: string, to: string, asOf: Date, list = COMPLAINTS): ExpectedRow[] {
  const keys = [...new Set(list.map((c) => c.owner))] as (StaffKey | null)[];
  return keys.map((s) => expectedRow(s ? STAFF[s].employeeNo : null, list.filter((c) => c.owner === s), from, to, asOf)).filter(nonEmpty);
}
