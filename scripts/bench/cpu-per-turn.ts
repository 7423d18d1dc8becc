// Debug helper for `npm run bench`: the bot's bench server printing the CPU time (user + system) of
// each /api/messages request — meaningful when turns arrive one at a time (scripts/bench/walk-once.ts).
import http from 'node:http';

const originalEmit = http.Server.prototype.emit;
http.Server.prototype.emit = function emit(this: http.Server, event: string, ...args: unknown[]) {
  if (event === 'request') {
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    if (req.url === '/api/messages') {
      const start = process.cpuUsage();
      const t0 = performance.now();
      res.on('finish', () => {
        const used = process.cpuUsage(start);
        process.stderr.write(`TURN cpu ${((used.user + used.system) / 1000).toFixed(2)} ms wall ${(performance.now() - t0).toFixed(1)} ms\n`);
      });
    }
  }
  return (originalEmit as (...a: unknown[]) => boolean).apply(this, [event, ...args]);
} as typeof originalEmit;
await import('./complaint-bot-server');
