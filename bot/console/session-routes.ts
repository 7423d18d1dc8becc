// Console sign-in and sign-out: POST /api/v1/session (employee number + password → session cookie),
// DELETE /api/v1/session, GET /api/v1/me. Sign-in is the only /api/v1 route that answers anonymous
// calls; every refusal there is the same 401, whatever the reason (see services/staff/sign-in.ts).
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Database } from '../../services/db/client';
import type { Logger } from '../../services/logger';
import { signIn, type SignInSettings } from '../../services/staff/sign-in';
import { endStaffSession } from '../../services/staff/staff-sessions';
import { safeErrorFields } from '../../services/safe-error';
import { newReferenceId } from '../../services/reference-id';
import { staffRoute, type StaffApiContext } from '../staff-api';
import { authenticationOf, clearedSessionCookies, sessionCookies, shouldUseSecureCookies, type CookieSecurity } from './session-auth';

export interface SessionRoutesDeps extends StaffApiContext {
  signIn: SignInSettings;
  cookies: CookieSecurity;
}

const signInSchema = z.object({
  employeeNo: z.string().trim().min(1).max(32),
  password: z.string().min(1).max(256),
});

export const SIGN_IN_REFUSED = {
  error: 'sign_in_failed',
  message: '工号或密码不正确，或账号因多次失败已暂时锁定。Wrong employee number or password, or the account is locked for a while after repeated failures.',
};

export function registerSessionRoutes(server: Server, deps: SessionRoutesDeps): void {
  server.post('/api/v1/session', async (req: Request, res: Response) => {
    res.header('Cache-Control', 'no-store');
    if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) {
      // A cross-site HTML form cannot send JSON: this also keeps other sites from signing a browser in.
      res.send(415, { error: 'unsupported_media_type', message: 'send the sign-in as application/json' });
      return;
    }
    if (!sameOrigin(req, deps.cookies.publicBaseUrl)) {
      res.send(403, { error: 'cross_origin', message: 'sign in from the console itself' });
      return;
    }
    const parsed = signInSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.send(400, { error: 'invalid_input', reasons: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    try {
      const now = deps.clock();
      const result = await signIn({ db: deps.db, employeeNo: parsed.data.employeeNo, password: parsed.data.password, now, settings: deps.signIn });
      if (!result.ok) {
        deps.log.info({ staffId: result.staffId, reason: result.reason, lockedNow: result.lockedNow ?? false }, 'console sign-in refused');
        res.send(401, SIGN_IN_REFUSED);
        return;
      }
      deps.log.info({ staffId: result.staffId }, 'console sign-in');
      res.setHeader('Set-Cookie', sessionCookies(result.session, shouldUseSecureCookies(req, deps.cookies), now));
      res.send(200, { staff: await describeStaff(deps.db, result.staffId), csrfToken: result.session.csrfToken, expiresAt: result.session.expiresAt.toISOString() });
    } catch (err) {
      const ref = newReferenceId();
      deps.log.error({ ref, ...safeErrorFields(err) }, 'console sign-in failed');
      res.send(500, { error: 'internal', reference: ref });
    }
  });

  server.del(
    '/api/v1/session',
    staffRoute(deps, async (req) => {
      const auth = authenticationOf(req);
      if (auth?.via === 'session') await endStaffSession({ db: deps.db, token: auth.token, now: deps.clock() });
      return { status: 204, body: null, headers: { 'Set-Cookie': clearedSessionCookies(shouldUseSecureCookies(req, deps.cookies)) } };
    }, { allowReadOnlyRoles: true }),
  );

  server.get(
    '/api/v1/me',
    staffRoute(deps, async (req, staffId) => {
      const auth = authenticationOf(req);
      return {
        status: 200,
        body: {
          staff: await describeStaff(deps.db, staffId),
          signedInWith: auth?.via ?? 'bearer',
          csrfToken: auth?.via === 'session' ? auth.session.csrfToken : null,
          expiresAt: auth?.via === 'session' ? auth.session.expiresAt.toISOString() : null,
        },
      };
    }),
  );
}

async function describeStaff(db: Database, staffId: string) {
  const row = await db.staff.findUniqueOrThrow({
    where: { id: staffId },
    select: { id: true, employeeNo: true, displayName: true, role: true, department: { select: { id: true, code: true, name: true, nameEn: true } } },
  });
  return row;
}

/** No Origin (curl, older browsers) or an Origin naming this host or the public URL (behind a proxy). */
function sameOrigin(req: Request, publicBaseUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    const given = new URL(String(origin));
    return given.host === String(req.headers.host ?? '') || given.origin === new URL(publicBaseUrl).origin;
  } catch {
    return false;
  }
}
