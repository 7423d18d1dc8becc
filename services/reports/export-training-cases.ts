// Training cases (R-CASES): closed complaints, anonymised, for staff training and publicity. What is
// kept: the kind of case (line, type, channel, tier), what happened (the description), why (root
// cause, impact), what was done (measures, compensation, feedback) and how long it took — all free
// text through anonymiseText. What is left out: the complaint number and dates (they lead back to
// the ledger), every complainant field, reference numbers, chat ids, staff and department ids.
import type { Database } from '../db/client';
import { anonymiseText, type KnownPersonalData } from './anonymise-text';
import type { ReportFilter } from './report-filter';
import { acceptedDayKey } from './report-filter';

export interface TrainingCase {
  caseNo: number;
  businessLine: string;
  type: string;
  channel: string;
  tier: string | null;
  urgent: boolean;
  /** YYYY-MM the complaint came in. */
  month: string;
  /** Calendar days from acceptance to the first answer (rounded up); null if never answered. */
  daysToAnswer: number | null;
  reopened: boolean;
  description: string;
  rootCause: string | null;
  rootCauseDetail: string;
  impactLevel: string | null;
  impactAssessment: string;
  measures: string[];
  compensationYuan: number | null;
  records: { kind: string; text: string }[];
}

export interface TrainingCaseExport {
  period: { from: string; to: string };
  generatedAt: string;
  total: number;
  cases: TrainingCase[];
}

/** Closed complaints whose acceptance day is in the period (and that match the filter's line and type). */
export async function exportTrainingCases({ db, filter, now }: { db: Database; filter: Pick<ReportFilter, 'from' | 'to' | 'line' | 'type'>; now: Date }): Promise<TrainingCaseExport> {
  const complaints = await db.complaint.findMany({
    where: {
      status: 'closed',
      acceptedDay: { gte: acceptedDayKey(filter.from), lte: acceptedDayKey(filter.to) },
      ...(filter.line ? { businessLine: filter.line } : {}),
      ...(filter.type ? { type: filter.type } : {}),
    },
    orderBy: [{ acceptedAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true, businessLine: true, type: true, intakeChannel: true, tier: true, urgent: true, acceptedDay: true, acceptedAt: true,
      resolvedAt: true, reopenCount: true, description: true, referenceNumber: true, channelUserId: true, occurredOn: true,
      complainant: { select: { name: true, phone: true, email: true } },
      investigation: { select: { rootCause: true, rootCauseDetail: true, impactLevel: true, impactAssessment: true } },
      correctiveActions: { select: { description: true }, orderBy: { createdAt: 'asc' } },
      compensations: { where: { status: 'approved' }, select: { amountYuan: true } },
      caseRecords: { where: { kind: { in: ['investigation_note', 'feedback', 'negotiation'] } }, select: { kind: true, body: true }, orderBy: { recordedAt: 'asc' } },
    },
  });
  // Every staff member's name and number: handlers are named in notes and feedback.
  const staff = await db.staff.findMany({ select: { displayName: true, employeeNo: true, email: true } });
  const staffNames = staff.map((s) => s.displayName);
  const staffIds = staff.flatMap((s) => [s.employeeNo, s.email ?? '']).filter((v) => v !== '');

  const cases = complaints.map((c, i): TrainingCase => {
    const known: KnownPersonalData = {
      names: [c.complainant.name, ...staffNames],
      identifiers: [c.complainant.phone ?? '', c.complainant.email ?? '', c.referenceNumber ?? '', c.channelUserId ?? '', ...staffIds].filter((v) => v !== ''),
    };
    const anon = (t: string | null | undefined) => anonymiseText(t, known);
    const compensation = c.compensations.reduce((sum, m) => sum + Number(m.amountYuan), 0);
    return {
      caseNo: i + 1,
      businessLine: c.businessLine,
      type: c.type,
      channel: c.intakeChannel,
      tier: c.tier,
      urgent: c.urgent,
      month: `${c.acceptedDay.slice(0, 4)}-${c.acceptedDay.slice(4, 6)}`,
      daysToAnswer: c.resolvedAt ? Math.ceil((c.resolvedAt.getTime() - c.acceptedAt.getTime()) / 86_400_000) : null,
      reopened: c.reopenCount > 0,
      description: anon(c.description),
      rootCause: c.investigation?.rootCause ?? null,
      rootCauseDetail: anon(c.investigation?.rootCauseDetail),
      impactLevel: c.investigation?.impactLevel ?? null,
      impactAssessment: anon(c.investigation?.impactAssessment),
      measures: c.correctiveActions.map((a) => anon(a.description)),
      compensationYuan: c.compensations.length ? compensation : null,
      records: c.caseRecords.map((r) => ({ kind: r.kind, text: anon(r.body) })),
    };
  });
  return { period: { from: filter.from, to: filter.to }, generatedAt: now.toISOString(), total: cases.length, cases };
}
