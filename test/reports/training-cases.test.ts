// Training cases (R-CASES): closed complaints exported with personal data removed. The seed puts
// names, phones, ID numbers, account and policy numbers, e-mail addresses, staff names and numbers in
// descriptions, investigation texts, feedback records, corrective actions and the ledger's own
// fields; the export is searched for every one of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingCaseExport } from '../../services/reports/export-training-cases';
import { anonymiseText } from '../../services/reports/anonymise-text';
import { runReportCli } from './report-cli';
import { NOVEMBER, PEOPLE, POLICY_NUMBER, STAFF, THIRD_PARTY_NAME, seedLedger, type SeededLedger } from './report-seed';

let ledger: SeededLedger;
let output: string;
let exported: TrainingCaseExport;

beforeAll(async () => {
  ledger = await seedLedger();
  const run = await runReportCli(['cases', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json'], ledger.url);
  expect(run.code, run.stderr).toBe(0);
  output = run.stdout;
  exported = JSON.parse(output) as TrainingCaseExport;
}, 120_000);
afterAll(async () => ledger?.drop());

describe('npm run report -- cases (anonymised training cases)', () => {
  it('exports the closed complaints of the period, with what happened, why and what was done', () => {
    const closed = NOVEMBER.filter((c) => c.status === 'closed');
    expect(exported.total).toBe(closed.length);
    expect(exported.cases.map((c) => c.type)).toEqual(closed.map((c) => c.type));
    const n1 = exported.cases[0]!;
    expect(n1).toMatchObject({ caseNo: 1, businessLine: 'insurance', type: 'claims_dispute', channel: 'online_chat', tier: 'L3', month: '2026-11', daysToAnswer: 1, rootCause: 'business_process', compensationYuan: 500, reopened: false });
    expect(n1.description).toContain('医疗险理赔材料交了三次还说不全');
    expect(n1.records[0]!.text).toContain('处理结果');
    expect(n1.measures[0]).toContain('培训');
    expect(exported.cases[1]).toMatchObject({ reopened: true, daysToAnswer: 3 });
  });

  it('contains none of the seeded personal data', () => {
    const seeded = [
      ...PEOPLE.flatMap((p) => [p.name, p.phone, p.id, p.account, p.email]),
      THIRD_PARTY_NAME, POLICY_NUMBER,
      ...Object.values(STAFF).flatMap((s) => [s.displayName, s.employeeNo, ...('email' in s ? [s.email] : [])]),
      ...Object.keys(ledger.complaintIds).map((ref) => `user-${ref}`),
      ...Object.values(ledger.complaintIds),
      'TS20261',
    ];
    for (const value of seeded) expect(output, `found "${value}" in the export`).not.toContain(value);
    // Digits written with spaces, and surnames with a title (欧阳娜娜 → 欧阳女士 or 娜娜女士) are gone too.
    expect(output.replace(/\s/g, '')).not.toContain(PEOPLE[2]!.phone);
    const texts = exported.cases.flatMap((c) => [c.description, c.rootCauseDetail, c.impactAssessment, ...c.measures, ...c.records.map((r) => r.text)]).join('\n');
    expect(texts).not.toMatch(/\d{5,}/);
    expect(output).toContain('[姓名]');
  });

  it('anonymiseText removes names jieba recognises even when nobody told it the name', () => {
    const text = anonymiseText('客户经理王小明未告知风险，营业部李建国也没回电话', { names: [], identifiers: [] });
    expect(text).not.toMatch(/王小明|李建国/);
    expect(text).toContain('未告知风险');
  });
});
