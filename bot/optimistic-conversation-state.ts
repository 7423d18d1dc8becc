// botbuilder's BotState always saves with eTag '*' (last writer wins). This ConversationState saves
// with the ETag it read, so two bot instances that raced on one conversation cannot silently lose
// each other's changes: the later save fails with ETagConflictError instead.
import { ConversationState, calculateChangeHash, type TurnContext } from 'botbuilder';

interface CachedState { state: Record<string, unknown> & { eTag?: string }; hash: string }

export class OptimisticConversationState extends ConversationState {
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const stateKey = (this as unknown as { stateKey: symbol }).stateKey;
    const cached = context.turnState.get(stateKey) as CachedState | undefined;
    if (!cached) return super.saveChanges(context, force);
    if (!force && cached.hash === calculateChangeHash(cached.state)) return;
    const key = this.getStorageKey(context);
    if (!key) throw new Error('OptimisticConversationState: activity has no conversation id');
    const item = { ...cached.state, eTag: cached.state.eTag ?? '*' };
    await this.storage.write({ [key]: item });
    // PostgresStorage sets the new ETag on the written item: keep it so a second save stays conditional.
    cached.state.eTag = item.eTag;
    cached.hash = calculateChangeHash(cached.state);
    context.turnState.set(stateKey, cached);
  }
}
