import { describe, expect, it } from 'vitest';
import { issueStaffToken, verifyStaffToken } from '../../services/staff/staff-token';

const secret = 'a-test-secret-that-is-long-enough-123456';
const now = new Date('2026-11-28T10:00:00Z');

describe('staff tokens', () => {
  const token = issueStaffToken({ staffId: 'staff-1', secret, ttlSeconds: 3600, now });

  it('name the staff member while valid', () => {
    expect(verifyStaffToken(token, secret, new Date(now.getTime() + 3599_000))).toBe('staff-1');
  });

  it('expire', () => {
    expect(verifyStaffToken(token, secret, new Date(now.getTime() + 3600_000))).toBeNull();
  });

  it('cannot be forged or altered', () => {
    const [prefix, payload, signature] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ sub: 'admin', iat: 0, exp: 9e9 })).toString('base64url');
    expect(verifyStaffToken(`${prefix}.${otherPayload}.${signature}`, secret, now)).toBeNull();
    expect(verifyStaffToken(token, `${secret}x`, now)).toBeNull();
    expect(verifyStaffToken(`${prefix}.${payload}`, secret, now)).toBeNull();
    expect(verifyStaffToken('garbage', secret, now)).toBeNull();
  });
});
