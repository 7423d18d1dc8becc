// botbuilder Storage on PostgreSQL with ETag optimistic concurrency: an item written with the ETag
// it was read with fails if another writer got there first; '*' or no ETag overwrites.
import type { Storage, StoreItems } from 'botbuilder';
import type { Database } from '../services/db/client';
import { deleteBotStates, readBotStates, writeBotState } from '../services/bot-state/bot-state-store';

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

export class PostgresStorage implements Storage {
  constructor(private readonly db: Database) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new TypeError('Keys are required when reading.');
    const found = await readBotStates(this.db, keys);
    const items: StoreItems = {};
    for (const [key, state] of found) items[key] = { ...state.data, eTag: state.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new TypeError('Changes are required when writing.');
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...data } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const condition = !eTag || eTag === '*' ? ({ kind: 'any' } as const) : ({ kind: 'etag', etag: eTag } as const);
      const newEtag = await writeBotState(this.db, key, data, condition);
      if (newEtag === null) throw new ETagConflictError(key);
      if (item && typeof item === 'object') (item as { eTag?: string }).eTag = newEtag;
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new TypeError('Keys are required when deleting.');
    await deleteBotStates(this.db, keys);
  }
}
