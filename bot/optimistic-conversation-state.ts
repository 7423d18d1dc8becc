// botbuilder's BotState always saves with eTag '*' (last writer wins). This ConversationState saves
// with the ETag it read, so two bot instances that raced on one conversation cannot silently lose
// each other's changes: the later save fails with ETagConflictError instead.
//
// In a turn with a session (bot/turn-session.ts) the state comes from the session's first read and the
// save is held for the session's one write at the end of the turn.
import { ConversationState, type TurnContext } from 'botbuilder';
import { turnSessionOf } from './turn-session';

/**
 * Whether the state changed during the turn: its JSON without the ETag. botbuilder's own hash walks
 * the document with a circular-safe stringify (a few percent of a turn's CPU at load); conversation
 * state is stored as JSON and read back from it, so plain JSON says the same.
 */
function changeHash(state: Record<string, unknown>): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

interface CachedState { state: Record<string, unknown> & { eTag?: string }; hash: string }

/**
 * ETag for state that was read as missing (a new conversation): no storage issues it (PostgresStorage
 * and MemoryStorage count from 1), so the write succeeds only if nobody has created the item since.
 */
const NOT_YET_STORED_ETAG = '0';

export class OptimisticConversationState extends ConversationState {
  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const stateKey = (this as unknown as { stateKey: symbol }).stateKey;
    const session = turnSessionOf(context);
    if (session && !force && !(context.turnState.get(stateKey) as CachedState | undefined)?.state) {
      const key = this.getStorageKey(context);
      const stored = key ? session.takeState(key) : undefined;
      if (stored !== undefined) {
        const state: CachedState['state'] = stored ? { ...stored.data, eTag: stored.etag } : {};
        // The text the state was read from is its JSON already (the ETag is not in it). Should it ever
        // differ from what JSON.stringify makes of it, an unchanged state is written once more: no harm.
        context.turnState.set(stateKey, { state, hash: stored?.json ?? changeHash(state) } satisfies CachedState);
        return state;
      }
    }
    const before = context.turnState.get(stateKey) as CachedState | undefined;
    const state = (await super.load(context, force)) as CachedState['state'];
    // Read from storage just now (not the turn's cached copy, which may hold changes): the SDK cached it
    // with its own hash; keep the one saveChanges compares with.
    const cached = context.turnState.get(stateKey) as CachedState | undefined;
    if (cached && cached !== before && cached.state === state) cached.hash = changeHash(state);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const stateKey = (this as unknown as { stateKey: symbol }).stateKey;
    const cached = context.turnState.get(stateKey) as CachedState | undefined;
    if (!cached) return super.saveChanges(context, force);
    // Once per save: the ETag, the only thing the write changes, is not part of it.
    const hash = changeHash(cached.state);
    if (!force && cached.hash === hash) return;
    const key = this.getStorageKey(context);
    if (!key) throw new Error('OptimisticConversationState: activity has no conversation id');
    const item = { ...cached.state, eTag: cached.state.eTag ?? NOT_YET_STORED_ETAG };
    const session = turnSessionOf(context);
    if (session) {
      const { eTag, ...data } = item;
      const condition = !eTag || eTag === '*' ? ({ kind: 'any' } as const) : ({ kind: 'etag', etag: eTag } as const);
      // Held for the session's write at the end of the turn; until then this turn's later saves replace it.
      cached.hash = hash;
      // The change hash is the data's JSON (the same keys in the same order): sealed as it is.
      session.saveState({ key, data, json: hash, condition, onSaved: (etag) => { cached.state.eTag = etag; } });
      return;
    }
    await this.storage.write({ [key]: item });
    // PostgresStorage sets the new ETag on the written item: keep it so a second save stays conditional.
    cached.state.eTag = item.eTag;
    cached.hash = hash;
    context.turnState.set(stateKey, cached);
  }

  /** Keeps the ETag the state was read with, so clear() + saveChanges() stays conditional too. */
  override async clear(context: TurnContext): Promise<void> {
    const stateKey = (this as unknown as { stateKey: symbol }).stateKey;
    const cached = context.turnState.get(stateKey) as CachedState | undefined;
    await super.clear(context);
    // Not read this turn: nothing to compare with, so the cleared state overwrites as botbuilder's does.
    const eTag = cached ? cached.state.eTag : '*';
    if (eTag) (context.turnState.get(stateKey) as CachedState).state.eTag = eTag;
  }
}
