import { describe, expect, it } from 'vitest';
import { acceptanceDay, formatComplaintNumber, normalizeComplaintNumber } from '../../services/complaints/complaint-number';

describe('complaint numbers', () => {
  it.each([
    ['2026-11-28T01:00:00Z', '20261128'],
    ['2026-11-27T16:00:00Z', '20261128'], // midnight in Shanghai
    ['2026-11-27T15:59:59Z', '20261127'],
    ['2026-12-31T16:30:00Z', '20270101'],
  ])('an acceptance at %s is on day %s in Asia/Shanghai', (at, day) => {
    expect(acceptanceDay(new Date(at), 'Asia/Shanghai')).toBe(day);
  });

  it('formats TS + date + six-digit daily sequence', () => {
    expect(formatComplaintNumber('20261128', 42)).toBe('TS20261128-000042');
    expect(formatComplaintNumber('20261128', 999_999)).toBe('TS20261128-999999');
    expect(() => formatComplaintNumber('20261128', 1_000_000)).toThrow(RangeError);
    expect(() => formatComplaintNumber('2026-11-28', 1)).toThrow(RangeError);
  });

  it.each([
    ['TS20261128-000042', 'TS20261128-000042'],
    ['ts20261128-000042', 'TS20261128-000042'],
    [' TS 20261128 - 000042 ', 'TS20261128-000042'],
    ['TS20261128000042', 'TS20261128-000042'],
    ['ＴＳ２０２６１１２８－００００４２', 'TS20261128-000042'],
    ['TS2026112-000042', null],
    ['20261128-000042', null],
    ['TS20261128-00042', null],
    ['hello', null],
  ])('reads %j as %j', (typed, expected) => {
    expect(normalizeComplaintNumber(typed)).toBe(expected);
  });
});
