// One turn's database work, gathered (services/bot-state/turn-batch.ts): ComplaintBot.run opens a
// session on the turn lock's connection, reads the conversation state and the open handoff in one
// statement (sent with the lock itself), lets the conversation state, the takeover check and the
// transcript recorder use what it read and hold what they write, and writes it all in one statement at
// the end of the turn (sent with the COMMIT): two round trips for an ordinary turn. The transcript's
// live notification goes out once the lock's transaction has committed.
//
// Without a session (no turn lock: unit tests, the terminal chat; proactive turns) each of them reads
// and writes on its own, as before.
import type { TurnContext } from 'botbuilder';
import type { HeldTurnLock } from '../services/turn-lock/turn-lock';
import type { PiiKeyring } from '../services/pii/pii-keys';
import type { StateWriteCondition, StoredState } from '../services/bot-state/bot-state-store';
import { parseTurnStart, readTurnStart, writeTurn, type TranscriptLine } from '../services/bot-state/turn-batch';
import type { OpenHandoff } from '../services/takeover/handoffs';
import type { ConversationKey } from '../services/transcripts/transcript-store';
import { ETagConflictError } from './postgres-storage';

const SESSION_KEY = Symbol('turn.session');
const HELD_LOCK_KEY = Symbol('turn.heldLock');

interface PendingState {
  key: string;
  data: Record<string, unknown>;
  /** JSON.stringify(data), made by the caller already. */
  json?: string;
  condition: StateWriteCondition;
  onSaved: (etag: string) => void;
}

export class TurnSession {
  private prefetchedState: { key: string; state: StoredState | null } | null = null;
  private prefetchedHandoff: { value: OpenHandoff | null } | null = null;
  private readonly transcript: TranscriptLine[] = [];
  private pendingState: PendingState | null = null;

  private constructor(
    private readonly held: HeldTurnLock,
    private readonly keyring: PiiKeyring,
    readonly conversation: ConversationKey,
    private readonly onTranscriptCommitted: (conversation: ConversationKey, lastId: string) => Promise<void>,
  ) {}

  /** Opens the turn's session on the held lock and reads the state and the open handoff. */
  static async open(
    context: TurnContext,
    held: HeldTurnLock,
    options: { keyring: PiiKeyring; stateKey: string; onTranscriptCommitted: (conversation: ConversationKey, lastId: string) => Promise<void> },
  ): Promise<TurnSession | null> {
    const channelId = context.activity.channelId;
    const conversationId = context.activity.conversation?.id;
    if (!channelId || !conversationId) return null;
    const session = new TurnSession(held, options.keyring, { channelId, conversationId }, options.onTranscriptCommitted);
    // Read in the lock's own round trip when the holder asked for it (ComplaintBot: turnStartQuery).
    const start = held.readWithLock
      ? parseTurnStart(options.keyring, options.stateKey, held.readWithLock)
      : await readTurnStart(held, options.keyring, options.stateKey, session.conversation);
    session.prefetchedState = { key: options.stateKey, state: start.state };
    session.prefetchedHandoff = { value: start.handoff };
    context.turnState.set(SESSION_KEY, session);
    return session;
  }

  /** The state read at the start of the turn for `key` (once; undefined when not read here). */
  takeState(key: string): StoredState | null | undefined {
    const prefetched = this.prefetchedState;
    if (!prefetched || prefetched.key !== key) return undefined;
    this.prefetchedState = null;
    return prefetched.state;
  }

  /** The open handoff read at the start of the turn (once: a later check in the turn reads again). */
  takeOpenHandoff(): { value: OpenHandoff | null } | undefined {
    const prefetched = this.prefetchedHandoff;
    this.prefetchedHandoff = null;
    return prefetched ?? undefined;
  }

  /** A transcript message, written with the rest at the end of the turn. */
  addTranscript(line: TranscriptLine): void {
    this.transcript.push(line);
  }

  /** The state to save at the end of the turn (the last one given wins). */
  saveState(pending: PendingState): void {
    this.pendingState = pending;
  }

  /**
   * Writes what the turn held back; an ETag conflict fails the turn as a direct write would.
   * `transcriptOnly` (a turn that failed): what was said is kept, the state is not saved.
   * `commit`: the write goes with the lock's COMMIT in one round trip — the turn's last statement.
   */
  async flush(options: { transcriptOnly?: boolean; commit?: boolean } = {}): Promise<void> {
    const state = options.transcriptOnly ? null : this.pendingState;
    if (this.transcript.length === 0 && !state) return;
    const lines = this.transcript.splice(0);
    this.pendingState = null;
    const written = await writeTurn(this.held, this.keyring, {
      conversation: this.conversation,
      transcript: lines,
      ...(state ? { state: { key: state.key, data: state.data, ...(state.json !== undefined ? { json: state.json } : {}), condition: state.condition } } : {}),
    }, options.commit ? { commit: this.held } : {});
    const lastId = written.transcriptIds.at(-1);
    if (lastId) this.held.afterCommit(() => this.onTranscriptCommitted(this.conversation, lastId));
    if (state) {
      if (!written.etag) throw new ETagConflictError(state.key);
      state.onSaved(written.etag);
    }
  }
}

/** Ends the session: whatever is sent after this (the apology of a failed turn) is recorded directly. */
export function detachTurnSession(context: TurnContext): void {
  context.turnState.delete(SESSION_KEY);
}

/** The turn's session, if the turn has one. */
export function turnSessionOf(context: TurnContext): TurnSession | undefined {
  return context.turnState.get(SESSION_KEY) as TurnSession | undefined;
}

/**
 * The conversation's turn lock, already held by whoever runs this turn (the self-hosted chat's runner
 * without Redis): the bot's turn then runs inside it instead of waiting for it.
 */
export function rememberHeldTurnLock(context: TurnContext, held: HeldTurnLock): void {
  context.turnState.set(HELD_LOCK_KEY, held);
}

/** The turn lock held for this turn, if any (rememberHeldTurnLock). */
export function heldTurnLockOf(context: TurnContext): HeldTurnLock | undefined {
  return context.turnState.get(HELD_LOCK_KEY) as HeldTurnLock | undefined;
}
