// The staff API under /api/v1: every route needs a staff bearer token or the console's session
// cookie (bot/console/session-auth.ts; cookie calls that change something also need the CSRF header);
// roles are checked here and by the use case; domain errors map to HTTP statuses.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Database } from '../services/db/client';
import { AppError } from '../services/errors';
import type { Logger } from '../services/logger';
import { safeErrorFields } from '../services/safe-error';
import { newReferenceId } from '../services/reference-id';
import { authenticateStaffRequest, passesCsrfCheck } from './console/session-auth';

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

/** What a handler answers; `headers` (e.g. Set-Cookie) are optional. */
export interface StaffReply {
  status: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
  /** A download: piped to the response as it is (no formatter touches it) instead of `body`. */
  stream?: Readable;
}

type StaffHandler = (req: Request, staffId: string, staff: SignedInStaff) => Promise<StaffReply>;

export interface StaffRouteOptions {
  /** Roles allowed on this route; others get 403. Without it every active staff member may call it. */
  roles?: readonly StaffRoleName[];
  /**
   * The read-only roles (supervision) may call this POST/PUT/PATCH/DELETE route too, because it
   * changes no complaint: revealing personal data (a recorded read), signing out, one's own alert
   * contacts. Without it they get 403 on every method but GET/HEAD/OPTIONS.
   */
  allowReadOnlyRoles?: boolean;
}

/** R-SUPERVISION: the supervision department reads everything and changes nothing. */
export const READ_ONLY_ROLES: readonly StaffRoleName[] = ['supervision'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Wraps a handler: 401 without a valid credential (or for a deactivated account), 403 for a cookie
 * call that changes something without the CSRF header, 403 for a role the route does not allow,
 * AppError → its status, anything else → 500 with a reference.
 */
export function staffRoute(ctx: StaffApiContext, handler: StaffHandler, options: StaffRouteOptions = {}) {
  return async (req: Request, res: Response) => {
    res.header('Cache-Control', 'no-store');
    try {
      const auth = await authenticateStaffRequest(ctx, req);
      if (!auth) {
        res.header('WWW-Authenticate', 'Bearer realm="staff"');
        res.send(401, { error: 'unauthenticated', message: 'sign in, or send a valid staff token' });
        return;
      }
      if (!passesCsrfCheck(req, auth)) {
        res.send(403, { error: 'csrf_failed', message: 'the X-CSRF-Token header is missing or wrong' });
        return;
      }
      const staffId = auth.staffId;
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
      if (READ_ONLY_ROLES.includes(staff.role) && !options.allowReadOnlyRoles && !SAFE_METHODS.has(String(req.method).toUpperCase())) {
        res.send(403, { error: 'forbidden', message: `the ${staff.role} role reads and changes nothing` });
        return;
      }
      const { status, body, headers, stream } = await handler(req, staffId, staff);
      for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
      if (stream) {
        res.writeHead(status);
        // A client that goes away mid-download only ends this response.
        await pipeline(stream, res).catch(() => res.destroy());
        return;
      }
      if (status === 204) {
        res.send(204);
        return;
      }
      res.send(status, body);
    } catch (err) {
      if (err instanceof AppError) {
        res.send(err.httpStatus, { error: err.code.toLowerCase(), message: err.message, ...(err.details ? { details: err.details } : {}) });
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
