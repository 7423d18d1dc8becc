// Console sign-in with an employee number and a password. Lockout per account: each attempt first
// claims one of the allowed tries with a conditional update (so parallel guesses cannot exceed the
// limit), the failure that uses the last one locks the account for the lockout period, a success
// resets the count. Every refusal looks the same to the caller — unknown account, wrong password,
// locked, deactivated — and costs the same scrypt work, so nobody learns which accounts exist.
import type { Database } from '../db/client';
import { spendPasswordCheck, verifyPassword } from './passwords';
import { createStaffSession, type NewSession, type SessionSettings } from './staff-sessions';

export interface SignInSettings extends SessionSettings {
  maxFailedSignIns: number;
  lockoutSeconds: number;
}

export type SignInRefusal = 'unknown_account' | 'no_password' | 'inactive' | 'locked' | 'wrong_password';

export type SignInResult =
  | { ok: true; staffId: string; session: NewSession }
  | { ok: false; reason: SignInRefusal; staffId: string | null; lockedNow?: boolean };

export async function signIn({ db, employeeNo, password, now, settings }: { db: Database; employeeNo: string; password: string; now: Date; settings: SignInSettings }): Promise<SignInResult> {
  const staff = await db.staff.findUnique({ where: { employeeNo: employeeNo.trim() }, select: { id: true, active: true } });
  const credential = staff ? await db.staffCredential.findUnique({ where: { staffId: staff.id }, select: { passwordHash: true } }) : null;
  if (!staff || !credential) {
    await spendPasswordCheck(password);
    return { ok: false, reason: staff ? 'no_password' : 'unknown_account', staffId: staff?.id ?? null };
  }
  const attempt = await claimAttempt(db, staff.id, now, settings.maxFailedSignIns);
  if (attempt === null) {
    await spendPasswordCheck(password);
    return { ok: false, reason: 'locked', staffId: staff.id };
  }
  const matches = await verifyPassword(password, credential.passwordHash);
  if (!matches) {
    const lockedNow = attempt >= settings.maxFailedSignIns;
    if (lockedNow) {
      await db.staffCredential.update({ where: { staffId: staff.id }, data: { lockedUntil: new Date(now.getTime() + settings.lockoutSeconds * 1000) } });
    }
    return { ok: false, reason: 'wrong_password', staffId: staff.id, lockedNow };
  }
  await db.staffCredential.update({ where: { staffId: staff.id }, data: { failedAttempts: 0, lockedUntil: null, lastSignInAt: now } });
  if (!staff.active) return { ok: false, reason: 'inactive', staffId: staff.id };
  return { ok: true, staffId: staff.id, session: await createStaffSession({ db, staffId: staff.id, now, settings }) };
}

/**
 * Takes one try: the attempt's number (1-based) since the last success or expired lock, or null when
 * the account is locked or its tries are used up.
 */
async function claimAttempt(db: Database, staffId: string, now: Date, maxFailures: number): Promise<number | null> {
  const rows = await db.$queryRaw<{ failed_attempts: number }[]>`
    UPDATE staff_credential SET
      failed_attempts = CASE WHEN locked_until IS NOT NULL AND locked_until <= ${now} THEN 1 ELSE failed_attempts + 1 END,
      locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= ${now} THEN NULL ELSE locked_until END
    WHERE staff_id = ${staffId}::uuid
      AND ((locked_until IS NULL AND failed_attempts < ${maxFailures}) OR locked_until <= ${now})
    RETURNING failed_attempts`;
  return rows[0]?.failed_attempts ?? null;
}
