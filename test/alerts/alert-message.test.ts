// What an alert says, and which deadline it is about (pure functions).
import { describe, expect, it } from 'vitest';
import { dueDeadlineFor } from '../../services/alerts/delivery/alert-due';
import { alertChatText, alertEmailHtml, alertEmailText, formatBeijingTime, isoBeijing, type AlertMessage } from '../../services/alerts/delivery/alert-message';

const at = (iso: string) => new Date(iso);
const pending = [
  { kind: 'feedback' as const, dueAt: at('2026-12-05T01:00:00Z') },
  { kind: 'first_response' as const, dueAt: at('2026-11-28T06:30:00Z') },
  { kind: 'forward_to_leadership' as const, dueAt: at('2026-11-28T08:00:00Z') },
];

describe('dueDeadlineFor', () => {
  it.each([
    ['triage.l1', 'first_response'],
    ['triage.urgent', 'first_response'],
    ['ladder.l1:forward_to_leadership', 'forward_to_leadership'],
    ['sla.breach.feedback', 'feedback'],
    ['something.else', 'first_response'], // the earliest pending one
  ])('%s → %s', (kind, expected) => {
    expect(dueDeadlineFor(kind, pending)?.kind).toBe(expected);
  });

  it('falls back to the earliest pending deadline when the named one is met, and to null when none is pending', () => {
    expect(dueDeadlineFor('triage.l2', pending)).toEqual({ kind: 'first_response', at: at('2026-11-28T06:30:00Z') });
    expect(dueDeadlineFor('triage.l1', [])).toBeNull();
  });
});

describe('alert texts', () => {
  const message: AlertMessage = {
    alertId: 'a', complaintNumber: 'TS20261128-000042', tier: 'L1', kind: 'triage.l1',
    due: { kind: 'first_response', at: at('2026-11-28T16:30:00Z') }, ackUrl: 'https://x.test/api/v1/alerts/a/ack?token=a1.1.x&y=<z>',
  };

  it('shows times in Beijing time, across midnight', () => {
    expect(formatBeijingTime(at('2026-11-28T16:30:00Z'))).toBe('2026-11-29 00:30');
    expect(isoBeijing(at('2026-11-28T16:30:00Z'))).toBe('2026-11-29T00:30:00+08:00');
  });

  it('says it in Chinese first, then English', () => {
    const text = alertEmailText(message);
    expect(text).toContain('截止 2026-11-29 00:30（北京时间）');
    expect(text).toContain('by 2026-11-29 00:30 (Beijing time, UTC+8)');
    expect(text.indexOf('一级')).toBeLessThan(text.indexOf('Level-1'));
    expect(alertChatText(message).split('\n').at(-1)).toBe('回复 ack TS20261128-000042 确认 / reply ack TS20261128-000042 to acknowledge');
  });

  it('escapes what goes into HTML, and copes with an untriaged complaint without deadlines', () => {
    expect(alertEmailHtml(message)).toContain('href="https://x.test/api/v1/alerts/a/ack?token=a1.1.x&amp;y=&lt;z&gt;"');
    const bare = alertEmailText({ ...message, tier: null, due: null, kind: 'custom.kind' });
    expect(bare).toContain('未定级');
    expect(bare).toContain('Due: no pending deadline');
    expect(bare).toContain('Complaint alert (custom.kind)');
  });
});
