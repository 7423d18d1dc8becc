// One way of telling a person about an alert. Transports throw AlertPathError, whose fields are safe
// to store and record: an error class, a code or status, and whether trying again can help — never
// an address, a URL (robot URLs carry keys) or a server's message (it may quote the recipient).
import type { ContactKind } from '../../db/generated/enums';
import type { AlertMessage } from './alert-message';

export type ContactKindName = ContactKind;

export const CONTACT_KINDS: readonly ContactKindName[] = ['chat', 'email', 'webhook'];

/** What a staff_contact row gives a transport. */
export interface DeliveryContact {
  kind: ContactKindName;
  address: string | null;
  secret: string | null;
  reference: unknown;
}

export interface AlertTransport {
  /** Resolves with the number of tries it took; throws AlertPathError. */
  send(contact: DeliveryContact, message: AlertMessage): Promise<{ attempts: number }>;
}

/** The transports available in this process; a missing one means that path is switched off. */
export type AlertTransports = Partial<Record<ContactKindName, AlertTransport>>;

export class AlertPathError extends Error {
  readonly errorClass: string;
  /** A status or error code, e.g. "HTTP 500", "ECONNREFUSED", "550". */
  readonly detail: string | undefined;
  readonly retryable: boolean;
  readonly attempts: number;

  constructor(errorClass: string, options: { detail?: string; retryable: boolean; attempts?: number; cause?: unknown }) {
    super(options.detail ? `${errorClass}: ${options.detail}` : errorClass, { cause: options.cause });
    this.name = 'AlertPathError';
    this.errorClass = errorClass;
    this.detail = options.detail;
    this.retryable = options.retryable;
    this.attempts = options.attempts ?? 1;
  }

  withAttempts(attempts: number): AlertPathError {
    return new AlertPathError(this.errorClass, { detail: this.detail, retryable: this.retryable, attempts, cause: this.cause });
  }
}

/** Any error as an AlertPathError; unknown errors keep only their class name. */
export function toAlertPathError(err: unknown): AlertPathError {
  if (err instanceof AlertPathError) return err;
  const name = err instanceof Error && /^[A-Za-z][\w.]{0,60}$/.test(err.name) ? err.name : 'Error';
  return new AlertPathError(name, { retryable: true, cause: err });
}

/** An HTTP status is worth retrying when the server may answer differently later. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
