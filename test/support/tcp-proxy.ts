// A TCP proxy in front of the shared PostgreSQL or Redis, so a test can take a service "down" for the
// app under test without stopping it for everyone else: `cut()` destroys every live connection and
// refuses new ones (the client sees ECONNRESET / ECONNREFUSED-like failures at once), `restore()`
// lets connections through again. `delayMs` adds latency to every chunk in both directions (a slow
// network), which makes a turn slow enough for a concurrency test to overlap two of them.
import net from 'node:net';

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1 (an ephemeral port). */
  readonly port: number;
  /** `target` rewritten to go through the proxy: e.g. postgres://…@127.0.0.1:<port>/db. */
  urlFor(target: string): string;
  /** Destroys live connections and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  readonly isCut: boolean;
  /** Connections accepted since start (and passed on). */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startTcpProxy(options: { targetPort: number; targetHost?: string; delayMs?: number }): Promise<TcpProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const delayMs = options.delayMs ?? 0;
  const live = new Set<net.Socket>();
  let isCut = false;
  let accepted = 0;

  const pipe = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (delayMs === 0) to.write(chunk);
      // Chunks keep their order: each waits the same delay after the one before it was queued.
      else setTimeout(() => !to.destroyed && to.write(chunk), delayMs);
    });
    from.on('end', () => setTimeout(() => to.end(), delayMs));
  };

  const server = net.createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = net.connect({ host: targetHost, port: options.targetPort });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    live.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
      live.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    urlFor(target) {
      const url = new URL(target);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    cut() {
      isCut = true;
      // resetAndDestroy sends RST: the client learns at once, as when the server process dies.
      for (const socket of live) socket.resetAndDestroy();
      live.clear();
    },
    restore() {
      isCut = false;
    },
    get isCut() {
      return isCut;
    },
    get accepted() {
      return accepted;
    },
    close: async () => {
      for (const socket of live) socket.destroy();
      live.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
