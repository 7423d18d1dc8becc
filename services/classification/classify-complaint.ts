// Staff set or correct what a complaint is about for the special reports (R-SPECIAL): its product,
// the customer's group and region, from the policy's catalogue (reportDimensions). Allowed in any
// status — statistics are corrected after closure too — to a handler of the complaint (its owner or
// investigator, a supervisor of its department, the leadership group, admin). A field left out is
// kept; null clears it. Every change is a `complaint.classified` event with the values before and after.
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import type { ComplaintPolicy } from '../policy/policy';
import { actorOf, assertHandler, assertValidNow, findCase, lockCase, type CaseStaff } from '../case-handling/case-access';
import { assertDimensionCode, type DimensionName } from './dimension-catalogue';

export interface Classification {
  product?: string | null;
  customerGroup?: string | null;
  region?: string | null;
}

export interface ClassifyResult {
  number: string;
  product: string | null;
  customerGroup: string | null;
  region: string | null;
  changed: DimensionName[];
}

const FIELDS: DimensionName[] = ['product', 'customerGroup', 'region'];

export async function classifyComplaint(options: Classification & {
  db: Database; number: string; staff: CaseStaff; policy: ComplaintPolicy; now: Date; channel?: string;
}): Promise<ClassifyResult> {
  const { db, staff, policy, now } = options;
  assertValidNow(now);
  if (FIELDS.every((f) => options[f] === undefined)) {
    throw new AppError('INVALID_INPUT', { message: 'give at least one of product, customerGroup, region (null clears it)' });
  }
  const found = await findCase(db, options.number);
  assertHandler(staff, found, 'classify the complaint');

  return db.$transaction(async (tx) => {
    await lockCase(tx, found.id);
    const before = await tx.complaint.findUniqueOrThrow({
      where: { id: found.id }, select: { number: true, businessLine: true, product: true, customerGroup: true, region: true },
    });
    const after = { product: before.product, customerGroup: before.customerGroup, region: before.region };
    const changed: DimensionName[] = [];
    for (const field of FIELDS) {
      const value = options[field];
      if (value === undefined || value === after[field]) continue;
      assertDimensionCode(policy, field, value, before.businessLine);
      after[field] = value;
      changed.push(field);
    }
    if (changed.length > 0) {
      await tx.complaint.update({ where: { id: found.id }, data: after });
      await recordComplaintEvent(tx, {
        complaintId: found.id, type: 'complaint.classified', actor: actorOf(staff, options.channel), occurredAt: now,
        payload: {
          changed,
          before: Object.fromEntries(changed.map((f) => [f, before[f]])),
          after: Object.fromEntries(changed.map((f) => [f, after[f]])),
        },
      });
    }
    return { number: before.number, ...after, changed };
  });
}
