// What an alert says, in every path: complaint number, tier, what is due and by when (Beijing time),
// and how to acknowledge. Chinese first, English second. Deliberately nothing about the complainant
// (no name, phone or description): alerts travel through mailboxes and group chats.
import { ackCommandText } from './ack-command';
import type { AlertDue, DueKind } from './alert-due';

export interface AlertMessage {
  alertId: string;
  complaintNumber: string;
  tier: 'L1' | 'L2' | 'L3' | null;
  /** The alert kind, e.g. "triage.l1". */
  kind: string;
  due: AlertDue | null;
  ackUrl: string;
}

const TIER_LABELS: Record<'L1' | 'L2' | 'L3', [zh: string, en: string]> = {
  L1: ['一级（重大）', 'level 1 (major)'],
  L2: ['二级（较大）', 'level 2'],
  L3: ['三级（一般）', 'level 3'],
};

const KIND_LABELS: Record<string, [zh: string, en: string]> = {
  'triage.l1': ['一级投诉，请立即处理', 'Level-1 complaint: act at once'],
  'triage.urgent': ['紧急投诉，请尽快首次响应', 'Urgent complaint: first response due'],
  'triage.l2': ['二级投诉，请按时上报处理', 'Level-2 complaint: report and handle in time'],
  'survey.dissatisfied': ['客户对处理结果不满意，投诉已重新处理', 'Customer dissatisfied with the answer: complaint reopened'],
  'survey.review': ['客户申请复核，投诉已重新处理', 'Customer requested a review: complaint reopened'],
};

const DUE_LABELS: Record<DueKind, [zh: string, en: string]> = {
  first_response: ['首次响应', 'first response'],
  to_supervisor: ['上报主管', 'report to the supervisor'],
  forward_to_leadership: ['报送领导小组', 'forward to the leadership group'],
  leadership_meeting: ['领导小组会议', 'leadership group meeting'],
  investigation: ['调查完成', 'investigation'],
  feedback: ['答复客户', 'feedback to the customer'],
  statutory_decision: ['法定处理时限', 'statutory decision'],
};

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000; // China has had no daylight saving time since 1991

/** "2026-11-28 14:30" in Beijing time. */
export function formatBeijingTime(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** ISO 8601 with the +08:00 offset, for machines. */
export function isoBeijing(at: Date): string {
  return `${new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

export function kindLabel(kind: string): [zh: string, en: string] {
  return KIND_LABELS[kind] ?? [`投诉预警（${kind}）`, `Complaint alert (${kind})`];
}

function tierLabel(tier: AlertMessage['tier']): [zh: string, en: string] {
  return tier ? TIER_LABELS[tier] : ['未定级', 'not yet tiered'];
}

function dueLines(due: AlertDue | null): [zh: string, en: string] {
  if (!due) return ['时限：无待办时限', 'Due: no pending deadline'];
  const [zh, en] = DUE_LABELS[due.kind];
  const when = formatBeijingTime(due.at);
  return [`时限：${zh}，截止 ${when}（北京时间）`, `Due: ${en} by ${when} (Beijing time, UTC+8)`];
}

export function alertSubject(m: AlertMessage): string {
  return `[投诉预警 Complaint alert] ${m.complaintNumber} ${m.tier ?? ''} ${kindLabel(m.kind)[0]}`.replace(/\s+/g, ' ').trim();
}

export function alertEmailText(m: AlertMessage): string {
  const [kindZh, kindEn] = kindLabel(m.kind);
  const [tierZh, tierEn] = tierLabel(m.tier);
  const [dueZh, dueEn] = dueLines(m.due);
  return [
    kindZh, `投诉编号：${m.complaintNumber}`, `等级：${tierZh}`, dueZh, `确认收到：${m.ackUrl}`,
    '', '—', '',
    kindEn, `Complaint number: ${m.complaintNumber}`, `Tier: ${tierEn}`, dueEn, `Acknowledge: ${m.ackUrl}`,
    '',
  ].join('\n');
}

export function alertEmailHtml(m: AlertMessage): string {
  const [kindZh, kindEn] = kindLabel(m.kind);
  const [tierZh, tierEn] = tierLabel(m.tier);
  const [dueZh, dueEn] = dueLines(m.due);
  const url = escapeHtml(m.ackUrl);
  const section = (lang: string, title: string, lines: string[], ack: string) =>
    `<section lang="${lang}"><h2>${escapeHtml(title)}</h2><p>${lines.map(escapeHtml).join('<br>')}</p><p><a href="${url}">${escapeHtml(ack)}</a></p></section>`;
  return [
    '<!doctype html><html><body>',
    section('zh-CN', kindZh, [`投诉编号：${m.complaintNumber}`, `等级：${tierZh}`, dueZh], '确认收到'),
    '<hr>',
    section('en', kindEn, [`Complaint number: ${m.complaintNumber}`, `Tier: ${tierEn}`, dueEn], 'Acknowledge'),
    '</body></html>',
  ].join('');
}

export function alertChatText(m: AlertMessage): string {
  const [kindZh, kindEn] = kindLabel(m.kind);
  const [tierZh, tierEn] = tierLabel(m.tier);
  const [dueZh, dueEn] = dueLines(m.due);
  const command = ackCommandText(m.complaintNumber);
  return [
    `【${kindZh}】${m.complaintNumber}，${tierZh}`, dueZh,
    `[${kindEn}] ${m.complaintNumber}, ${tierEn}`, dueEn,
    `回复 ${command} 确认 / reply ${command} to acknowledge`,
  ].join('\n');
}

/** The JSON body of the signed webhook. */
export function alertWebhookPayload(m: AlertMessage): Record<string, unknown> {
  return {
    alertId: m.alertId, complaintNumber: m.complaintNumber, tier: m.tier, kind: m.kind,
    dueAt: m.due ? isoBeijing(m.due.at) : null, dueKind: m.due?.kind ?? null, ackUrl: m.ackUrl,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
