// KPIs (R-KPI 考核评价) under /api/v1/kpis, per department and per person:
//   GET /api/v1/kpis?from=2026-11-01&to=2026-11-30[&department=CODE][&staff=ID|EMPLOYEE_NO][&groupBy=staff|department]
// Supervisors, the leadership group, supervision and administrators see everyone; an agent sees only
// their own figures (asking for anyone else's, or a department's, is 403).
import type { Request, Server } from 'restify';
import { AppError } from '../services/errors';
import { computeKpis, resolveStaffId } from '../services/kpis/compute-kpis';
import { kpiQuerySchema } from '../services/kpis/kpi-query';
import { staffRoute, type StaffApiContext, type StaffRoleName } from './staff-api';

export const KPI_ROLES: readonly StaffRoleName[] = ['supervisor', 'leadership', 'supervision', 'admin', 'agent'];

function queryOf(req: Request): Record<string, string> {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  return Object.fromEntries([...params.entries()].filter(([, v]) => v !== ''));
}

export function registerKpiRoutes(server: Server, deps: StaffApiContext): void {
  server.get(
    '/api/v1/kpis',
    staffRoute(deps, async (req, _id, staff) => {
      let query = kpiQuerySchema.parse(queryOf(req));
      if (staff.role === 'agent') {
        const asked = query.staff ? await resolveStaffId(deps.db, query.staff).catch(() => null) : staff.id;
        if (query.department || query.groupBy === 'department' || asked !== staff.id) {
          throw new AppError('FORBIDDEN', { message: 'an agent may see only their own figures' });
        }
        query = { ...query, staff: staff.id, groupBy: 'staff' };
      }
      return { status: 200, body: await computeKpis({ db: deps.db, query, now: deps.clock() }) };
    }, { roles: KPI_ROLES }),
  );
}
