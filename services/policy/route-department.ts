// The responsible department of a complaint (policy "routing"): the first rule whose every condition
// holds, else the default. Shipped: claims disputes → CLAIMS, securities → BROKERAGE, else CS (the
// department codes of services/db/seed-demo-data.ts).
import type { ComplaintPolicy } from './policy-schema';

export interface RoutableComplaint {
  businessLine?: 'insurance' | 'securities' | null;
  type?: 'insurance_product_inquiry' | 'claims_dispute' | 'securities_trading' | 'investment_advice' | 'other' | null;
}

export function routeToDepartment(policy: ComplaintPolicy, complaint: RoutableComplaint): string {
  for (const rule of policy.routing.rules) {
    const { businessLine, type } = rule.when;
    if (businessLine !== undefined && businessLine !== complaint.businessLine) continue;
    if (type !== undefined && type !== complaint.type) continue;
    return rule.department;
  }
  return policy.routing.defaultDepartment;
}
