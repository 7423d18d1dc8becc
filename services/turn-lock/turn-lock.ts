// Turns of one conversation run one at a time across every bot instance: a PostgreSQL advisory lock,
// taken in a transaction on a small pool of its own and held for the whole turn (read state, run the
// dialog, save state). A customer's second message delivered to another instance while the first is
// still running waits for it, then reads the state the first one saved — instead of both reading the
// same state and the later save failing its ETag check (an apology to the customer).
//
// Why PostgreSQL and not a Redis lock (docs/decisions.md): the state itself lives in PostgreSQL, so
// the lock adds no dependency (Redis down changes nothing); an instance that dies mid-turn loses its
// connection and PostgreSQL releases the lock at once — no lease to guess; a waiter blocks in the
// server (no polling) and waiters are served in arrival order. The lease for an instance that hangs
// without dying is `idle_in_transaction_session_timeout`: PostgreSQL ends its session and the lock
// goes. The fence is the conditional state write (ETag, bot/optimistic-conversation-state.ts): a turn
// that outlived its lock cannot overwrite what the next turn saved.
//
// Its own pool, never Prisma's: a turn holding a lock connection still needs Prisma connections for
// its queries, so sharing one pool could deadlock once every connection was held by a lock.
//
// The lock's connection also carries the turn's own reads and writes (`HeldTurnLock.query`: the
// conversation state, the open handoff, the transcript — bot/turn-session.ts), inside the lock's
// transaction: an ordinary turn costs four statements on one connection instead of eight on three,
// and what the turn wrote becomes visible exactly when the next turn may start. Because those writes
// commit with the lock, a failed COMMIT after them fails the turn (the customer is asked to send
// again) instead of being only a warning.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { inlineValues, literalOf, preparedStatementName } from '../db/sql-literals';
import type { SqlStatement } from '../db/sql';

/** The held lock, as the work sees it. */
export interface HeldTurnLock {
  /** The lock's key (runExclusive's first argument). */
  readonly key: string;
  /** A statement on the lock's connection, in the lock's transaction: committed when the lock is released. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /**
   * The work's last statement, sent with the COMMIT in one round trip (values inlined as literals):
   * the lock is free once it returns, so nothing may follow it on this lock. Inside an outer holder's
   * work (re-entrant) it is an ordinary statement and the outer holder commits.
   */
  queryAndCommit<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>>;
  /** The rows of `readWithLock` (runExclusive's option), read in the lock's own round trip; undefined without it. */
  readonly readWithLock: pg.QueryResultRow[] | undefined;
  /** Runs `fn` once the lock's transaction has committed (after the outermost holder's work); errors in it are ignored. */
  afterCommit(fn: () => Promise<void> | void): void;
}

export interface TurnLock {
  /**
   * Runs `work` holding the lock of `key`. `work` gets null where there is no lock (NO_TURN_LOCK).
   * `readWithLock`: a statement sent in the lock's own round trip (its values inlined as literals);
   * its rows are `held.readWithLock`. `within`: a lock the caller already holds; when it is the lock of
   * `key`, the work runs inside it (re-entrant: on the outer holder's connection and transaction).
   */
  runExclusive<T>(key: string, work: (held: HeldTurnLock | null) => Promise<T>, options?: { readWithLock?: SqlStatement; within?: HeldTurnLock | null }): Promise<T>;
  /** Runs `work` holding the lock of `key` if it is free now; false (without running it) if it is taken. */
  tryRunExclusive(key: string, work: (held: HeldTurnLock | null) => Promise<void>): Promise<boolean>;
  close(): Promise<void>;
}

export interface TurnLockOptions {
  databaseUrl: string;
  /** Connections for locks: as many turns as this can hold a lock at once (the rest wait for one). */
  poolSize: number;
  /** How long a turn waits for the lock before it fails (the customer is asked to send again). */
  waitMs?: number;
  /** How long a turn may hold the lock: after this PostgreSQL ends the session and frees it. */
  leaseMs?: number;
  onWarning?: (message: string, fields: Record<string, unknown>) => void;
}

const NOT_TAKEN = Symbol('lock taken by another turn');

/** First key of the two-int advisory lock: keeps these locks apart from any other advisory lock user. */
export const LOCK_NAMESPACE = 0x7475726e; // 'turn'

/** A stable 32-bit number for a conversation key (collisions only make two conversations take turns). */
export function lockNumberOf(key: string): number {
  return createHash('sha256').update(key).digest().readInt32BE(0);
}

