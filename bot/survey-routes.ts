// HTTP routes of the satisfaction survey.
// Public (no sign-in; the one-time token is the credential): GET /survey/<token> (the page, from
// web/survey), GET /survey-assets/<file>, GET /api/survey/<token> (what the page shows), POST
// /api/survey/<token> {rating 1–5, comment?} (one answer; 409 once answered or expired). Rate-limited
// per client address in Redis and body-limited; strict CSP, no referrer (the token is in the URL).
// Staff: GET /api/v1/complaints/:number/survey (every round, reopen count) and POST (an agent records
// a callback's result; supervision reads only).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Redis } from '../services/redis';
import { AppError } from '../services/errors';
import { safeErrorFields } from '../services/safe-error';
import { newReferenceId } from '../services/reference-id';
import type { SurveyService } from '../services/survey/survey-service';
import { MAX_SURVEY_COMMENT } from '../services/survey/record-survey-answer';
import { takeFromBudget } from './channels/directline/rate-limit';
import { setConsoleSecurityHeaders } from './console/security-headers';
import { staffRoute, type StaffApiContext } from './staff-api';

const SURVEY_ROOT = fileURLToPath(new URL('../web/survey/', import.meta.url));
const ASSETS: Record<string, string> = { 'survey.js': 'text/javascript; charset=utf-8', 'survey.css': 'text/css; charset=utf-8' };
const MAX_BODY = 8 * 1024;
const PER_MINUTE = 30;

const answerSchema = z.object({ rating: z.number().int().min(1).max(5), comment: z.string().max(MAX_SURVEY_COMMENT).optional().nullable() }).strict();
const callbackSchema = z.object({
  rating: z.number().int().min(1).max(5).nullable().optional(),
  satisfied: z.boolean().optional(),
  comment: z.string().max(MAX_SURVEY_COMMENT).optional().nullable(),
}).strict();

export interface SurveyRoutesDeps extends StaffApiContext {
  redis: Redis;
  surveys: SurveyService;
}

export function registerSurveyRoutes(server: Server, deps: SurveyRoutesDeps): void {
  const { log, surveys } = deps;

  const limited = async (req: Request, res: Response): Promise<boolean> => {
    const ip = req.socket.remoteAddress ?? 'unknown';
    const decision = await takeFromBudget(deps.redis, `survey:${ip}`, PER_MINUTE, 60_000);
    if (decision.allowed) return false;
    res.header('Retry-After', String(decision.retryAfterSeconds));
    res.send(429, { error: 'too_many_requests', message: 'too many requests; try again in a minute' });
    return true;
  };
  const publicRoute = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    setConsoleSecurityHeaders(res);
    res.header('Cache-Control', 'no-store');
    try {
      if (await limited(req, res)) return;
      await handler(req, res);
    } catch (err) {
      if (err instanceof AppError) {
        res.send(err.httpStatus, { error: err.code.toLowerCase(), message: err.message });
        return;
      }
      if (err instanceof z.ZodError) {
        res.send(400, { error: 'invalid_input', reasons: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
        return;
      }
      const ref = newReferenceId();
      log.error({ ref, ...safeErrorFields(err) }, 'survey page request failed');
      res.send(500, { error: 'internal', reference: ref });
    }
  };

  server.get('/survey/:token', publicRoute(async (_req, res) => {
    const html = await readFile(`${SURVEY_ROOT}index.html`);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': html.length });
    res.end(html);
  }));

  server.get('/survey-assets/:file', async (req: Request, res: Response) => {
    setConsoleSecurityHeaders(res);
    const file = String(req.params.file ?? '');
    const type = ASSETS[file];
    if (!type) {
      res.send(404, { error: 'not_found' });
      return;
    }
    const body = await readFile(`${SURVEY_ROOT}${file}`);
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'public, max-age=3600' });
    res.end(body);
  });

  server.get('/api/survey/:token', publicRoute(async (req, res) => {
    const state = await surveys.linkState(String(req.params.token ?? ''));
    if (!state) throw new AppError('NOT_FOUND', { message: 'this survey link is not valid' });
    res.send(200, { state: state.state, number: state.number, locale: state.locale });
  }));

  server.post('/api/survey/:token', publicRoute(async (req, res) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
      res.send(413, { error: 'too_large', message: `the answer may be at most ${MAX_BODY} bytes` });
      return;
    }
    if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) {
      res.send(415, { error: 'unsupported_media_type', message: 'send the answer as application/json' });
      return;
    }
    const body = answerSchema.parse(req.body ?? {});
    const recorded = await surveys.answerByLink(String(req.params.token ?? ''), body);
    log.info({ surveyId: recorded.surveyId, complaintNumber: recorded.number, outcome: recorded.outcome }, 'survey answered by link');
    res.send(200, { number: recorded.number, outcome: recorded.outcome });
  }));

  server.get('/api/v1/complaints/:number/survey', staffRoute(deps, async (req) => {
    return { status: 200, body: await surveys.surveysOf(String(req.params.number ?? '')) };
  }, { roles: ['agent', 'supervisor', 'leadership', 'supervision', 'admin'] }));

  server.post('/api/v1/complaints/:number/survey', staffRoute(deps, async (req, _id, staff) => {
    const body = callbackSchema.parse(req.body && typeof req.body === 'object' ? req.body : {});
    const recorded = await surveys.recordCallback(String(req.params.number ?? ''), staff, { rating: body.rating ?? null, satisfied: body.satisfied, comment: body.comment });
    log.info({ surveyId: recorded.surveyId, complaintNumber: recorded.number, outcome: recorded.outcome, staffId: staff.id }, 'survey result recorded by staff');
    return { status: 200, body: { surveyId: recorded.surveyId, number: recorded.number, outcome: recorded.outcome, ownerStaffId: recorded.reopen?.ownerStaffId ?? null } };
  }, { roles: ['agent', 'supervisor', 'leadership', 'admin'] }));
}
