// Case handling over the staff API (/api/v1): assign, 回避, investigation, evidence, root cause,
// compensation, corrective actions, feedback, close, the leadership group's meeting and report. Each
// route names the roles it allows (staffRoute: anonymous 401, other roles 403 — the supervision
// department only reads), parses its input with zod and calls one use case in services/case-handling,
// which checks the rest (department, owner, 回避, amount band) and records the events.
import type { Readable } from 'node:stream';
import type { Request, Server } from 'restify';
import type { ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { AppError } from '../services/errors';
import type { ComplaintPolicy } from '../services/policy/policy';
import type { FileStore } from '../services/files/file-store';
import { COMPLAINT_STATUSES } from '../services/complaints/status-model';
import { ASSIGN_ROLES, CASE_READ_ROLES, CASE_WRITE_ROLES, LEADERSHIP_ROLES } from '../services/case-handling/case-access';
import { assignOwner } from '../services/case-handling/assign-owner';
import { recordSubjectStaff } from '../services/case-handling/subject-staff';
import { addCaseNote, INVESTIGATION_METHODS, NEGOTIATION_CHANNELS, NEGOTIATION_OUTCOMES, startInvestigation, updateInvestigation } from '../services/case-handling/investigation';
import { IMPACT_LEVELS, recordAnalysis, ROOT_CAUSES } from '../services/case-handling/analysis';
import { decideCompensation, requestCompensation } from '../services/case-handling/compensation';
import { completeCorrectiveAction, createCorrectiveAction } from '../services/case-handling/corrective-actions';
import { FEEDBACK_METHODS, giveFeedback } from '../services/case-handling/feedback';
import type { SurveySettings } from '../services/survey/schedule-survey';
import { closeComplaint } from '../services/case-handling/close-complaint';
import { recordLeadershipMeeting, recordSeniorReport } from '../services/case-handling/leadership';
import { addEvidence, openEvidence } from '../services/case-handling/evidence';
import { getCaseFile } from '../services/case-handling/case-file';
import type { CustomerChat } from '../services/case-handling/customer-chat';
import type { ChannelRouter } from './channel-router';
import { staffRoute, type StaffApiContext } from './staff-api';

/** A route's answer: JSON, or (downloads) a stream written as it is with the given headers. */
interface StaffReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  stream?: Readable;
}

export interface CaseRoutesDeps extends StaffApiContext {
  policy: ComplaintPolicy;
  /** The shared file store (services/files) for evidence. */
  files: FileStore;
  /** Feedback by chat goes through it into the complaint's own conversation. */
  chat?: CustomerChat;
  /** After a complaint's deadlines were met: let the SLA clock drop their timers. */
  afterDeadlinesChanged?: (complaintId: string) => void;
  /** R-SURVEY: feedback creates the survey (settings) and its timers start after the commit. */
  survey?: { settings: SurveySettings; scheduled: (surveyId: string) => void };
}

/** Feedback by chat through the app's channel router (the adapter of the conversation's channel). */
export function channelCustomerChat(channels: ChannelRouter): CustomerChat {
  return {
    sendText: async (reference, text) => {
      if (!reference || typeof reference !== 'object') throw new Error('no conversation reference');
      await channels.sendText(reference as Partial<ConversationReference>, text);
    },
  };
}

const status = z.enum(COMPLAINT_STATUSES);
const staffId = z.string().uuid();
const text = (max: number) => z.string().max(max);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (yyyy-mm-dd)');

const schemas = {
  owner: z.strictObject({ staffId, reason: text(1000).optional(), expectedFrom: status.optional() }),
  subject: z.strictObject({ staffId }),
  investigation: z.strictObject({
    departmentCode: z.string().max(40).optional(), investigatorId: staffId, methods: z.array(z.enum(INVESTIGATION_METHODS)).min(1).max(10),
    expectedFrom: status.optional(),
  }),
  note: z.strictObject({ text: text(10_000) }),
  negotiation: z.strictObject({ text: text(10_000), channel: z.enum(NEGOTIATION_CHANNELS).optional(), outcome: z.enum(NEGOTIATION_OUTCOMES).optional() }),
  analysis: z.strictObject({
    rootCause: z.enum(ROOT_CAUSES), rootCauseDetail: text(5000).optional(), impactLevel: z.enum(IMPACT_LEVELS), impactAssessment: text(5000),
  }),
  compensation: z.strictObject({ amountYuan: z.number().positive().finite(), reason: text(2000) }),
  decision: z.strictObject({ approve: z.boolean(), note: text(2000).optional() }),
  correctiveAction: z.strictObject({ description: text(2000), ownerStaffId: staffId, departmentCode: z.string().max(40), dueOn: date }),
  done: z.strictObject({ note: text(2000).optional() }),
  feedback: z.strictObject({
    method: z.enum(FEEDBACK_METHODS), findings: text(5000), decision: text(5000), customerOptions: text(5000).optional(),
    content: text(5000).optional(), expectedFrom: status.optional(),
  }),
  close: z.strictObject({ expectedFrom: status.optional() }),
  meeting: z.strictObject({
    heldAt: z.iso.datetime({ offset: true }), plan: text(10_000), responsibleStaffId: staffId,
    milestones: z.array(z.strictObject({ description: text(2000), dueOn: date })).min(1).max(50),
  }),
  report: z.strictObject({ content: text(10_000) }),
};

