// Stopping and restarting a complaint's clock (requirements.md, "How time is counted"): time spent
// waiting for an external appraisal does not count; new facts from the customer restart the clock.
// Each use case is one transaction: the change, its event (`clock.paused`, `clock.resumed`,
// `clock.restarted`) and the recomputed deadlines (`deadlines.set`). How pauses and restarts move
// each deadline: services/deadlines/compute-deadlines.ts.
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { Database, Prisma } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import { AppError } from '../errors';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';
import type { DeadlineSchedule } from './compute-deadlines';
import { lockComplaint, recomputeDeadlines } from './recompute-deadlines';

/** Who may stop or restart a clock: everyone who handles complaints; not the read-only supervision department. */
export const CLOCK_ROLES = ['agent', 'supervisor', 'leadership', 'admin'] as const;

export interface ClockChangeOptions {
  db: Database;
  complaintId: string;
  /** The staff member doing it (recorded as the actor and in the pause row). */
  staffId: string;
  policy: ComplaintPolicy;
  calendar: BusinessCalendar;
  now: Date;
  /** The entry point, for the event; default "staff-api". */
  channel?: string;
}

export interface PauseResult {
  pauseId: string;
  startedAt: Date;
  schedule: DeadlineSchedule;
}

export interface ResumeResult {
  pauseId: string;
  startedAt: Date;
  endedAt: Date;
  schedule: DeadlineSchedule;
}

export interface RestartResult {
  restartedAt: Date;
  schedule: DeadlineSchedule;
}

/** Stops the clock: the complaint waits for an external appraisal from `now` on. CONFLICT if already waiting. */
export async function pauseForAppraisal(options: ClockChangeOptions): Promise<PauseResult> {
  const { complaintId, now } = options;
  return inClockTransaction(options, async (tx, complaint, actor) => {
    const open = await openPause(tx, complaintId);
    if (open) {
      throw new AppError('CONFLICT', { message: `the clock of complaint ${complaint.number} is already stopped since ${open.startedAt.toISOString()}` });
    }
    const latest = await tx.complaintPause.findFirst({ where: { complaintId }, orderBy: { endedAt: 'desc' }, select: { endedAt: true } });
    if (latest?.endedAt && now.getTime() < latest.endedAt.getTime()) {
      throw new AppError('INVALID_INPUT', { message: 'a pause cannot start before the previous one ended' });
    }
    const pause = await tx.complaintPause.create({
      data: { complaintId, reason: 'external_appraisal', startedAt: now, startedBy: actor.id },
      select: { id: true, startedAt: true },
    });
    await recordComplaintEvent(tx, {
      complaintId, type: 'clock.paused', actor, occurredAt: now,
      payload: { pauseId: pause.id, reason: 'external_appraisal' },
    });
    const schedule = await recomputeDeadlines({ ...recomputeOf(options, actor), db: tx, reason: 'pause' });
    return { pauseId: pause.id, startedAt: pause.startedAt, schedule };
  });
}

/** Starts the clock again after the appraisal: the pending deadlines move by the time it stood still. CONFLICT if not stopped. */
export async function resumeAfterAppraisal(options: ClockChangeOptions): Promise<ResumeResult> {
  const { complaintId, now } = options;
  return inClockTransaction(options, async (tx, complaint, actor) => {
    const open = await openPause(tx, complaintId);
    if (!open) throw new AppError('CONFLICT', { message: `the clock of complaint ${complaint.number} is not stopped` });
    if (now.getTime() < open.startedAt.getTime()) {
      throw new AppError('INVALID_INPUT', { message: 'the clock cannot resume before it stopped' });
    }
    await tx.complaintPause.update({ where: { id: open.id }, data: { endedAt: now, endedBy: actor.id } });
    await recordComplaintEvent(tx, {
      complaintId, type: 'clock.resumed', actor, occurredAt: now,
      payload: {
        pauseId: open.id, reason: open.reason, pausedSince: open.startedAt.toISOString(),
        pausedMinutes: Math.round((now.getTime() - open.startedAt.getTime()) / 60_000),
      },
    });
    const schedule = await recomputeDeadlines({ ...recomputeOf(options, actor), db: tx, reason: 'resume' });
    return { pauseId: open.id, startedAt: open.startedAt, endedAt: now, schedule };
  });
}

