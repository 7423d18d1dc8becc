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

type StaffHandler = (req: Request, staffId: string) => Promise<{ status: number; body: unknown }>;

/** Wraps a handler: 401 without a valid token, AppError → its status, anything else → 500 with a reference. */
export function staffRoute(ctx: StaffApiContext, handler: StaffHandler) {
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
      const { status, body } = await handler(req, staffId);
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
