// The console's staff API: the queue, the complaint page (masked), revealing personal data, and
// hotline/counter/letter intake. Each route parses its input and calls one use case in
// services/console; staffRoute checks the sign-in, the CSRF header and the role.
import type { Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../../services/errors';
import { normalizeComplaintNumber } from '../../services/complaints/complaint-number';
import { listComplaintQueue, queueQuerySchema } from '../../services/console/list-complaint-queue';
import { getComplaintDetails } from '../../services/console/complaint-details';
import { REVEALABLE_FIELDS, revealPersonalData } from '../../services/console/reveal-personal-data';
import { fileStaffIntake, type FileStaffIntakeDeps } from '../../services/console/file-staff-intake';
import { INTAKE_ROLES } from '../../services/console/console-access';
import { staffRoute, type StaffApiContext } from '../staff-api';

export interface ConsoleRoutesDeps extends StaffApiContext {
  intake: Omit<FileStaffIntakeDeps, 'db'>;
}

const revealSchema = z.object({ fields: z.array(z.enum(REVEALABLE_FIELDS)).min(1).max(REVEALABLE_FIELDS.length).optional() });

function complaintNumberParam(raw: unknown): string {
  const number = normalizeComplaintNumber(String(raw ?? ''));
  if (!number) throw new AppError('INVALID_INPUT', { message: 'not a complaint number' });
  return number;
}

export function registerConsoleRoutes(server: Server, deps: ConsoleRoutesDeps): void {
  server.get(
    '/api/v1/complaints',
    staffRoute(deps, async (req, staffId) => {
      const query = queueQuerySchema.parse(req.query ?? {});
      return { status: 200, body: await listComplaintQueue({ db: deps.db, query, viewerId: staffId, now: deps.clock() }) };
    }),
  );

  server.post(
    '/api/v1/complaints',
    staffRoute(
      deps,
      async (req, staffId) => {
        const filed = await fileStaffIntake({ db: deps.db, ...deps.intake }, { body: req.body ?? {}, staffId, now: deps.clock() });
        return {
          status: 201,
          body: {
            number: filed.number, channel: filed.channel, tier: filed.tier, urgent: filed.urgent,
            acceptedAt: filed.acceptedAt.toISOString(), feedbackDueAt: filed.feedbackDueAt.toISOString(),
            contactBy: filed.contactBy?.toISOString() ?? null, safetyConcern: filed.safetyConcern, acknowledged: filed.acknowledged,
          },
        };
      },
      { roles: INTAKE_ROLES },
    ),
  );

  server.get(
    '/api/v1/complaints/:number',
    staffRoute(deps, async (req, _staffId, staff) => {
      const number = complaintNumberParam(req.params.number);
      return { status: 200, body: { ...(await getComplaintDetails({ db: deps.db, number, viewer: staff })), now: deps.clock().toISOString() } };
    }),
  );

  server.post(
    '/api/v1/complaints/:number/reveal',
    staffRoute(
      deps,
      async (req, _staffId, staff) => {
        const number = complaintNumberParam(req.params.number);
        const body = revealSchema.parse(req.body ?? {});
        const fields = await revealPersonalData({ db: deps.db, number, viewer: staff, fields: body.fields ?? REVEALABLE_FIELDS, now: deps.clock() });
        return { status: 200, body: { number, fields } };
      },
      // Reading, recorded as an event: the read-only supervision department may do it too.
      { allowReadOnlyRoles: true },
    ),
  );

  server.get(
    '/api/v1/departments',
    staffRoute(deps, async () => {
      const departments = await deps.db.department.findMany({ select: { id: true, code: true, name: true, nameEn: true }, orderBy: { code: 'asc' } });
      return { status: 200, body: { departments } };
    }),
  );
}
