// Routes of the staff API. Each parses its input with zod and calls one use case.
import type { Server } from 'restify';
import { z } from 'zod';
import type { ComplaintPolicy } from '../services/policy/policy';
import type { BusinessCalendar } from '../services/calendar/business-calendar';
import { normalizeComplaintNumber } from '../services/complaints/complaint-number';
import { AppError } from '../services/errors';
import { overrideTier } from '../services/triage/override-tier';
import { decideExtension, requestExtension } from '../services/extensions/extensions';
import type { CustomerNotifier } from '../services/extensions/customer-notifier';
import { staffRoute, type StaffApiContext } from './staff-api';

export interface StaffRoutesDeps extends StaffApiContext {
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  /** After a complaint's deadlines change: reschedule its timers. */
  afterDeadlinesChanged?: (complaintId: string) => void;
  /** Tells a customer in their own channel (e.g. of an approved extension); without it the notice is recorded as pending. */
  customerNotifier?: CustomerNotifier;
}

const tierOverrideSchema = z.object({ tier: z.enum(['L1', 'L2', 'L3']), reason: z.string().max(1000) });
const extensionRequestSchema = z.object({ toDays: z.number().int().positive(), reason: z.string().min(1).max(1000) });
const extensionDecisionSchema = z.object({ approve: z.boolean(), note: z.string().max(1000).optional() });

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

  server.post(
    '/api/v1/complaints/:number/extensions',
    staffRoute(deps, async (req, staffId) => {
      const number = normalizeComplaintNumber(String(req.params.number ?? ''));
      if (!number) throw new AppError('INVALID_INPUT', { message: 'not a complaint number' });
      const body = extensionRequestSchema.parse(req.body ?? {});
      const result = await requestExtension({ db: deps.db, complaintNumber: number, toDays: body.toDays, reason: body.reason, staffId, policy: deps.policy, now: deps.clock() });
      return { status: 201, body: { id: result.extensionId, number: result.number, fromDays: result.fromDays, toDays: result.toDays, status: result.status } };
    }),
  );

  server.post(
    '/api/v1/extensions/:id/decision',
    staffRoute(deps, async (req, staffId) => {
      const body = extensionDecisionSchema.parse(req.body ?? {});
      const result = await decideExtension({
        db: deps.db, extensionId: String(req.params.id ?? ''), approve: body.approve, note: body.note ?? null, staffId,
        policy: deps.policy, calendar: deps.calendar, now: deps.clock(), notifier: deps.customerNotifier ?? null,
      });
      if (result.status === 'approved') deps.afterDeadlinesChanged?.(result.complaintId);
      return {
        status: 200,
        body: {
          id: result.extensionId, number: result.number, status: result.status, decisionDays: result.decisionDays,
          statutoryDecision: result.statutoryDecision?.toISOString(), feedback: result.feedback?.toISOString(),
          customerNotice: result.customerNotice,
        },
      };
    }),
  );
}
