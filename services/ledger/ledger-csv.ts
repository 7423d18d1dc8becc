// The ledger as CSV for Excel and WPS: UTF-8 with a byte-order mark so Chinese opens correctly.
import { stringify } from 'csv-stringify/sync';
import type { LedgerRow } from './search-ledger';

const COLUMNS: { key: keyof LedgerRow; header: string }[] = [
  { key: 'number', header: '投诉编号 Number' },
  { key: 'acceptedAt', header: '受理时间 Accepted at' },
  { key: 'complainant', header: '投诉人 Complainant' },
  { key: 'phone', header: '联系电话 Phone' },
  { key: 'businessLine', header: '业务条线 Line' },
  { key: 'type', header: '投诉类型 Type' },
  { key: 'tier', header: '级别 Tier' },
  { key: 'urgent', header: '紧急 Urgent' },
  { key: 'intakeChannel', header: '渠道 Channel' },
  { key: 'status', header: '状态 Status' },
  { key: 'handler', header: '当前处理人 Handler' },
  { key: 'department', header: '部门 Department' },
  { key: 'claimedLossYuan', header: '主张损失(元) Loss claimed' },
  { key: 'matter', header: '投诉事项 Matter' },
  { key: 'feedbackDueAt', header: '反馈期限 Feedback due' },
  { key: 'statutoryDueAt', header: '法定期限 Statutory due' },
];

const TIME_COLUMNS = new Set<keyof LedgerRow>(['acceptedAt', 'feedbackDueAt', 'statutoryDueAt']);

/** Times as local wall-clock time ("2026-11-28 19:08"), which is what people filter on in a spreadsheet. */
function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function ledgerToCsv(rows: LedgerRow[], { timeZone = 'Asia/Shanghai', withHeader = true, withBom = true } = {}): string {
  const cell = (row: LedgerRow, key: keyof LedgerRow) => {
    const value = row[key];
    if (value === null || value === undefined) return '';
    return TIME_COLUMNS.has(key) ? localTime(String(value), timeZone) : value;
  };
  const body = stringify(
    rows.map((row) => COLUMNS.map((c) => cell(row, c.key))),
    { header: withHeader, columns: COLUMNS.map((c) => c.header), cast: { boolean: (b) => (b ? 'yes' : 'no') } },
  );
  return (withBom ? '\uFEFF' : '') + body;
}
