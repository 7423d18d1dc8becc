// What of an error may go into a log line. Messages of driver and ORM errors can quote the data
// being written, so only our own errors keep their message; everything keeps name, code and stack frames.
import { AppError } from './errors';

export function safeErrorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { errType: typeof err };
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 8).join('\n');
  return {
    errName: err.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { errCode: code } : {}),
    ...(err instanceof AppError || err.name === 'ETagConflictError' ? { errMessage: err.message } : {}),
    stack: frames,
  };
}
