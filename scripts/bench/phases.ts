// `npm run bench` load phases over a set of customers (scripts/bench/customers.ts).
// capacity — closed loop: every customer sends its next turn as soon as the reply arrived; turns/s =
//   turns completed inside the measured window / its length (after a warm-up).
// latency — open loop: each customer's sends are scheduled by the clock (Poisson arrivals, mean
//   customers/rate s apart, or evenly spaced); latency = reply time − SCHEDULED send time, so a slow
//   server cannot slow the clock (no coordinated omission): a turn whose customer still waits for the
//   previous reply is sent late and its wait counts.
import { performance } from 'node:perf_hooks';
import { newCounters, type Counters, type Customer } from './customers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export interface PhaseResult {
  durationS: number;
  /** Turns in the whole phase (warm-up, window and drain): for CPU time per turn. */
  phaseTurns: number;
  /** How long the warm-up before the window lasted. */
  warmupS: number;
  counters: Counters;
  /** Latencies (ms) of turns scheduled (open) / sent (closed) inside the window and completed. */
  latencies: number[];
  turnsPerSecond: number;
  /** Open loop: turns sent later than scheduled because the customer's previous turn was still in flight. */
  sentLate: number;
  /** Largest lag of the load generator's own timer (ms): how late it woke up for a scheduled send. */
  maxTimerLagMs: number;
}

/**
 * The measured window: it opens after the warm-up — at least `warmupMs`, and for the closed loop also
 * until the customers finished `warmupConversations` conversations between them (so the window sees
 * the steady mix of turns, filings included, not 200 customers all at their first question), at most
 * `maxWarmupMs` — and lasts `durationMs`. Turns completing outside it count in the warm-up counters.
 */
class Window {
  readonly begun = performance.now();
  start = Infinity;
  end = Infinity;
  readonly warm = newCounters();
  readonly measured = newCounters();
  constructor(private readonly opts: { warmupMs: number; durationMs: number; warmupConversations?: number; maxWarmupMs?: number }) {
    if (!opts.warmupConversations) this.open(this.begun + opts.warmupMs);
  }
  private open(at: number) {
    this.start = at;
    this.end = at + this.opts.durationMs;
  }
  /** Called after each turn: opens the window once the warm-up is over. */
  check(now: number) {
    if (this.start !== Infinity) return;
    const elapsed = now - this.begun;
    const conversations = this.warm.conversationsOk + this.warm.conversationsFailed;
    if (elapsed >= this.opts.warmupMs && (conversations >= (this.opts.warmupConversations ?? 0) || elapsed >= (this.opts.maxWarmupMs ?? Infinity))) this.open(now);
  }
  readonly current = () => {
    const now = performance.now();
    return now >= this.start && now < this.end ? this.measured : this.warm;
  };
  get warmupS() {
    return (this.start - this.begun) / 1000;
  }
}

export async function closedLoop(customers: Customer[], opts: { warmupS: number; durationS: number; warmupConversations?: number; maxWarmupS?: number }): Promise<PhaseResult> {
  const w = new Window({ warmupMs: opts.warmupS * 1000, durationMs: opts.durationS * 1000, warmupConversations: opts.warmupConversations, maxWarmupMs: (opts.maxWarmupS ?? 120) * 1000 });
  for (const c of customers) c.counters = w.current;
  const latencies: number[] = [];
  let completed = 0;
  await Promise.all(customers.map(async (customer) => {
    while (performance.now() < w.end) {
      const sent = performance.now();
      const { endMs } = await customer.nextTurn();
      w.check(endMs);
      if (endMs >= w.start && endMs < w.end) {
        completed += 1;
        latencies.push(endMs - sent);
      }
    }
  }));
  return { durationS: opts.durationS, warmupS: w.warmupS, phaseTurns: w.warm.turns + w.measured.turns, counters: w.measured, latencies, turnsPerSecond: completed / opts.durationS, sentLate: 0, maxTimerLagMs: 0 };
}

export async function openLoop(
  customers: Customer[],
  opts: { warmupS: number; durationS: number; ratePerSecond: number; arrivals: 'poisson' | 'even' },
): Promise<PhaseResult> {
  const w = new Window({ warmupMs: opts.warmupS * 1000, durationMs: opts.durationS * 1000 });
  for (const c of customers) c.counters = w.current;
  const meanGapMs = (customers.length / opts.ratePerSecond) * 1000;
  const gap = () => (opts.arrivals === 'poisson' ? -Math.log(1 - Math.random()) * meanGapMs : meanGapMs);
  const latencies: number[] = [];
  let completed = 0;
  let sentLate = 0;
  let maxTimerLagMs = 0;
  await Promise.all(customers.map(async (customer) => {
    // A random phase, so the customers do not all send at the same instant.
    let scheduled = w.begun + (opts.arrivals === 'poisson' ? gap() : Math.random() * meanGapMs);
    while (scheduled < w.end) {
      const before = performance.now();
      if (scheduled > before) {
        await sleep(scheduled - before);
        maxTimerLagMs = Math.max(maxTimerLagMs, performance.now() - scheduled);
      } else if (scheduled >= w.start) {
        sentLate += 1;
      }
      const { endMs } = await customer.nextTurn();
      if (scheduled >= w.start) latencies.push(endMs - scheduled);
      // Throughput: every turn completed inside the window, whenever it was scheduled.
      if (endMs >= w.start && endMs < w.end) completed += 1;
      scheduled += gap();
    }
  }));
  return { durationS: opts.durationS, warmupS: w.warmupS, phaseTurns: w.warm.turns + w.measured.turns, counters: w.measured, latencies, turnsPerSecond: completed / opts.durationS, sentLate, maxTimerLagMs };
}
