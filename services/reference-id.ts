// A short id a customer can quote to the hotline; the same id is in the log line of the failure.
import { randomBytes } from 'node:crypto';

export function newReferenceId(): string {
  return `E-${randomBytes(4).toString('hex').toUpperCase()}`;
}
