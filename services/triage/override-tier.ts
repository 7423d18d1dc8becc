// R-TIER-EXPLAIN: a supervisor (or the leadership group, or an admin) may change a complaint's tier
// with a reason. The change is an event, and the deadlines follow the new tier.
import type { Database } from '../db/client';
import type { ComplaintPolicy, TierName } from '../policy/policy';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import { recomputeDeadlines } from '../deadlines/recompute-deadlines';

export const TIER_OVERRIDE_ROLES = ['supervisor', 'leadership', 'admin'] as const;
const MIN_REASON_LENGTH = 4;

export interface OverrideTierOptions {
  db: Database;
  number: string;
  tier: TierName;
  reason: string;
  staffId: string;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  now: Date;
}

export async function overrideTier({ db, number, tier, reason, staffId, policy, calendar, now }: OverrideTierOptions) {
  const trimmed = reason.trim();
  if ([...trimmed].length < MIN_REASON_LENGTH) {
    throw new AppError('INVALID_INPUT', { message: `a reason of at least ${MIN_REASON_LENGTH} characters is required` });
  }
  const staff = await db.staff.findUnique({ where: { id: staffId }, select: { id: true, role: true, active: true } });
  if (!staff?.active) throw new AppError('UNAUTHENTICATED', { message: 'unknown or inactive staff member' });
  if (!(TIER_OVERRIDE_ROLES as readonly string[]).includes(staff.role)) {
    throw new AppError('FORBIDDEN', { message: `a ${staff.role} may not change a complaint's tier` });
  }
  return db.$transaction(async (tx) => {
    const complaint = await tx.complaint.findUnique({ where: { number }, select: { id: true, tier: true, urgent: true, version: true, acceptedAt: true } });
    if (!complaint) throw new AppError('NOT_FOUND', { message: `no complaint ${number}` });
    if (complaint.tier === tier) throw new AppError('CONFLICT', { message: `complaint ${number} is already ${tier}` });
    const updated = await tx.complaint.updateMany({
      where: { id: complaint.id, version: complaint.version },
      data: { tier, version: { increment: 1 } },
    });
    if (updated.count === 0) throw new AppError('CONFLICT', { message: `complaint ${number} changed concurrently; try again` });
    const actor = { type: 'staff' as const, id: staff.id, channel: 'staff-api' };
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: 'tier.overridden', actor, occurredAt: now,
      payload: { from: complaint.tier, to: tier, reason: trimmed, byRole: staff.role, policyVersion: policy.version },
    });
    // Reads the new tier in this transaction, with the complaint's pauses, restart and extension.
    const { deadlines } = await recomputeDeadlines({ db: tx, complaintId: complaint.id, reason: 'tier_change', policy, calendar, now, actor, basis: `tier overridden to ${tier}` });
    return { number, from: complaint.tier, to: tier, deadlines };
  });
}
