// A local node:http server standing in for a group-chat robot's webhook: answers each request with
// the next scripted status (the last one repeats), optionally after a delay, and records what came.
// `hangFirst` requests are never answered (a robot that hangs while the sender dies).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedWebhook[];
  close(): Promise<void>;
}

export async function startWebhookReceiver({ statuses = [200], delayMs = 0, hangFirst = 0 }: { statuses?: number[]; delayMs?: number; hangFirst?: number } = {}): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
      if (requests.length <= hangFirst) return;
      const status = statuses[Math.min(requests.length - 1, statuses.length - 1)] ?? 200;
      const answer = () => {
        if (res.writableEnded || res.destroyed) return;
        // Separate calls: restify, loaded in the same process by app tests, patches writeHead to return nothing.
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: status < 300 }));
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/robot/send?key=test-robot-key`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
