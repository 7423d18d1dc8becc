// `npm run bench`: where the whole machine's CPU time goes while a server is under load — the server's
// process, PostgreSQL (every postgres process: backends, WAL writer, checkpointer), Redis, the load
// generator (this process) and the rest (the kernel's network and scheduling work, other tenants) —
// read from Linux's /proc between two snapshots. On a machine without /proc it reports nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineCpuSnapshot {
  /** CPU ms so far by process id, for the processes we group. */
  readonly postgres: Map<number, number>;
  readonly redis: Map<number, number>;
  readonly server: number;
  readonly generator: number;
  /** Busy ms of all cores so far (everything but idle and iowait). */
  readonly busy: number;
  readonly at: number;
}

/** CPU ms per turn between two snapshots, by where it went. */
export interface MachineCpuPerTurn {
  server: number;
  postgres: number;
  redis: number;
  generator: number;
  /** Machine busy time not in the four above: the kernel's own work and any other process. */
  rest: number;
  busy: number;
  /** Share of the machine's cores left idle over the window (0–1). */
  idle: number;
}

const AVAILABLE = existsSync('/proc/stat');
const TICK_MS = AVAILABLE ? 1000 / clockTicks() : 10;

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** [command name, utime + stime in ms] of a process; null when it is gone. */
function processCpu(pid: number): [string, number] | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses: split after the last one.
  const close = stat.lastIndexOf(')');
  const name = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  // Fields 14 and 15 of the whole line (utime, stime) are 11 and 12 after the name.
  return [name, (Number(fields[11]) + Number(fields[12])) * TICK_MS];
}

function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return (user + nice + system + irq + softirq + steal) * TICK_MS;
}

/** The machine's CPU counters now; null where /proc is not there (not Linux). */
export function machineCpuSnapshot(serverPid: number | undefined): MachineCpuSnapshot | null {
  if (!AVAILABLE) return null;
  const postgres = new Map<number, number>();
  const redis = new Map<number, number>();
  let server = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const cpu = processCpu(pid);
    if (!cpu) continue;
    const [name, ms] = cpu;
    if (pid === serverPid) server = ms;
    else if (name === 'postgres' || name.startsWith('postgres:')) postgres.set(pid, ms);
    else if (name.startsWith('redis-server')) redis.set(pid, ms);
  }
  const own = process.cpuUsage();
  return { postgres, redis, server, generator: (own.user + own.system) / 1000, busy: machineBusyMs(), at: performance.now() };
}

/** What the processes that lived through the window (or started in it) used. */
function grew(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}

export function machineCpuPerTurn(before: MachineCpuSnapshot | null, after: MachineCpuSnapshot | null, turns: number): MachineCpuPerTurn | null {
  if (!before || !after || turns <= 0) return null;
  const server = after.server - before.server;
  const postgres = grew(before.postgres, after.postgres);
  const redis = grew(before.redis, after.redis);
  const generator = after.generator - before.generator;
  const busy = after.busy - before.busy;
  const capacityMs = (after.at - before.at) * os.cpus().length;
  return {
    server: server / turns,
    postgres: postgres / turns,
    redis: redis / turns,
    generator: generator / turns,
    rest: Math.max(0, busy - server - postgres - redis - generator) / turns,
    busy: busy / turns,
    idle: capacityMs > 0 ? Math.max(0, 1 - busy / capacityMs) : NaN,
  };
}
