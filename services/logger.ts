// Structured logs (pino). Personal data never belongs in a log line: callers log ids (complaint
// number, conversation id, job id), and the redaction list below is the safety net for mistakes.
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_LOG_PATHS = [
  'name', '*.name', 'phone', '*.phone', 'email', '*.email', 'text', '*.text',
  'referenceNumber', '*.referenceNumber', 'description', '*.description',
  'password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'complaint-bot' },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
