// Debug helper for `npm run bench`: the CPU time of one triage of the bench's complaint text (after
// warm-up), to see what the filing turn pays for triage. `npx tsx scripts/bench/triage-micro.ts [N]`
import { DEFAULT_POLICY } from '../../services/policy/policy';
import { triage, warmUpTriage } from '../../services/triage/triage';
import { analyzeLocally } from '../../services/text-analysis/local-analyzer';

const text = '车险理赔申请已经提交三个月，保险公司一直没有答复，希望尽快赔付（案件 3fa9c1）';
const zhOnly = '车险理赔申请已经提交三个月，保险公司一直没有答复，希望尽快赔付';
warmUpTriage(DEFAULT_POLICY);
const n = Number(process.argv[2] ?? 200);
for (const t of [text, zhOnly]) {
  const analysis = analyzeLocally(t);
  for (let i = 0; i < 20; i++) triage({ text: t, claimedLossYuan: 80_000, isRepeat: false }, analysis, DEFAULT_POLICY);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) triage({ text: t, claimedLossYuan: 80_000, isRepeat: false }, analysis, DEFAULT_POLICY);
  const used = process.cpuUsage(start);
  const a0 = process.cpuUsage();
  for (let i = 0; i < n; i++) analyzeLocally(t);
  const a1 = process.cpuUsage(a0);
  console.log(`${t.slice(0, 20)}…: triage ${((used.user + used.system) / 1000 / n).toFixed(2)} ms, local analysis ${((a1.user + a1.system) / 1000 / n).toFixed(2)} ms CPU each`);
}
