// Debug helper for `npm run bench` (an experiment, never a recorded figure): the bot's bench server
// with the PostgreSQL turn lock replaced by an in-process one, to measure what the lock costs a turn.
import { PostgresTurnLock } from '../../services/turn-lock/turn-lock';

PostgresTurnLock.prototype.runExclusive = function runExclusive<T>(_key: string, work: () => Promise<T>): Promise<T> {
  return work();
};
await import('./complaint-bot-server');
