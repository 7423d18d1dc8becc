// Report dimensions over the staff API: the policy's catalogue (products, customer groups, regions,
// with zh-CN and English labels) for the console's forms, and setting them on a complaint
// (services/classification). Handlers write; everyone who reads cases reads the catalogue.
import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { ComplaintPolicy } from '../services/policy/policy';
import { CASE_READ_ROLES, CASE_WRITE_ROLES } from '../services/case-handling/case-access';
import { classifyComplaint } from '../services/classification/classify-complaint';
import { dimensionCatalogue } from '../services/classification/dimension-catalogue';
import { staffRoute, type StaffApiContext } from './staff-api';

const code = z.string().max(40).nullable().optional();
const classificationBody = z.strictObject({ product: code, customerGroup: code, region: code });

export function registerClassificationRoutes(server: Server, deps: StaffApiContext & { policy: ComplaintPolicy; afterChange?: (complaintId: string) => void }): void {
  const { db, policy } = deps;
  server.get('/api/v1/report-dimensions', staffRoute(deps, async () => ({ status: 200, body: dimensionCatalogue(policy) }), { roles: CASE_READ_ROLES }));

  server.put('/api/v1/complaints/:number/classification', staffRoute(deps, async (req: Request, _id, staff) => {
    const body = classificationBody.parse(req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? req.body : {});
    const result = await classifyComplaint({ db, number: String(req.params.number ?? ''), ...body, staff, policy, now: deps.clock() });
    return { status: 200, body: result };
  }, { roles: CASE_WRITE_ROLES }));
}