export class PostgresTurnLock implements TurnLock {
  private readonly pool: pg.Pool;
  private readonly waitMs: number;
  private readonly leaseMs: number;
  private readonly warn: NonNullable<TurnLockOptions['onWarning']>;
  private readonly slots: Slots;

  constructor(options: TurnLockOptions) {
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize, connectionTimeoutMillis: 5_000 });
    this.slots = new Slots(options.poolSize);
    this.waitMs = options.waitMs ?? 15_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.warn = options.onWarning ?? (() => {});
    // An idle connection that breaks (PostgreSQL restarted) must not crash the process: the pool drops it.
    this.pool.on('error', (err) => this.warn('turn-lock connection lost', { errCode: (err as { code?: string }).code }));
  }

  async runExclusive<T>(key: string, work: (held: HeldTurnLock | null) => Promise<T>, options: { readWithLock?: SqlStatement; within?: HeldTurnLock | null } = {}): Promise<T> {
    return (await this.hold(key, work, true, options.readWithLock, options.within ?? undefined)) as T;
  }

  async tryRunExclusive(key: string, work: (held: HeldTurnLock | null) => Promise<void>): Promise<boolean> {
    return (await this.hold(key, async (held) => ({ ran: await work(held) }), false)) !== NOT_TAKEN;
  }

  private async hold<T>(key: string, work: (held: HeldTurnLock) => Promise<T>, wait: boolean, readWithLock?: SqlStatement, within?: HeldTurnLock): Promise<T | typeof NOT_TAKEN> {
    // Passed down explicitly, not found in an AsyncLocalStorage: in Node 20 that turns on promise hooks
    // for the whole process, a cost on every promise of every turn (about 3 % of the bot's CPU).
    const outerHeld = within?.key === key ? within : undefined;
    if (outerHeld) {
      // Re-entrant: the outer holder's transaction, which only the outer holder commits.
      return work({ ...outerHeld, queryAndCommit: (text, values) => outerHeld.query(text, values), readWithLock: undefined });
    }
    // Waiting for one of the pool's connections counts against the lock's own wait (under a burst of
    // turns that is where they queue); connecting to PostgreSQL keeps its short bound (a hung server).
    const releaseSlot = await this.slots.acquire(this.waitMs);
    try {
      return await this.holdConnected(key, work, wait, readWithLock);
    } finally {
      releaseSlot();
    }
  }

  private async holdConnected<T>(
    key: string, work: (held: HeldTurnLock) => Promise<T>, wait: boolean, readWithLock?: SqlStatement,
  ): Promise<T | typeof NOT_TAKEN> {
    const client = await this.pool.connect();
    // A checked-out connection can break too (the lease ran out, PostgreSQL went away): say so, don't crash.
    let broken: Error | undefined;
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    let lockRead: pg.QueryResultRow[] | undefined;
    const read = wait && readWithLock ? preparedCall(client, readWithLock.text, readWithLock.values) : undefined;
    try {
      // One round trip: the numbers are ours, not input, so inlining them is safe; the work's first
      // read (readWithLock) rides along, its values inlined as escaped literals.
      const results = (await client.query(
        `BEGIN; SET LOCAL lock_timeout = ${Math.round(this.waitMs)}; ` +
          `SET LOCAL idle_in_transaction_session_timeout = ${Math.round(this.leaseMs)}; ` +
          `SELECT ${wait ? 'pg_advisory_xact_lock' : 'pg_try_advisory_xact_lock'}(${LOCK_NAMESPACE}, ${lockNumberOf(key)}) AS taken` +
          (read ? `; ${read.sql}` : ''),
      )) as unknown as pg.QueryResult[];
      if (read) markPrepared(client, read);
      if (!wait && results[3]?.rows[0]?.taken !== true) {
        await client.query('ROLLBACK');
        client.off('error', onError);
        client.release();
        return NOT_TAKEN;
      }
      if (read) lockRead = results.at(-1)?.rows;
    } catch (err) {
      client.release(err as Error); // destroyed, not reused; its error listener stays for any late event
      throw err;
    }
    let wrote = false;
    let committed = false;
    let failed: Error | undefined;
    const committedFns: (() => Promise<void> | void)[] = [];
    const held: HeldTurnLock = {
      key,
      query: (text, values) => {
        wrote = true;
        return client.query(text, values);
      },
      queryAndCommit: async <R extends pg.QueryResultRow>(text: string, values: unknown[]) => {
        wrote = true;
        const call = preparedCall(client, text, values);
        let results: pg.QueryResult<R>[];
        try {
          results = (await client.query(`${call.sql}; COMMIT`)) as unknown as pg.QueryResult<R>[];
        } catch (err) {
          // Which of the batch's statements ran is unknown (a PREPARE among them?): the connection is not reused.
          failed = err as Error;
          throw err;
        }
        markPrepared(client, call);
        committed = true;
        return results.at(-2)!;
      },
      readWithLock: lockRead,
      afterCommit: (fn) => void committedFns.push(fn),
    };
    let result: T;
    try {
      result = await work(held);
    } catch (err) {
      await this.release(client, onError, () => broken, committed, failed);
      throw err;
    }
    const commitError = await this.release(client, onError, () => broken, committed, failed);
    // The turn's own writes were in this transaction: if it did not commit, neither did they.
    if (commitError && wrote) throw commitError;
    for (const fn of committedFns) {
      try {
        await fn();
      } catch {
        // told after the fact (a notification): the data is committed
      }
    }
    return result;
  }

  /** COMMIT (unless the work's last statement did) and give the connection back; the error when the COMMIT failed. */
  private async release(client: pg.PoolClient, onError: (err: Error) => void, broken: () => Error | undefined, committed: boolean, failed?: Error): Promise<Error | undefined> {
    if (failed) {
      // The last statement's batch failed: the connection is closed, not reused (PostgreSQL rolls back
      // and frees the lock); the turn already has the error.
      client.release(failed);
      return failed;
    }
    try {
      if (!committed) await client.query('COMMIT');
      client.off('error', onError);
      client.release();
      return undefined;
    } catch (err) {
      // The session ended under the turn (lease, PostgreSQL restart): the lock is gone with it; the
      // ETag on the state write kept the turn from overwriting anyone.
      this.warn('turn lock lost before the turn ended', { errCode: (broken() as { code?: string } | undefined)?.code ?? (err as { code?: string }).code });
      client.release(err as Error);
      return err as Error;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

// The turn's statements (its first read, its last write) are prepared once per connection and then
// EXECUTEd: PostgreSQL parses, analyses and plans them once instead of on every turn (about a third of
// its CPU for an ordinary turn: docs/benchmarks.md). The simple-query protocol has no parameters, so
// EXECUTE takes the values as literals, as inlineValues writes them, under preparedStatementName's
// name. A batch that failed leaves its connection to be discarded, so a connection never holds a
// statement in a state it does not know. A migration that changes the type of a column such a
// statement returns fails its next EXECUTE on each open connection ("cached plan must not change
// result type"): that turn is asked to send again and the connection is replaced (README: migrations
// are applied before instances of the new code start).
const preparedOn = new WeakMap<pg.ClientBase, Set<string>>();

interface PreparedCall {
  sql: string;
  /** The statement this batch PREPAREs (the connection had not seen it). */
  prepares?: string;
}

function preparedCall(client: pg.ClientBase, text: string, values: unknown[]): PreparedCall {
  const name = preparedStatementName(text);
  if (!name) return { sql: inlineValues(text, values) };
  const call = `EXECUTE ${name}${values.length > 0 ? `(${values.map(literalOf).join(', ')})` : ''}`;
  if (preparedOn.get(client)?.has(name)) return { sql: call };
  return { sql: `PREPARE ${name} AS ${text}; ${call}`, prepares: name };
}

function markPrepared(client: pg.ClientBase, call: PreparedCall): void {
  if (!call.prepares) return;
  let names = preparedOn.get(client);
  if (!names) preparedOn.set(client, (names = new Set()));
  names.add(call.prepares);
}

export class TurnLockBusyError extends Error {
  constructor(waitedMs: number) {
    super(`no turn-lock connection became free within ${waitedMs} ms`);
    this.name = 'TurnLockBusyError';
  }
}

/** As many holders as the pool has connections; the rest wait in arrival order, each for at most its bound. */
class Slots {
  private free: number;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(size: number) {
    this.free = size;
  }

  acquire(timeoutMs: number): Promise<() => void> {
    const release = once(() => {
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.free++;
    });
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(release);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new TurnLockBusyError(timeoutMs));
      }, timeoutMs);
      this.waiting.push(waiter);
    });
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** No lock (unit tests, the terminal chat): turns run as they come. */
export const NO_TURN_LOCK: TurnLock = {
  runExclusive: (_key, work) => work(null),
  tryRunExclusive: async (_key, work) => {
    await work(null);
    return true;
  },
  close: async () => {},
};
