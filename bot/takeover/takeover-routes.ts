// The takeover API under /api/v1 and the complaint's transcript. Reading (the list, the live stream,
// transcripts) is open to every staff role; acting (accept, reply, hand back, take over) to agents,
// supervisors and admins — the supervision department reads only.
import type { Request, Server } from 'restify';
import { z } from 'zod';
import { normalizeComplaintNumber } from '../../services/complaints/complaint-number';
import { AppError } from '../../services/errors';
import { isUuid } from '../../services/ids';
import { safeErrorFields } from '../../services/safe-error';
import {
  acceptHandoff, getHandoff, heldBy, listOpenHandoffs, recordAgentReplied, releaseHandoff, startTakeoverForComplaint, type HandoffDetails,
} from '../../services/takeover/handoffs';
import type { TranscriptFeed } from '../../services/takeover/transcript-feed';
import { readMaskedComplaintTranscript, revealComplaintTranscript } from '../../services/transcripts/complaint-transcript';
import { staffRoute, type StaffApiContext, type StaffRoleName } from '../staff-api';
import type { CustomerNotices } from './customer-notices';
import { SSE_HEADERS, type LiveStreams } from './live-stream';

const ACTING_ROLES: readonly StaffRoleName[] = ['agent', 'supervisor', 'admin'];
const RELEASE_OTHERS_ROLES: readonly StaffRoleName[] = ['supervisor', 'admin'];

const replySchema = z.object({ text: z.string().trim().min(1).max(2000) });

export interface TakeoverRoutesDeps extends StaffApiContext {
  feed: TranscriptFeed;
  notices: CustomerNotices;
  streams: LiveStreams;
}

function handoffIdOf(req: Request): string {
  const id = String(req.params.id ?? '');
  if (!isUuid(id)) throw new AppError('NOT_FOUND', { message: 'no such handoff' });
  return id;
}

function numberOf(req: Request): string {
  const number = normalizeComplaintNumber(String(req.params.number ?? ''));
  if (!number) throw new AppError('INVALID_INPUT', { message: 'not a complaint number' });
  return number;
}

function summary(h: HandoffDetails, extra: Record<string, unknown> = {}) {
  return { id: h.id, status: h.status, channelId: h.channelId, complaintId: h.complaintId, locale: h.locale, acceptedBy: h.acceptedBy, ...extra };
}

export function registerTakeoverRoutes(server: Server, deps: TakeoverRoutesDeps): void {
  const { db, log, feed, notices, streams } = deps;

  const note = (h: HandoffDetails, text: string, staffId: string) =>
    feed.append({ channelId: h.channelId, conversationId: h.conversationId, direction: 'internal', actorType: 'staff', actorId: staffId, text, occurredAt: deps.clock() });

  /** Tells the customer; a channel that is down does not undo what staff did (the answer says so). */
  const tell = async (what: string, h: HandoffDetails, send: () => Promise<unknown>): Promise<boolean> => {
    try {
      await send();
      return true;
    } catch (err) {
      log.warn({ ...safeErrorFields(err), handoffId: h.id, channelId: h.channelId, what }, 'could not reach the customer for a takeover notice');
      return false;
    }
  };

  server.get('/api/v1/handoffs', staffRoute(deps, async () => ({ status: 200, body: { handoffs: await listOpenHandoffs(db) } })));

  server.post(
    '/api/v1/handoffs/:id/accept',
    staffRoute(deps, async (req, staffId) => {
      const handoff = await acceptHandoff({ db, id: handoffIdOf(req), staffId, now: deps.clock() });
      await note(handoff, 'handoff.accepted', staffId);
      const customerNotified = await tell('accepted', handoff, () => notices.agentJoined(handoff.reference));
      return { status: 200, body: summary(handoff, { customerNotified }) };
    }, { roles: ACTING_ROLES }),
  );

  server.post(
    '/api/v1/handoffs/:id/messages',
    staffRoute(deps, async (req, staffId) => {
      const id = handoffIdOf(req);
      const { text } = replySchema.parse(req.body ?? {});
      const handoff = await heldBy(db, id, staffId);
      let transcriptId: string | null;
      try {
        transcriptId = await notices.agentReply(handoff.reference, staffId, text);
      } catch (err) {
        log.warn({ ...safeErrorFields(err), handoffId: id, channelId: handoff.channelId }, 'an agent reply could not be delivered');
        throw new AppError('UNAVAILABLE', { message: 'the customer\'s channel did not accept the message; nothing was sent' });
      }
      await recordAgentReplied({ db, handoff, staffId, transcriptMessageId: transcriptId, now: deps.clock() });
      return { status: 201, body: { handoffId: id, transcriptMessageId: transcriptId } };
    }, { roles: ACTING_ROLES }),
  );

  server.post(
    '/api/v1/handoffs/:id/release',
    staffRoute(deps, async (req, staffId, staff) => {
      const released = await releaseHandoff({ db, id: handoffIdOf(req), staffId, mayReleaseOthers: RELEASE_OTHERS_ROLES.includes(staff.role), now: deps.clock() });
      await note(released, released.previous === 'accepted' ? 'handoff.released' : 'handoff.cancelled', staffId);
      const customerNotified = released.previous === 'accepted'
        ? await tell('released', released, () => notices.handedBack(released.reference))
        : await tell('cancelled', released, () => notices.requestClosed(released.reference));
      return { status: 200, body: summary(released, { customerNotified }) };
    }, { roles: ACTING_ROLES }),
  );

  server.post(
    '/api/v1/complaints/:number/takeover',
    staffRoute(deps, async (req, staffId) => {
      const number = numberOf(req);
      const handoff = await startTakeoverForComplaint({ db, number, staffId, now: deps.clock() });
      if (handoff.created || handoff.status === 'accepted') await note(handoff, 'handoff.accepted', staffId);
      const customerNotified = await tell('accepted', handoff, () => notices.agentJoined(handoff.reference));
      return { status: handoff.created ? 201 : 200, body: summary(handoff, { customerNotified }) };
    }, { roles: ACTING_ROLES }),
  );

  // The complaint's transcript: masked as the complaint page is; unmasked on request for those who may
  // see the complaint's personal data (recorded as pii.revealed).
  server.get(
    '/api/v1/complaints/:number/transcript',
    staffRoute(deps, async (req, _staffId, staff) => {
      const number = numberOf(req);
      return { status: 200, body: { number, ...(await readMaskedComplaintTranscript({ db, number, viewer: staff })) } };
    }),
  );
  server.post(
    '/api/v1/complaints/:number/transcript/reveal',
    staffRoute(deps, async (req, _staffId, staff) => {
      const number = numberOf(req);
      return { status: 200, body: { number, ...(await revealComplaintTranscript({ db, number, viewer: staff, now: deps.clock() })) } };
    }, { allowReadOnlyRoles: true }),
  );

  // Reading is open to every staff role (the supervision department watches too).
  server.get(
    '/api/v1/handoffs/:id/events',
    staffRoute(deps, async (req) => {
      const handoff = await getHandoff(db, handoffIdOf(req));
      const lastEventId = req.headers['last-event-id'] ?? (req.query as Record<string, unknown> | undefined)?.lastEventId;
      const stream = await streams.stream({ channelId: handoff.channelId, conversationId: handoff.conversationId }, handoff.id, lastEventId);
      return { status: 200, body: null, headers: SSE_HEADERS, stream };
    }),
  );
}
