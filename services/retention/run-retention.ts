// One retention pass: every closed complaint past its line's retention period and not yet anonymised,
// oldest closing first, in batches. Safe to run on several instances or twice (each complaint is
// claimed in its own transaction); a dry run only counts. Logs ids and counts, never values.
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { ComplaintPolicy } from '../policy/policy';
import { anonymiseComplaint } from './anonymise-complaint';
import { retentionCutoff, retentionYears, type BusinessLineName } from './retention-period';

export interface RetentionReport {
  dryRun: boolean;
  byLine: { line: BusinessLineName; years: number; cutoff: string; due: number; anonymised: number }[];
  complainantsAnonymised: number;
}

const LINES: BusinessLineName[] = ['insurance', 'securities'];

export async function runRetention({ db, policy, now, dryRun = false, batchSize = 200, log }: { db: Database; policy: ComplaintPolicy; now: Date; dryRun?: boolean; batchSize?: number; log?: Logger }): Promise<RetentionReport> {
  const report: RetentionReport = { dryRun, byLine: [], complainantsAnonymised: 0 };
  for (const line of LINES) {
    const years = retentionYears(policy, line);
    const cutoff = retentionCutoff(policy, line, now);
    const where = { businessLine: line, status: 'closed' as const, closedAt: { lt: cutoff }, anonymisedAt: null };
    const due = await db.complaint.count({ where });
    const entry = { line, years, cutoff: cutoff.toISOString(), due, anonymised: 0 };
    report.byLine.push(entry);
    if (dryRun || due === 0) continue;
    for (;;) {
      const batch = await db.complaint.findMany({ where, orderBy: [{ closedAt: 'asc' }, { id: 'asc' }], take: batchSize, select: { id: true, number: true } });
      if (batch.length === 0) break;
      let progressed = 0;
      for (const c of batch) {
        const result = await anonymiseComplaint({ db, complaintId: c.id, cutoff, retentionYears: years, now });
        if (!result.anonymised) continue; // another instance took it
        progressed++;
        entry.anonymised++;
        if (result.complainantAnonymised) report.complainantsAnonymised++;
        log?.info({ complaintNumber: c.number, retentionYears: years }, 'complaint anonymised (retention)');
      }
      if (progressed === 0 && batch.length < batchSize) break;
    }
  }
  return report;
}
