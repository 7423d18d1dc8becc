// A repeat complaint (重复投诉): the same complainant, about the same matter, within the policy's
// window. "Same matter" = same business line and complaint type and, when both name one, the same
// policy / contract / account number.
import type { ComplaintPolicy } from '../policy/policy';

/** The window a repeat is looked for in: the policy's days before the filing, up to it. */
export function repeatWindow(policy: ComplaintPolicy, now: Date): { since: Date; until: Date } {
  return { since: new Date(now.getTime() - policy.repeat.windowDays * 86_400_000), until: now };
}

/**
 * The number of the earlier complaint this one repeats, or null, among the complainant's complaints of
 * the window about the same business line and type (newest first). The reference number is encrypted
 * at rest (a fresh IV per value), so it is compared here, after reading.
 */
export function pickRepeat(earlier: { number: string; referenceNumber: string | null }[], referenceNumber: string | null): string | null {
  const same = earlier.find((c) => !referenceNumber || c.referenceNumber === null || c.referenceNumber === referenceNumber);
  return same?.number ?? null;
}
