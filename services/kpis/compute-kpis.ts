// KPIs per department and per person over a period (R-KPI 考核评价): volumes, on-time rate per
// deadline kind, handling time (average, p90), satisfaction and survey response rate, reopen rate.
// SQL does the counting (kpi-queries.ts); this module resolves who is asked for and shapes the rows.
// Figures are attributed to the complaint's current department and owner.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { buildKpiQueries } from './kpi-queries';
import { KPI_GROUPINGS, kpiQuerySchema, periodInstants, type KpiGrouping, type KpiQuery } from './kpi-query';

export interface DeadlineKpi {
  kind: string;
  /** Due in the period and decided: met, or past due without being met. */
  due: number;
  onTime: number;
  /** Met after the due time. */
  late: number;
  /** Past due and still not met. */
  unmet: number;
  /** late + unmet. */
  breached: number;
  onTimeRate: number | null;
}

export interface KpiRow {
  /** Department code or employee number; null = no department / no owner. */
  key: string | null;
  id: string | null;
  name: string | null;
  nameEn?: string | null;
  /** A person's department code. */
  department?: string | null;
  received: number;
  open: number;
  closed: number;
  answered: number;
  handling: { averageHours: number | null; p90Hours: number | null };
  onTime: { overall: Omit<DeadlineKpi, 'kind'>; byKind: DeadlineKpi[] };
  satisfaction: { due: number; responses: number; satisfied: number; rate: number | null; rated: number; averageRating: number | null; responseRate: number | null };
  reopen: { reopened: number; answered: number; rate: number | null };
}

export interface KpiFigures {
  period: { from: string; to: string };
  asOf: string;
  filters: { department?: string; staff?: string };
  departments?: KpiRow[];
  staff?: KpiRow[];
}

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const DEADLINE_ORDER = ['first_response', 'to_supervisor', 'forward_to_leadership', 'leadership_meeting', 'investigation', 'feedback', 'statutory_decision'];

/** A staff id (uuid) or employee number → the staff id; unknown → 404. */
export async function resolveStaffId(db: Database, idOrEmployeeNo: string): Promise<string> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrEmployeeNo);
  const row = await db.staff.findFirst({ where: isUuid ? { id: idOrEmployeeNo } : { employeeNo: idOrEmployeeNo }, select: { id: true } });
  if (!row) throw new AppError('NOT_FOUND', { message: `no staff member ${idOrEmployeeNo}` });
  return row.id;
}

export async function computeKpis({ db, query, now }: { db: Database; query: KpiQuery; now: Date }): Promise<KpiFigures> {
  const q = kpiQuerySchema.parse(query);
  if (q.department && !(await db.department.findUnique({ where: { code: q.department }, select: { id: true } }))) {
    throw new AppError('NOT_FOUND', { message: `no department ${q.department}` });
  }
  const staffId = q.staff ? await resolveStaffId(db, q.staff) : undefined;
  const { start, end } = periodInstants(q);
  const groupings: readonly KpiGrouping[] = q.groupBy ? [q.groupBy] : KPI_GROUPINGS;
  const figures: KpiFigures = {
    period: { from: q.from, to: q.to }, asOf: now.toISOString(),
    filters: { ...(q.department ? { department: q.department } : {}), ...(q.staff ? { staff: q.staff } : {}) },
  };
  for (const grouping of groupings) {
    const queries = buildKpiQueries({ grouping, start, end, asOf: now, departmentCode: q.department, staffId });
    const [volumes, deadlines, surveys] = await Promise.all(queries.map((s) => db.$queryRawUnsafe<Row[]>(s.text, ...s.values)));
    const rows = shapeRows(volumes!, deadlines!, surveys!);
    const named = grouping === 'department' ? await nameDepartments(db, rows) : await nameStaff(db, rows);
    if (grouping === 'department') figures.departments = named;
    else figures.staff = named;
  }
  return figures;
}

function shapeRows(volumes: Row[], deadlines: Row[], surveys: Row[]): KpiRow[] {
  const keys = new Set<string | null>([...volumes, ...deadlines, ...surveys].map((r) => (r.key as string | null) ?? null));
  return [...keys].map((key) => {
    const v = volumes.find((r) => (r.key ?? null) === key) ?? {};
    const s = surveys.find((r) => (r.key ?? null) === key) ?? {};
    const byKind = deadlines
      .filter((r) => (r.key ?? null) === key)
      .map((r) => deadlineKpi(String(r.kind), num(r.on_time), num(r.late), num(r.unmet)))
      .sort((a, b) => DEADLINE_ORDER.indexOf(a.kind) - DEADLINE_ORDER.indexOf(b.kind));
    const sum = (k: 'onTime' | 'late' | 'unmet') => byKind.reduce((acc, d) => acc + d[k], 0);
    const { kind: _kind, ...overall } = deadlineKpi('all', sum('onTime'), sum('late'), sum('unmet'));
    const answered = num(v.answered);
    const responses = num(s.responses);
    return {
      key, id: key, name: null,
      received: num(v.received), open: num(v.open), closed: num(v.closed), answered,
      handling: { averageHours: numOrNull(v.avg_hours), p90Hours: numOrNull(v.p90_hours) },
      onTime: { overall, byKind },
      satisfaction: {
        due: num(s.due), responses, satisfied: num(s.satisfied), rate: rate(num(s.satisfied), responses),
        rated: num(s.rated), averageRating: numOrNull(s.average_rating), responseRate: rate(responses, num(s.due)),
      },
      reopen: { reopened: num(v.reopened), answered, rate: rate(num(v.reopened), answered) },
    };
  });
}

function deadlineKpi(kind: string, onTime: number, late: number, unmet: number): DeadlineKpi {
  const due = onTime + late + unmet;
  return { kind, due, onTime, late, unmet, breached: late + unmet, onTimeRate: rate(onTime, due) };
}

async function nameDepartments(db: Database, rows: KpiRow[]): Promise<KpiRow[]> {
  const ids = rows.map((r) => r.id).filter((id): id is string => id !== null);
  const found = ids.length ? await db.department.findMany({ where: { id: { in: ids } }, select: { id: true, code: true, name: true, nameEn: true } }) : [];
  return rows
    .map((r) => {
      const d = found.find((x) => x.id === r.id);
      return { ...r, key: d?.code ?? null, name: d?.name ?? null, nameEn: d?.nameEn ?? null };
    })
    .sort(byKey);
}

async function nameStaff(db: Database, rows: KpiRow[]): Promise<KpiRow[]> {
  const ids = rows.map((r) => r.id).filter((id): id is string => id !== null);
  const found = ids.length
    ? await db.staff.findMany({ where: { id: { in: ids } }, select: { id: true, employeeNo: true, displayName: true, department: { select: { code: true } } } })
    : [];
  return rows
    .map((r) => {
      const s = found.find((x) => x.id === r.id);
      return { ...r, key: s?.employeeNo ?? null, name: s?.displayName ?? null, department: s?.department?.code ?? null };
    })
    .sort(byKey);
}

/** By code / employee number; the unassigned row last. */
function byKey(a: KpiRow, b: KpiRow): number {
  if (a.key === null) return 1;
  if (b.key === null) return -1;
  return a.key.localeCompare(b.key);
}
