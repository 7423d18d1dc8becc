// Server-side console sessions in PostgreSQL. The cookie carries a random 256-bit token; the table
// keeps its SHA-256, the CSRF token, and two expiries: absolute (sign in again after
// CONSOLE_SESSION_MAX_HOURS) and idle (pushed forward while the staff member works, at most once a
// minute so reading the queue does not write on every request).
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/client';

export interface SessionSettings {
  idleSeconds: number;
  maxSeconds: number;
}

export interface NewSession {
  /** Goes into the http-only cookie; never stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface ActiveSession {
  id: string;
  staffId: string;
  csrfToken: string;
  expiresAt: Date;
}

const TOUCH_AFTER_MS = 60_000;

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createStaffSession({ db, staffId, now, settings }: { db: Database; staffId: string; now: Date; settings: SessionSettings }): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + settings.maxSeconds * 1000);
  // Housekeeping at sign-in: this staff member's ended sessions are of no further use.
  await db.staffSession.deleteMany({ where: { staffId, OR: [{ expiresAt: { lte: now } }, { idleExpiresAt: { lte: now } }, { revokedAt: { not: null } }] } });
  await db.staffSession.create({
    data: {
      id: sessionIdOf(token), staffId, csrfToken, createdAt: now, lastSeenAt: now,
      idleSeconds: settings.idleSeconds, idleExpiresAt: idleExpiry(now, settings.idleSeconds, expiresAt), expiresAt,
    },
  });
  return { token, csrfToken, expiresAt };
}

function idleExpiry(now: Date, idleSeconds: number, expiresAt: Date): Date {
  return new Date(Math.min(now.getTime() + idleSeconds * 1000, expiresAt.getTime()));
}

/** The live session the token names (and its idle expiry pushed forward), or null. */
export async function findActiveSession({ db, token, now }: { db: Database; token: string; now: Date }): Promise<ActiveSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = sessionIdOf(token);
  const row = await db.staffSession.findUnique({ where: { id } });
  if (!row || row.revokedAt || row.expiresAt <= now || row.idleExpiresAt <= now) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_AFTER_MS) {
    await db.staffSession.updateMany({
      where: { id, revokedAt: null },
      data: { lastSeenAt: now, idleExpiresAt: idleExpiry(now, row.idleSeconds, row.expiresAt) },
    });
  }
  return { id, staffId: row.staffId, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
}

export async function endStaffSession({ db, token, now }: { db: Database; token: string; now: Date }): Promise<boolean> {
  const ended = await db.staffSession.updateMany({ where: { id: sessionIdOf(token), revokedAt: null }, data: { revokedAt: now } });
  return ended.count > 0;
}
