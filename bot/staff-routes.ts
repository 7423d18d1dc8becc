// Routes of the staff API. Each parses its input with zod and calls one use case.
import type { Server } from 'restify';
import { z } from 'zod';
import type { ComplaintPolicy } from '../services/policy/policy';
import type { BusinessCalendar } from '../services/calendar/business-calendar';
import { normalizeComplaintNumber } from '../services/complaints/complaint-number';
import { AppError } from '../services/errors';
import { overrideTier } from '../services/triage/override-tier';
import { staffRoute, type StaffApiContext } from './staff-api';

export interface StaffRoutesDeps extends StaffApiContext {
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  /** After a complaint's deadlines change: reschedule its timers. */
  afterDeadlinesChanged?: (complaintId: string) => void;
}

const tierOverrideSchema = z.object({ tier: z.enum(['L1', 'L2', 'L3']), reason: z.string().max(1000) });

export function registerStaffRoutes(server: Server, deps: StaffRoutesDeps): void {
  server.post(
    '/api/v1/complaints/:number/tier',
    staffRoute(deps, async (req, staffId) => {
      const number = normalizeComplaintNumber(String(req.params.number ?? ''));
      if (!number) throw new AppError('INVALID_INPUT', { message: 'not a complaint number' });
      const body = tierOverrideSchema.parse(req.body ?? {});
      const result = await overrideTier({ db: deps.db, number, tier: body.tier, reason: body.reason, staffId, policy: deps.policy, calendar: deps.calendar, now: deps.clock() });
      const changed = await deps.db.complaint.findUnique({ where: { number }, select: { id: true } });
      if (changed) deps.afterDeadlinesChanged?.(changed.id);
      return {
        status: 200,
        body: { number: result.number, from: result.from, to: result.to, deadlines: Object.fromEntries(Object.entries(result.deadlines).map(([k, v]) => [k, v?.toISOString()])) },
      };
    }),
  );
}
