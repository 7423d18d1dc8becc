// Records every message of a conversation in the transcript, for any channel: the customer's messages
// as the turn starts (ComplaintBot.run), and whatever the bot sends — in a turn or proactively through
// the channel router — once the channel has accepted it. Agents' replies carry the agent as actor
// (set on the turn state by the sender). A failed write is logged (ids only, never the text) and does
// not break the customer's conversation. In a turn with a session (bot/turn-session.ts) the messages
// are written together when the turn ends, in the turn's transaction.
import { type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from '../../services/logger';
import { safeErrorFields } from '../../services/safe-error';
import type { TranscriptFeed } from '../../services/takeover/transcript-feed';
import type { TranscriptActorType } from '../../services/transcripts/transcript-store';
import { ChannelRouter } from '../channel-router';
import { activityText } from '../local-connector';
import { turnSessionOf } from '../turn-session';

const ACTOR_KEY = Symbol('transcript.actor');
const RECORDED_KEY = Symbol('transcript.recordedIds');
const HOOKED_KEY = Symbol('transcript.hooked');

export interface TranscriptActor {
  type: TranscriptActorType;
  id: string | null;
}

/** Who the messages sent in this turn come from (default: the bot). */
export function setOutgoingActor(context: TurnContext, actor: TranscriptActor): void {
  context.turnState.set(ACTOR_KEY, actor);
}

/** The transcript ids of the messages sent so far in this turn. */
export function recordedIds(context: TurnContext): string[] {
  return (context.turnState.get(RECORDED_KEY) as string[] | undefined) ?? [];
}

function renderedText(activity: Partial<Activity>): string {
  return activityText(activity).text;
}

export class TranscriptRecorder {
  constructor(
    private readonly feed: TranscriptFeed,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** At the start of a turn: the customer's message, and a hook for everything sent in the turn. */
  async recordTurn(context: TurnContext): Promise<void> {
    this.hookOutgoing(context);
    const activity = context.activity;
    if (activity.type !== 'message') return;
    const text = renderedText(activity);
    if (!text) return;
    await this.append(context, {
      direction: 'inbound', actorType: 'customer', actorId: activity.from?.id ?? null, activityId: activity.id ?? null, text,
    });
  }

  /** Records the messages sent through `context` once the channel accepted them (idempotent per context). */
  hookOutgoing(context: TurnContext): void {
    if (context.turnState.get(HOOKED_KEY)) return;
    context.turnState.set(HOOKED_KEY, true);
    context.onSendActivities(async (ctx, activities, next) => {
      const responses = await next();
      const actor = (ctx.turnState.get(ACTOR_KEY) as TranscriptActor | undefined) ?? { type: 'bot', id: 'bot' };
      for (const [i, activity] of activities.entries()) {
        if (activity.type !== 'message') continue;
        const text = renderedText(activity);
        if (!text) continue;
        await this.append(ctx, {
          direction: 'outbound', actorType: actor.type, actorId: actor.id, activityId: responses?.[i]?.id ?? activity.id ?? null, text,
        });
      }
      return responses;
    });
  }

  /** A note for staff only (handoff steps): in the transcript and the live stream, never sent. */
  async note(context: TurnContext, text: string, actor: TranscriptActor = { type: 'system', id: 'takeover' }): Promise<void> {
    await this.append(context, { direction: 'internal', actorType: actor.type, actorId: actor.id, activityId: null, text });
  }

  private async append(
    context: TurnContext,
    message: { direction: 'inbound' | 'outbound' | 'internal'; actorType: TranscriptActorType; actorId: string | null; activityId: string | null; text: string },
  ): Promise<void> {
    const channelId = context.activity.channelId;
    const conversationId = context.activity.conversation?.id;
    if (!channelId || !conversationId) return;
    const session = turnSessionOf(context);
    if (session) {
      // Written with the turn's other writes when it ends (bot/turn-session.ts).
      session.addTranscript({ ...message, occurredAt: this.clock() });
      return;
    }
    try {
      const id = await this.feed.append({ channelId, conversationId, ...message, occurredAt: this.clock() });
      const ids = recordedIds(context);
      context.turnState.set(RECORDED_KEY, [...ids, id]);
    } catch (err) {
      this.log.error({ ...safeErrorFields(err), channelId, conversationId, direction: message.direction }, 'recording a transcript message failed');
    }
  }
}

/** The channel router whose proactive messages (agents' replies, notices, alerts) are recorded too. */
export class TranscribingChannelRouter extends ChannelRouter {
  constructor(cloudAdapter: CloudAdapter, appId: string, private readonly recorder: TranscriptRecorder) {
    super(cloudAdapter, appId);
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await super.continueConversation(reference, async (context) => {
      this.recorder.hookOutgoing(context);
      await logic(context);
    });
  }
}
