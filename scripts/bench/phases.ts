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
  counters: Counters;
  /** Latencies (ms) of turns scheduled (open) / sent (closed) inside the window and completed. */
  latencies: number[];
  turnsPerSecond: number;
  /** Open loop: turns sent later than scheduled because the customer's previous turn was still in flight. */
  sentLate: number;
  /** Largest lag of the load generator's own timer (ms): how late it woke up for a scheduled send. */
  maxTimerLagMs: number;
}

/** Switches from the warm-up counters to the window's at warm-up end. */
function windowCounters(warmupMs: number, durationMs: number) {
  const start = performance.now();
  const windowStart = start + warmupMs;
  const windowEnd = windowStart + durationMs;
  const warm = newCounters();
  const measured = newCounters();
  const current = () => {
    const now = performance.now();
    return now >= windowStart && now < windowEnd ? measured : warm;
  };
  return { start, windowStart, windowEnd, current, measured };
}

export async function closedLoop(customers: Customer[], opts: { warmupS: number; durationS: number }): Promise<PhaseResult> {
  const w = windowCounters(opts.warmupS * 1000, opts.durationS * 1000);
  for (const c of customers) c.counters = w.current;
  const latencies: number[] = [];
  let completed = 0;
  await Promise.all(customers.map(async (customer) => {
    while (performance.now() < w.windowEnd) {
      const sent = performance.now();
      const { endMs } = await customer.nextTurn();
      if (endMs >= w.windowStart && endMs < w.windowEnd) {
        completed += 1;
        latencies.push(endMs - sent);
      }
    }
  }));
  return { durationS: opts.durationS, counters: w.measured, latencies, turnsPerSecond: completed / opts.durationS, sentLate: 0, maxTimerLagMs: 0 };
}

export async function openLoop(
  customers: Customer[],
  opts: { warmupS: number; durationS: number; ratePerSecond: number; arrivals: 'poisson' | 'even' },
): Promise<PhaseResult> {
  const w = windowCounters(opts.warmupS * 1000, opts.durationS * 1000);
  for (const c of customers) c.counters = w.current;
  const meanGapMs = (customers.length / opts.ratePerSecond) * 1000;
  const gap = () => (opts.arrivals === 'poisson' ? -Math.log(1 - Math.random()) * meanGapMs : meanGapMs);
  const latencies: number[] = [];
  let completed = 0;
  let sentLate = 0;
  let maxTimerLagMs = 0;
  await Promise.all(customers.map(async (customer) => {
    // A random phase, so the customers do not all send at the same instant.
    let scheduled = w.start + (opts.arrivals === 'poisson' ? gap() : Math.random() * meanGapMs);
    while (scheduled < w.windowEnd) {
      const before = performance.now();
      if (scheduled > before) {
        await sleep(scheduled - before);
        maxTimerLagMs = Math.max(maxTimerLagMs, performance.now() - scheduled);
      } else if (scheduled >= w.windowStart) {
        sentLate += 1;
      }
      const { endMs } = await customer.nextTurn();
      if (scheduled >= w.windowStart) {
        latencies.push(endMs - scheduled);
        if (endMs < w.windowEnd) completed += 1;
      }
      scheduled += gap();
    }
  }));
  return { durationS: opts.durationS, counters: w.measured, latencies, turnsPerSecond: completed / opts.durationS, sentLate, maxTimerLagMs };
}