/** Bodies restify's parser has already turned into fields: not a file upload. */
const FORM_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

const numberOf = (req: Request) => String(req.params.number ?? '');
const bodyOf = (req: Request) => (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? req.body : {});

export function registerCaseRoutes(server: Server, deps: CaseRoutesDeps): void {
  const { db, policy } = deps;
  const now = () => deps.clock();
  const reads = { roles: CASE_READ_ROLES };
  const writes = { roles: CASE_WRITE_ROLES };
  const changed = (complaintId: string | undefined) => complaintId && deps.afterDeadlinesChanged?.(complaintId);
  const idOf = async (number: string) => (await db.complaint.findUnique({ where: { number }, select: { id: true } }))?.id;
  const ok = (body: unknown, code = 200): StaffReply => ({ status: code, body });

  server.get('/api/v1/complaints/:number/case', staffRoute(deps, async (req, _id, staff) => ok(await getCaseFile({ db, number: numberOf(req), staff, policy })), reads));

  server.post('/api/v1/complaints/:number/owner', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.owner.parse(bodyOf(req));
    const result = await assignOwner({ db, number: numberOf(req), assigneeId: body.staffId, reason: body.reason, expectedFrom: body.expectedFrom, staff, now: now() });
    if (result.toSupervisorMet) changed(await idOf(result.number));
    return ok(result);
  }, { roles: ASSIGN_ROLES }));

  server.post('/api/v1/complaints/:number/subject-staff', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.subject.parse(bodyOf(req));
    return ok(await recordSubjectStaff({ db, number: numberOf(req), subjectStaffId: body.staffId, staff, now: now() }), 201);
  }, writes));

  server.post('/api/v1/complaints/:number/investigation', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.investigation.parse(bodyOf(req));
    return ok(await startInvestigation({ db, number: numberOf(req), ...body, staff, now: now() }));
  }, writes));

  server.put('/api/v1/complaints/:number/investigation', staffRoute(deps, async (req, _id, staff) => {
    const { expectedFrom: _ignored, ...body } = schemas.investigation.parse(bodyOf(req));
    return ok(await updateInvestigation({ db, number: numberOf(req), ...body, staff, now: now() }));
  }, writes));

  server.post('/api/v1/complaints/:number/notes', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.note.parse(bodyOf(req));
    return ok(await addCaseNote({ db, number: numberOf(req), kind: 'investigation_note', text: body.text, staff, now: now() }), 201);
  }, writes));

  server.post('/api/v1/complaints/:number/negotiations', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.negotiation.parse(bodyOf(req));
    return ok(await addCaseNote({ db, number: numberOf(req), kind: 'negotiation', text: body.text, negotiation: { channel: body.channel, outcome: body.outcome }, staff, now: now() }), 201);
  }, writes));

  // The file is the raw body: Content-Type application/octet-stream (left unread by the body parser,
  // so the limit applies while reading), X-File-Type its type, X-File-Name its name (percent-encoded
  // UTF-8) — headers, not the query string, because file names can be personal data.
  server.post('/api/v1/complaints/:number/evidence', staffRoute(deps, async (req, _id, staff) => {
    const bodyType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (FORM_TYPES.includes(bodyType)) {
      req.resume();
      return { status: 415, body: { error: 'unsupported_media_type', message: 'send the file itself as the body, with Content-Type: application/octet-stream, X-File-Type and X-File-Name' } };
    }
    const declaredType = String(req.headers['x-file-type'] ?? '').trim() || bodyType;
    const fileName = decodeFileName(String(req.headers['x-file-name'] ?? ''));
    const data = await readUpload(req, deps.files.settings.maxBytes);
    if (data === 'too_large') {
      return { status: 413, body: { error: 'file_too_large', message: `the file is larger than ${deps.files.settings.maxBytes} bytes` }, headers: { Connection: 'close' } };
    }
    try {
      return ok(await addEvidence({ db, files: deps.files, number: numberOf(req), fileName, contentType: declaredType, data, staff, now: now() }), 201);
    } catch (err) {
      const reason = err instanceof AppError ? err.details?.reason : undefined;
      if (reason === 'file_too_large') return { status: 413, body: { error: reason, message: (err as AppError).message } };
      if (reason === 'file_type_not_allowed' || reason === 'file_content_mismatch') return { status: 415, body: { error: reason, message: (err as AppError).message } };
      throw err;
    }
  }, writes));

  server.get('/api/v1/complaints/:number/evidence/:fileId', staffRoute(deps, async (req, _id, staff) => {
    const file = await openEvidence({ db, files: deps.files, number: numberOf(req), fileId: String(req.params.fileId ?? ''), staff, now: now() });
    return {
      status: 200,
      body: null,
      stream: file.stream,
      headers: {
        'Content-Type': servedType(file.contentType),
        'Content-Length': String(file.size),
        // Always a download, never rendered by the browser in the console's origin.
        'Content-Disposition': contentDisposition(file.fileName),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
        Digest: `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`,
      },
    };
  }, reads));

  server.post('/api/v1/complaints/:number/analysis', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.analysis.parse(bodyOf(req));
    const result = await recordAnalysis({ db, number: numberOf(req), ...body, staff, now: now() });
    if (result.investigationDeadlineMet) changed(await idOf(result.number));
    return ok(result);
  }, writes));

  server.post('/api/v1/complaints/:number/compensations', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.compensation.parse(bodyOf(req));
    return ok(await requestCompensation({ db, number: numberOf(req), amountYuan: body.amountYuan, reason: body.reason, staff, policy, now: now() }), 201);
  }, writes));

  server.post('/api/v1/compensations/:id/decision', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.decision.parse(bodyOf(req));
    return ok(await decideCompensation({ db, compensationId: String(req.params.id ?? ''), approve: body.approve, note: body.note, staff, policy, now: now() }));
  }, writes));

  server.post('/api/v1/complaints/:number/corrective-actions', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.correctiveAction.parse(bodyOf(req));
    return ok(await createCorrectiveAction({ db, number: numberOf(req), ...body, staff, timeZone: policy.timeZone, now: now() }), 201);
  }, writes));

  server.post('/api/v1/corrective-actions/:id/done', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.done.parse(bodyOf(req));
    return ok(await completeCorrectiveAction({ db, actionId: String(req.params.id ?? ''), note: body.note, staff, timeZone: policy.timeZone, now: now() }));
  }, writes));

  server.post('/api/v1/complaints/:number/feedback', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.feedback.parse(bodyOf(req));
    const result = await giveFeedback({
      db, number: numberOf(req), method: body.method, findings: body.findings, decision: body.decision, customerOptions: body.customerOptions,
      content: body.content, expectedFrom: body.expectedFrom, staff, policy, now: now(), chat: deps.chat ?? null, survey: deps.survey?.settings,
    });
    if (result.deadlinesMet.length > 0) changed(await idOf(result.number));
    if (result.surveyId) deps.survey?.scheduled(result.surveyId);
    return ok(result);
  }, writes));

  server.post('/api/v1/complaints/:number/close', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.close.parse(bodyOf(req));
    const result = await closeComplaint({ db, number: numberOf(req), expectedFrom: body.expectedFrom, staff, now: now() });
    changed(await idOf(result.number)); // a closed complaint's remaining timers can go
    return ok(result);
  }, writes));

  server.post('/api/v1/complaints/:number/leadership-meeting', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.meeting.parse(bodyOf(req));
    const result = await recordLeadershipMeeting({
      db, number: numberOf(req), heldAt: new Date(body.heldAt), plan: body.plan, responsibleStaffId: body.responsibleStaffId,
      milestones: body.milestones, staff, timeZone: policy.timeZone, now: now(),
    });
    if (result.leadershipMeetingDeadlineMet) changed(await idOf(result.number));
    return ok(result, 201);
  }, { roles: LEADERSHIP_ROLES }));

  server.post('/api/v1/complaints/:number/senior-report', staffRoute(deps, async (req, _id, staff) => {
    const body = schemas.report.parse(bodyOf(req));
    return ok(await recordSeniorReport({ db, number: numberOf(req), content: body.content, staff, now: now() }), 201);
  }, { roles: LEADERSHIP_ROLES }));
}

/**
 * The request body up to `max` bytes; 'too_large' as soon as it is known to be bigger (the rest is
 * drained, not kept). A body the global body parser already read (a type other than octet-stream)
 * is used as it is.
 */
async function readUpload(req: Request, max: number): Promise<Buffer | 'too_large'> {
  if (Buffer.isBuffer(req.body)) return req.body.length > max ? 'too_large' : req.body;
  if (typeof req.body === 'string') return Buffer.byteLength(req.body) > max ? 'too_large' : Buffer.from(req.body);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return 'too_large';
  }
  const stream = req as unknown as Readable;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    stream.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    stream.once('error', reject);
    stream.resume();
  });
}

function decodeFileName(header: string): string {
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

/**
 * The stored type, except types a browser would run (HTML, SVG, XML, scripts) should FILE_ALLOWED_TYPES
 * ever let one in: those go out as plain bytes, so evidence is never served as a page of our origin.
 */
export function servedType(contentType: string): string {
  return /html|xml|svg|javascript|ecmascript/i.test(contentType) ? 'application/octet-stream' : contentType;
}

/** attachment; an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'file';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
