// Authentication for a route that streams (SSE) rather than answering once: it runs the shared
// staffRoute check (bearer token or the console's session, roles) and hands back the signed-in staff
// member, or null after staffRoute has answered 401/403 itself. So streaming routes follow every rule
// staffRoute gains, without a second copy of it.
import type { Request, Response } from 'restify';
import { staffRoute, type SignedInStaff, type StaffApiContext, type StaffRouteOptions } from '../staff-api';

const SIGNED_IN = Symbol('signed-in');

export async function signedInStaffFor(ctx: StaffApiContext, req: Request, res: Response, options: StaffRouteOptions = {}): Promise<SignedInStaff | null> {
  let staff: SignedInStaff | null = null;
  // Everything passes through to the real response except the success answer, which we keep back.
  const probe = new Proxy(res, {
    get(target, prop) {
      if (prop === 'send') {
        return (status: number, body?: unknown) => {
          if (body === SIGNED_IN) return;
          target.send(status, body);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  await staffRoute(
    ctx,
    async (_req, _staffId, signedIn) => {
      staff = signedIn;
      return { status: 200, body: SIGNED_IN };
    },
    options,
  )(req, probe);
  return staff;
}
