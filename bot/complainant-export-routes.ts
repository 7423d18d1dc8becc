// PIPL access requests: GET /api/v1/complainants/export?phone=… | ?email=… | ?complaint=TS…
// Everything held about one complainant as JSON (services/complainants/export-complainant.ts), for
// administrators and the read-only supervision role. The export is recorded as a
// `complainant.exported` event on each of their complaints and logged with ids only.
import type { Server } from 'restify';
import { AppError } from '../services/errors';
import { exportComplainantData, type ExportLookup } from '../services/complainants/export-complainant';
import { staffRoute, type StaffApiContext, type StaffRoleName } from './staff-api';

export const COMPLAINANT_EXPORT_ROLES: readonly StaffRoleName[] = ['admin', 'supervision'];

function lookupFrom(url: string | undefined): ExportLookup {
  const params = new URL(url ?? '/', 'http://localhost').searchParams;
  const given = (['phone', 'email', 'complaint'] as const).filter((k) => (params.get(k) ?? '').trim() !== '');
  if (given.length !== 1) throw new AppError('INVALID_INPUT', { message: 'give exactly one of phone, email or complaint' });
  const value = params.get(given[0]!)!.trim();
  return given[0] === 'phone' ? { phone: value } : given[0] === 'email' ? { email: value } : { complaintNumber: value };
}

export function registerComplainantExportRoutes(server: Server, ctx: StaffApiContext & { piiHashKey: string }): void {
  server.get(
    '/api/v1/complainants/export',
    staffRoute(
      ctx,
      async (req, staffId, staff) => {
        const lookup = lookupFrom(req.url);
        const body = await exportComplainantData({ db: ctx.db, lookup, piiHashKey: ctx.piiHashKey, actor: { type: 'staff', id: staffId, channel: 'console' }, now: ctx.clock() });
        ctx.log.info({ staffId, role: staff.role, lookupBy: Object.keys(lookup)[0], complaints: body.complaints.map((c) => c.number) }, 'complainant data exported');
        return { status: 200, body, headers: { 'Content-Disposition': 'attachment; filename="complainant-export.json"' } };
      },
      { roles: COMPLAINANT_EXPORT_ROLES },
    ),
  );
}
