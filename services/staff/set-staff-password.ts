// An administrator sets a staff member's console password: hashed, the lockout cleared, and every
// open session of that staff member ended (a reset after a suspected compromise must log them out).
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { hashPassword, passwordProblem } from './passwords';

export async function setStaffPassword({ db, employeeNo, password, now }: { db: Database; employeeNo: string; password: string; now: Date }): Promise<{ staffId: string; sessionsEnded: number }> {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('INVALID_INPUT', { message: problem });
  const staff = await db.staff.findUnique({ where: { employeeNo }, select: { id: true } });
  if (!staff) throw new AppError('NOT_FOUND', { message: `no staff member with employee number ${employeeNo}` });
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    await tx.staffCredential.upsert({
      where: { staffId: staff.id },
      create: { staffId: staff.id, passwordHash, passwordChangedAt: now },
      update: { passwordHash, passwordChangedAt: now, failedAttempts: 0, lockedUntil: null },
    });
    const ended = await tx.staffSession.updateMany({ where: { staffId: staff.id, revokedAt: null }, data: { revokedAt: now } });
    return { staffId: staff.id, sessionsEnded: ended.count };
  });
}