/**
 * New facts from the customer: every deadline not yet met counts from `now` as if the complaint had
 * been accepted then. Steps already done (met deadlines) stay done. A pause still open stays open.
 */
export async function restartClockOnNewFacts(options: ClockChangeOptions): Promise<RestartResult> {
  const { complaintId, now } = options;
  return inClockTransaction(options, async (tx, complaint, actor) => {
    const previous = complaint.clockRestartedAt ?? complaint.acceptedAt;
    if (now.getTime() < previous.getTime()) {
      throw new AppError('INVALID_INPUT', { message: 'the clock cannot restart before its current start' });
    }
    await tx.complaint.update({ where: { id: complaintId }, data: { clockRestartedAt: now } });
    await recordComplaintEvent(tx, {
      complaintId, type: 'clock.restarted', actor, occurredAt: now,
      payload: { reason: 'new_facts', previousStart: previous.toISOString() },
    });
    const schedule = await recomputeDeadlines({ ...recomputeOf(options, actor), db: tx, reason: 'restart' });
    return { restartedAt: now, schedule };
  });
}

interface LockedComplaint {
  number: string;
  status: string;
  acceptedAt: Date;
  clockRestartedAt: Date | null;
}

/**
 * Checks the staff member, then in one transaction: locks the complaint row (clock changes of one
 * complaint run one after the other), refuses a closed complaint or a time before acceptance, bumps
 * the complaint's version (concurrent writers notice), and runs `body`.
 */
async function inClockTransaction<T>(
  { db, complaintId, staffId, now, channel = 'staff-api' }: ClockChangeOptions,
  body: (tx: Prisma.TransactionClient, complaint: LockedComplaint, actor: Actor & { id: string }) => Promise<T>,
): Promise<T> {
  if (Number.isNaN(now.getTime())) throw new AppError('INVALID_INPUT', { message: 'now is not a valid date' });
  const staff = await db.staff.findUnique({ where: { id: staffId }, select: { id: true, role: true, active: true } });
  if (!staff?.active) throw new AppError('UNAUTHENTICATED', { message: 'unknown or inactive staff member' });
  if (!(CLOCK_ROLES as readonly string[]).includes(staff.role)) {
    throw new AppError('FORBIDDEN', { message: `a ${staff.role} may not stop or restart a complaint's clock` });
  }
  const actor = { type: 'staff' as const, id: staff.id, channel };
  return db.$transaction(async (tx) => {
    await lockComplaint(tx, complaintId);
    const complaint = await tx.complaint.update({
      where: { id: complaintId },
      data: { version: { increment: 1 } },
      select: { number: true, status: true, acceptedAt: true, clockRestartedAt: true },
    });
    if (complaint.status === 'closed') {
      throw new AppError('INVALID_TRANSITION', { message: `complaint ${complaint.number} is closed: its clock no longer runs` });
    }
    if (now.getTime() < complaint.acceptedAt.getTime()) {
      throw new AppError('INVALID_INPUT', { message: 'the clock cannot change before the complaint was accepted' });
    }
    return body(tx, complaint, actor);
  });
}

function openPause(tx: Prisma.TransactionClient, complaintId: string) {
  return tx.complaintPause.findFirst({ where: { complaintId, endedAt: null }, select: { id: true, reason: true, startedAt: true } });
}

function recomputeOf({ complaintId, policy, calendar, now }: ClockChangeOptions, actor: Actor) {
  return { complaintId, policy, calendar, now, actor };
}
