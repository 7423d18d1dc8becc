// Triage inside the filing transaction: is this a repeat complaint, what tier and urgency, which
// department is responsible. The analysis was made before the transaction.
import type { Prisma } from '../db/client';
import type { ComplaintPolicy } from '../policy/policy';
import { routeToDepartment } from '../policy/route-department';
import type { TextAnalysis } from '../text-analysis/text-analysis';
import type { ComplaintDraft } from '../complaints/complaint-draft';
import { findRepeatComplaint } from './find-repeat-complaint';
import { triage } from './triage';
import type { TriageDecision } from './triage-types';

export interface IntakeTriage {
  decision: TriageDecision;
  departmentId: string | null;
  departmentCode: string;
  repeatOf: string | null;
}

export async function triageAtIntake(
  tx: Prisma.TransactionClient,
  { draft, complainantId, analysis, policy, now }: { draft: Omit<ComplaintDraft, 'phone'>; complainantId: string; analysis: TextAnalysis; policy: ComplaintPolicy; now: Date },
): Promise<IntakeTriage> {
  const repeatOf = await findRepeatComplaint(tx, policy, {
    complainantId, businessLine: draft.businessLine, type: draft.type, referenceNumber: draft.referenceNumber, now,
  });
  const decision = triage(
    { text: draft.description, claimedLossYuan: draft.claimedLossYuan, businessLine: draft.businessLine, isRepeat: repeatOf !== null },
    analysis,
    policy,
  );
  const departmentCode = routeToDepartment(policy, draft);
  const department = await tx.department.findUnique({ where: { code: departmentCode }, select: { id: true } });
  return { decision, departmentId: department?.id ?? null, departmentCode, repeatOf };
}
