// Debug helper for `npm run bench`: the bot's bench server that profiles only between two SIGUSR2
// signals (steady state, no start-up), writing var/bench-prof/steady-<pid>-<n>.cpuprofile on the second.
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
await session.post('Profiler.enable');
let running = false;
let n = 0;
process.on('SIGUSR2', () => {
  void (async () => {
    if (!running) {
      running = true;
      await session.post('Profiler.start');
      process.stderr.write('PROFILE started\n');
      return;
    }
    running = false;
    const { profile } = await session.post('Profiler.stop');
    mkdirSync('var/bench-prof', { recursive: true });
    const file = `var/bench-prof/steady-${process.pid}-${++n}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    process.stderr.write(`PROFILE written ${file}\n`);
  })();
});
await import('./complaint-bot-server');
