// The complaint policy's open values (requirements.md, "Defaults") and the triage configuration.
// Configuration, not code: the values live in complaint-policy.json beside this file (one versioned
// file, validated by policy-schema.ts); POLICY_FILE may point to an override (load-policy.ts). Every
// complaint records the version it was judged under.
import { readFileSync } from 'node:fs';
import { complaintPolicySchema, type ComplaintPolicy } from './policy-schema';

export type { ComplaintPolicy } from './policy-schema';

/** The shipped policy file. */
export const SHIPPED_POLICY_PATH = new URL('./complaint-policy.json', import.meta.url);

/**
 * The shipped policy (complaint-policy.json), validated when this module loads, deeply frozen so no
 * caller can change the defaults of another. Use `loadPolicy()` to honour POLICY_FILE.
 */
export const DEFAULT_POLICY: ComplaintPolicy = deepFreeze(parseShippedPolicy());

export type TierName = 'L1' | 'L2' | 'L3';

/** Business days to give the customer the result, by tier; an untriaged complaint gets L3's window. */
export function feedbackBusinessDays(policy: ComplaintPolicy, tier: TierName | null): number {
  switch (tier) {
    case 'L1':
      return policy.l1.feedbackBusinessDays;
    case 'L2':
      return policy.l2.feedbackBusinessDays;
    default:
      return policy.l3.feedbackBusinessDays;
  }
}

function parseShippedPolicy(): ComplaintPolicy {
  const parsed = complaintPolicySchema.safeParse(JSON.parse(readFileSync(SHIPPED_POLICY_PATH, 'utf8')));
  if (!parsed.success) {
    // A broken shipped file is a build error; load-policy.ts gives the readable list for overrides.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`The shipped complaint policy is invalid:\n  - ${problems.join('\n  - ')}`);
  }
  return parsed.data;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
