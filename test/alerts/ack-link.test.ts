// Acknowledge links and chat commands (pure functions).
import { describe, expect, it } from 'vitest';
import { parseAckCommand } from '../../services/alerts/delivery/ack-command';
import { alertAckUrl, signAlertAckToken, verifyAlertAckToken } from '../../services/alerts/delivery/ack-link';
import { issueStaffToken } from '../../services/staff/staff-token';

const SECRET = 'test-staff-token-secret-0123456789abcdef';
const ALERT = '6f1c2d3e-4b5a-4c6d-8e7f-901234567890';
const NOW = new Date('2026-11-28T06:00:00Z');
const settings = { publicBaseUrl: 'https://complaints.example.com', secret: SECRET, ttlSeconds: 3600 };

function tokenOf(url: string): string {
  return new URL(url).searchParams.get('token')!;
}

describe('alert acknowledge links', () => {
  it('verifies a link it issued, for that alert, until it expires', () => {
    const url = alertAckUrl({ alertId: ALERT, settings, now: NOW });
    expect(url).toMatch(new RegExp(`^https://complaints\\.example\\.com/api/v1/alerts/${ALERT}/ack\\?token=a1\\.\\d+\\.[\\w-]+$`));
    const token = tokenOf(url);
    expect(verifyAlertAckToken({ alertId: ALERT, token, secret: SECRET, now: NOW })).toEqual({ ok: true });
    expect(verifyAlertAckToken({ alertId: ALERT.toUpperCase(), token, secret: SECRET, now: new Date(NOW.getTime() + 3599_000) })).toEqual({ ok: true });
    expect(verifyAlertAckToken({ alertId: ALERT, token, secret: SECRET, now: new Date(NOW.getTime() + 3600_000) })).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['another alert', () => ({ alertId: '00000000-0000-4000-8000-000000000000', token: tokenOf(alertAckUrl({ alertId: ALERT, settings, now: NOW })) })],
    ['another secret', () => ({ alertId: ALERT, token: signAlertAckToken({ alertId: ALERT, secret: 'some-other-secret-0123456789abcdef', expiresAt: new Date(NOW.getTime() + 3600_000) }) })],
    ['a pushed-back expiry', () => {
      const [prefix, exp, sig] = signAlertAckToken({ alertId: ALERT, secret: SECRET, expiresAt: new Date(NOW.getTime() + 60_000) }).split('.');
      return { alertId: ALERT, token: `${prefix}.${Number(exp) + 86_400}.${sig}` };
    }],
    ['a changed signature', () => ({ alertId: ALERT, token: signAlertAckToken({ alertId: ALERT, secret: SECRET, expiresAt: new Date(NOW.getTime() + 3600_000) }).slice(0, -2) + 'AA' })],
  ])('rejects a forged token: %s', (_what, make) => {
    const { alertId, token } = make();
    expect(verifyAlertAckToken({ alertId, token, secret: SECRET, now: NOW })).toEqual({ ok: false, reason: 'forged' });
  });

  it('rejects malformed tokens and staff API tokens signed with the same secret', () => {
    const staffToken = issueStaffToken({ staffId: ALERT, secret: SECRET, ttlSeconds: 3600, now: NOW });
    for (const token of ['', 'a1', 'a1..', 'a1.abc.def', 'a1.1.2.3', staffToken]) {
      expect(verifyAlertAckToken({ alertId: ALERT, token, secret: SECRET, now: NOW }).ok).toBe(false);
    }
  });
});

describe('parseAckCommand', () => {
  it.each([
    ['ack TS20261128-000042', 'TS20261128-000042'],
    ['  ACK ts20261128000042 ', 'TS20261128-000042'],
    ['确认 TS20261128-000042', 'TS20261128-000042'],
    ['ack：ＴＳ２０２６１１２８－００００４２', 'TS20261128-000042'],
    ['ack', null],
    ['ack TS123', null],
    ['please ack TS20261128-000042', null],
  ])('%s → %s', (text, expected) => {
    expect(parseAckCommand(text)).toBe(expected);
  });
});
