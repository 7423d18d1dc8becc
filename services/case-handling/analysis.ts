// R-ANALYSE: the investigation's result — root cause (one of the policy's categories) and the impact
// assessment. Recording it meets the investigation deadline (the SLA clock stops warning about it);
// it can be revised while the investigation runs (`revised: true` in the event).
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import { markStepMet } from '../deadlines/mark-step-met';
import { actorOf, assertHandler, assertValidNow, findCase, lockCase, optionalText, requiredText, type CaseStaff } from './case-access';

export const ROOT_CAUSES = [
  'internal_management', 'business_process', 'staff_service', 'product', 'third_party', 'customer_misunderstanding', 'other',
] as const;
export type RootCauseName = (typeof ROOT_CAUSES)[number];
export const IMPACT_LEVELS = ['low', 'medium', 'high', 'severe'] as const;
export type ImpactLevelName = (typeof IMPACT_LEVELS)[number];

const MAX_TEXT = 5000;

export interface AnalysisInput {
  rootCause: RootCauseName;
  rootCauseDetail?: string | null;
  impactLevel: ImpactLevelName;
  impactAssessment: string;
}

export async function recordAnalysis(options: AnalysisInput & { db: Database; number: string; staff: CaseStaff; now: Date; channel?: string }): Promise<{
  number: string; rootCause: RootCauseName; impactLevel: ImpactLevelName; revised: boolean; investigationDeadlineMet: boolean;
}> {
  const { db, staff, now, rootCause, impactLevel } = options;
  assertValidNow(now);
  if (!ROOT_CAUSES.includes(rootCause)) throw new AppError('INVALID_INPUT', { message: `rootCause must be one of ${ROOT_CAUSES.join(', ')}` });
  if (!IMPACT_LEVELS.includes(impactLevel)) throw new AppError('INVALID_INPUT', { message: `impactLevel must be one of ${IMPACT_LEVELS.join(', ')}` });
  const impactAssessment = requiredText(options.impactAssessment, 'impactAssessment', MAX_TEXT);
  const rootCauseDetail = optionalText(options.rootCauseDetail, 'rootCauseDetail', MAX_TEXT);
  if (rootCause === 'other' && !rootCauseDetail) throw new AppError('INVALID_INPUT', { message: 'rootCauseDetail: say what the cause is when it is "other"' });
  const complaint = await findCase(db, options.number);
  assertHandler(staff, complaint, 'record the root cause');

  return db.$transaction(async (tx) => {
    const current = await lockCase(tx, complaint.id);
    if (current.status !== 'investigating') {
      throw new AppError('INVALID_TRANSITION', { message: `complaint ${current.number} is ${current.status}: the root cause is recorded during the investigation` });
    }
    const before = await tx.caseInvestigation.findUniqueOrThrow({ where: { complaintId: complaint.id }, select: { analysedAt: true } });
    await tx.caseInvestigation.update({
      where: { complaintId: complaint.id },
      data: { rootCause, rootCauseDetail, impactLevel, impactAssessment, analysedBy: staff.id, analysedAt: now },
    });
    const revised = before.analysedAt !== null;
    await recordComplaintEvent(tx, {
      complaintId: complaint.id, type: 'analysis.recorded', actor: actorOf(staff, options.channel), occurredAt: now,
      payload: { rootCause, impactLevel, revised },
    });
    const investigationDeadlineMet = await markStepMet(tx, { complaintId: complaint.id, kind: 'investigation', by: 'root cause and impact recorded', now });
    return { number: current.number, rootCause, impactLevel, revised, investigationDeadlineMet };
  });
}
