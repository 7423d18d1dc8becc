// The staff API under /api/v1: every route needs a staff bearer token; roles are checked by the
// use case; domain errors map to HTTP statuses. The console (a later issue) builds on these routes.
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Database } from '../services/db/client';
import { AppError } from '../services/errors';
import type { Logger } from '../services/logger';
import { safeErrorFields } from '../services/safe-error';
import { newReferenceId } from '../services/reference-id';
import { verifyStaffToken } from '../services/staff/staff-token';

export interface StaffApiContext {
  db: Database;
  log: Logger;
  staffTokenSecret: string;
  clock: () => Date;
}

export type StaffRoleName = 'agent' | 'supervisor' | 'leadership' | 'supervision' | 'admin';

/** The signed-in staff member, as every route sees them. */
export interface SignedInStaff {
  id: string;
  role: StaffRoleName;
  departmentId: string | null;
  displayName: string;
}

type StaffHandler = (req: Request, staffId: string, staff: SignedInStaff) => Promise<{ status: number; body: unknown }>;

export interface StaffRouteOptions {
  /** Roles allowed on this route; others get 403. Without it every active staff member may call it. */
  roles?: readonly StaffRoleName[];
}

/**
 * Wraps a handler: 401 without a valid credential (or for a deactivated account), 403 for a role the
 * route does not allow, AppError → its status, anything else → 500 with a reference.
 */
export function staffRoute(ctx: StaffApiContext, handler: StaffHandler, options: StaffRouteOptions = {}) {
  return async (req: Request, res: Response) => {
    const header = String(req.headers.authorization ?? '');
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const staffId = token ? verifyStaffToken(token, ctx.staffTokenSecret, ctx.clock()) : null;
    if (!staffId) {
      res.header('WWW-Authenticate', 'Bearer realm="staff"');
      res.send(401, { error: 'unauthenticated', message: 'a valid staff token is required' });
      return;
    }
    try {
      const row = await ctx.db.staff.findUnique({ where: { id: staffId }, select: { id: true, role: true, departmentId: true, displayName: true, active: true } });
      if (!row || !row.active) {
        res.send(401, { error: 'unauthenticated', message: 'this staff account is not active' });
        return;
      }
      const staff: SignedInStaff = { id: row.id, role: row.role, departmentId: row.departmentId, displayName: row.displayName };
      if (options.roles && !options.roles.includes(staff.role)) {
        res.send(403, { error: 'forbidden', message: `a ${staff.role} may not do this` });
        return;
      }
      const { status, body } = await handler(req, staffId, staff);
      res.send(status, body);
    } catch (err) {
      if (err instanceof AppError) {
        res.send(err.httpStatus, { error: err.code.toLowerCase(), message: err.message });
        return;
      }
      if (err instanceof z.ZodError) {
        res.send(400, { error: 'invalid_input', reasons: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
        return;
      }
      const ref = newReferenceId();
      ctx.log.error({ ref, ...safeErrorFields(err), path: req.path() }, 'staff API request failed');
      res.send(500, { error: 'internal', reference: ref });
    }
  };
}
