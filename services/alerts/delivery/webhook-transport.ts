// Signed webhook for group-chat robots (or a relay in front of one): POST JSON with
// X-Signature-Timestamp (Unix seconds) and X-Signature = hex HMAC-SHA256 of `${timestamp}.${body}`
// under the contact's own secret. Retried with exponential backoff on timeouts, network errors, 5xx,
// 408 and 429; any other 4xx is a wrong URL or a rejected signature, which retrying cannot fix.
// X-Alert-Id names the alert: delivery is at least once (a sender that dies mid-send is taken over
// when its lease runs out), so a receiver may drop a repeat with an id it has seen.
import { createHmac } from 'node:crypto';
import { alertWebhookPayload } from './alert-message';
import { AlertPathError, isRetryableStatus, type AlertTransport } from './transport';

export interface WebhookTransportOptions {
  /** Per request; default 5000. */
  timeoutMs: number;
  /** Requests in all; default 3. */
  attempts: number;
  /** Wait before the 2nd request; doubled each time after. */
  backoffMs: number;
  /** The signing clock: real time, since receivers check the timestamp's freshness. */
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export function signWebhookBody({ secret, timestamp, body }: { secret: string; timestamp: string; body: string }): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function createWebhookTransport(options: WebhookTransportOptions): AlertTransport {
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async send(contact, message) {
      const url = contact.address;
      const secret = contact.secret;
      if (!url || !secret || !/^https?:\/\//i.test(url)) throw new AlertPathError('InvalidContact', { detail: 'webhook URL or secret', retryable: false });
      const body = JSON.stringify(alertWebhookPayload(message));
      for (let attempt = 1; ; attempt++) {
        const error = await postOnce(url, secret, body, clock(), options.timeoutMs, message.alertId);
        if (!error) return { attempts: attempt };
        if (!error.retryable || attempt >= options.attempts) throw error.withAttempts(attempt);
        await sleep(options.backoffMs * 2 ** (attempt - 1));
      }
    },
  };
}

async function postOnce(url: string, secret: string, body: string, now: Date, timeoutMs: number, alertId: string): Promise<AlertPathError | null> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-signature-timestamp': timestamp,
        'x-signature': signWebhookBody({ secret, timestamp, body }),
        'x-alert-id': alertId,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined); // free the connection
    if (res.status >= 200 && res.status < 300) return null;
    return new AlertPathError('WebhookHttpError', { detail: `HTTP ${res.status}`, retryable: isRetryableStatus(res.status) });
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      return new AlertPathError('WebhookTimeout', { detail: `${timeoutMs} ms`, retryable: true });
    }
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    return new AlertPathError('WebhookNetworkError', { detail: typeof code === 'string' ? code : undefined, retryable: true });
  }
}
