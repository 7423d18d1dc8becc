// `npm run bench` child, a reference point between the stateless echo bot and this bot: the same
// restify + CloudAdapter set-up with botbuilder-dialogs and ConversationState — each turn continues a
// waterfall (a TextPrompt, then the echo), and the dialog stack is read and saved every turn. Nothing
// else: no lock, no encryption, no transcript, no triage, no ledger.
// BENCH_DIALOG_STORE=memory: MemoryStorage (the "echo bot with in-memory dialog state").
// BENCH_DIALOG_STORE=postgres: the state in PostgreSQL (BENCH_DATABASE_URL), one SELECT to read it and
// one INSERT … ON CONFLICT to write it per turn (pg pool of 10) — the least any stateless bot instance
// pays to keep a conversation's state in the database.
import pg from 'pg';
import { ConversationState, MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { DialogSet, TextPrompt, WaterfallDialog, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { serveCloudAdapterBot } from './child-server';

class PostgresJsonStorage implements Storage {
  constructor(private readonly pool: pg.Pool) {}
  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const { rows } = await this.pool.query<{ key: string; doc: Record<string, unknown> }>({ name: 'bench-dialog-read', text: 'SELECT key, doc FROM bench_dialog_state WHERE key = ANY($1::text[])', values: [keys] });
    for (const row of rows) items[row.key] = row.doc;
    return items;
  }
  async write(changes: StoreItems): Promise<void> {
    for (const [key, doc] of Object.entries(changes)) {
      await this.pool.query({ name: 'bench-dialog-write', text: 'INSERT INTO bench_dialog_state (key, doc) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET doc = EXCLUDED.doc', values: [key, JSON.stringify(doc)] });
    }
  }
  async delete(keys: string[]): Promise<void> {
    await this.pool.query('DELETE FROM bench_dialog_state WHERE key = ANY($1::text[])', [keys]);
  }
}

const store = process.env.BENCH_DIALOG_STORE ?? 'memory';
let pool: pg.Pool | undefined;
let storage: Storage;
if (store === 'postgres') {
  pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 10 });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_dialog_state (key text PRIMARY KEY, doc jsonb NOT NULL)');
  storage = new PostgresJsonStorage(pool);
} else if (store === 'memory') {
  storage = new MemoryStorage();
} else {
  throw new Error('BENCH_DIALOG_STORE must be memory or postgres');
}

const conversationState = new ConversationState(storage);
const dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState'));
dialogs.add(new TextPrompt('text'));
dialogs.add(new WaterfallDialog('echo', [
  async (step) => step.prompt('text', { prompt: '请讲' }),
  async (step) => {
    await step.context.sendActivity(String(step.result));
    return step.replaceDialog('echo');
  },
]));

serveCloudAdapterBot('bench-dialog-echo-bot', async (context) => {
  if (context.activity.type !== 'message') return;
  const dc = await dialogs.createContext(context);
  const result = await dc.continueDialog();
  if (result.status === DialogTurnStatus.empty) {
    // A new conversation: its first message is echoed too, then the waterfall starts.
    await context.sendActivity(context.activity.text ?? '');
    await dc.beginDialog('echo');
  }
  await conversationState.saveChanges(context, false);
}, async () => pool?.end());
