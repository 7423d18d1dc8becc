// How long a closed complaint keeps its personal data (记录存档 / PIPL): the policy's retention years
// per business line (shipped: insurance 3, securities 5), counted from the closing. Pure: the clock and
// the policy are arguments.
import type { ComplaintPolicy } from '../policy/policy';

export type BusinessLineName = 'insurance' | 'securities';

export function retentionYears(policy: Pick<ComplaintPolicy, 'retention'>, line: BusinessLineName): number {
  return line === 'securities' ? policy.retention.securitiesYears : policy.retention.insuranceYears;
}

/** Complaints of `line` closed before this instant are past retention at `now` (calendar years; 29 Feb → 28 Feb). */
export function retentionCutoff(policy: Pick<ComplaintPolicy, 'retention'>, line: BusinessLineName, now: Date): Date {
  const years = retentionYears(policy, line);
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(now.getUTCFullYear() - years);
  // 29 Feb minus N years lands on 1 Mar in a common year: keep the data the extra day rather than lose it early.
  if (cutoff.getUTCMonth() !== now.getUTCMonth()) cutoff.setUTCDate(0);
  return cutoff;
}
