import { describe, expect, it } from 'vitest';
import { COMPLAINT_STATUSES, checkStatusTransition, type ComplaintStatusName } from '../../services/complaints/status-model';

const ALLOWED: [ComplaintStatusName, ComplaintStatusName][] = [
  ['received', 'acknowledged'],
  ['acknowledged', 'assigned'],
  ['assigned', 'investigating'],
  ['investigating', 'resolved'],
  ['resolved', 'closed'],
  ['resolved', 'reopened'],
  ['closed', 'reopened'],
  ['reopened', 'assigned'],
];

describe('complaint status model', () => {
  it.each(ALLOWED)('allows %s → %s', (from, to) => {
    expect(checkStatusTransition(from, to)).toEqual({ allowed: true });
  });

  const refused = COMPLAINT_STATUSES.flatMap((from) => COMPLAINT_STATUSES.map((to) => [from, to] as const)).filter(
    ([from, to]) => !ALLOWED.some(([f, t]) => f === from && t === to),
  );

  it.each(refused)('refuses %s → %s with a reason', (from, to) => {
    const check = checkStatusTransition(from, to);
    expect(check.allowed).toBe(false);
    if (!check.allowed) expect(check.reason).toMatch(from === to ? /already/ : /cannot go from/);
  });

  it('never skips acknowledgement or feedback', () => {
    expect(checkStatusTransition('received', 'assigned').allowed).toBe(false);
    expect(checkStatusTransition('investigating', 'closed').allowed).toBe(false);
  });
});
