// R-SUPERVISION from the console or the hotline desk: staff file a customer's complaint about how a
// complaint is handled.
//   POST /api/v1/complaints/:number/handling-complaints  { description, channel?: hotline|counter|letter, locale? }
// → 201 { number, aboutNumber, department, feedbackDueAt }. Agents, supervisors and administrators;
// the supervision department reads such complaints like every other.
import type { Server } from 'restify';
import { z } from 'zod';
import type { BusinessCalendar } from '../services/calendar/business-calendar';
import { normalizeComplaintNumber } from '../services/complaints/complaint-number';
import { AppError } from '../services/errors';
import type { ComplaintPolicy } from '../services/policy/policy';
import { fileHandlingComplaint, SUPERVISION_DEPARTMENT_CODE } from '../services/supervision/file-handling-complaint';
import type { TextAnalyzer } from '../services/text-analysis/text-analysis';
import { staffRoute, type StaffApiContext, type StaffRoleName } from './staff-api';

export interface HandlingComplaintRoutesDeps extends StaffApiContext {
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  analyzer: TextAnalyzer;
  piiHashKey: string;
  /** After filing (committed): timers and alerts, as for every complaint. */
  afterFiled?: (complaintId: string) => void;
}

const HANDLING_COMPLAINT_ROLES: readonly StaffRoleName[] = ['agent', 'supervisor', 'admin'];

const bodySchema = z.strictObject({
  description: z.string().trim().min(2).max(2000),
  channel: z.enum(['hotline', 'counter', 'letter']).default('hotline'),
  locale: z.enum(['zh-CN', 'en-US']).default('zh-CN'),
});

export function registerHandlingComplaintRoutes(server: Server, deps: HandlingComplaintRoutesDeps): void {
  server.post(
    '/api/v1/complaints/:number/handling-complaints',
    staffRoute(deps, async (req, staffId) => {
      const number = normalizeComplaintNumber(String(req.params.number ?? ''));
      if (!number) throw new AppError('INVALID_INPUT', { message: 'not a complaint number' });
      const body = bodySchema.parse(req.body ?? {});
      const about = await deps.db.complaint.findUnique({ where: { number }, select: { id: true } });
      if (!about) throw new AppError('NOT_FOUND', { message: `no complaint ${number}` });
      const filed = await fileHandlingComplaint({
        db: deps.db, policy: deps.policy, calendar: deps.calendar, analyzer: deps.analyzer, piiHashKey: deps.piiHashKey, now: deps.clock(),
        aboutComplaintId: about.id, description: body.description,
        source: { channelId: 'console', channelUserId: null, locale: body.locale, intakeChannel: body.channel },
        actor: { type: 'staff', id: staffId, channel: 'console' },
      });
      deps.afterFiled?.(filed.id);
      deps.log.info({ complaintNumber: filed.number, aboutNumber: filed.aboutNumber }, 'handling complaint filed by staff');
      return {
        status: 201,
        body: { number: filed.number, aboutNumber: filed.aboutNumber, department: SUPERVISION_DEPARTMENT_CODE, tier: filed.tier, feedbackDueAt: filed.feedbackDueAt.toISOString() },
      };
    }, { roles: HANDLING_COMPLAINT_ROLES }),
  );
}
