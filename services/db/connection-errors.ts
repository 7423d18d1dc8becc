// Turns "cannot reach PostgreSQL / Redis" errors into one readable paragraph: which address was
// tried, why it failed and how to start the service. Used by `npm run db:migrate` and the app's
// start-up, so an operator sees advice instead of a stack trace. Passwords in URLs are never printed.

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing is listening there',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EADDRNOTAVAIL: 'the address is not available',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS lookup failed)',
  ENOENT: 'the Unix socket does not exist',
  EPIPE: 'the connection was closed',
};

const DATABASE_START_ADVICE =
  'Start PostgreSQL (on Debian: `pg_ctlcluster 15 main start`; `pg_lsclusters` shows its state), or set DATABASE_URL to a reachable server.';
const REDIS_START_ADVICE = 'Start Redis (`redis-server --daemonize yes`), or set REDIS_URL to a reachable server.';

/**
 * A readable explanation when `err` means PostgreSQL could not be reached or refused the
 * connection (network errors, connection timeouts, a server starting up or shutting down, failed
 * authentication, a missing database); null for any other error.
 */
export function describeDatabaseConnectionError(err: unknown, databaseUrl: string): string | null {
  const target = describeTarget(databaseUrl, 5432);
  const where = `PostgreSQL at ${target.address}`;
  const safeUrl = redactUrl(databaseUrl);

  const network = findNetworkError(err);
  if (network) {
    const tried = triedAddress(network, target);
    return `Cannot connect to ${where}${tried}: ${network.reason}.\n${DATABASE_START_ADVICE}\nDATABASE_URL is ${safeUrl}`;
  }
  if (isTimeout(err)) {
    return `Cannot connect to ${where}: no answer within the connection timeout.\n${DATABASE_START_ADVICE}\nDATABASE_URL is ${safeUrl}`;
  }

  const code = findCode(err, (c) => /^(08|28|3D|57P)/.test(c));
  switch (code) {
    case '28P01':
    case '28000':
      return (
        `${where} refused the login${target.user ? ` of user "${target.user}"` : ''}: ${messageOf(err, code)}.\n` +
        'Check the user name and password in DATABASE_URL, and the server\'s pg_hba.conf.' +
        `\nDATABASE_URL is ${safeUrl}`
      );
    case '3D000':
      return (
        `${where} has no database "${target.database}".\n` +
        'Create it (`createdb -h <host> -U postgres <name>`) or run `npm run db:migrate`, which creates it, or fix DATABASE_URL.' +
        `\nDATABASE_URL is ${safeUrl}`
      );
    case '57P03':
      return `${where} is starting up or shutting down and does not accept connections yet; try again in a few seconds.\nDATABASE_URL is ${safeUrl}`;
    case '57P01':
    case '57P02':
      return `${where} closed the connection (the server is shutting down or was restarted).\n${DATABASE_START_ADVICE}\nDATABASE_URL is ${safeUrl}`;
    case undefined:
      break;
    default:
      if (code.startsWith('08')) {
        return `Cannot connect to ${where}: ${messageOf(err, code)}.\n${DATABASE_START_ADVICE}\nDATABASE_URL is ${safeUrl}`;
      }
  }
  if (isConnectionClosed(err)) {
    // pg reports its own connection timeout this way too.
    return `Cannot connect to ${where}: the connection timed out or was closed unexpectedly.\n${DATABASE_START_ADVICE}\nDATABASE_URL is ${safeUrl}`;
  }
  return null;
}

/**
 * A readable explanation when `err` means Redis could not be reached or refused the client
 * (network errors, timeouts, authentication); null for any other error.
 */
export function describeRedisConnectionError(err: unknown, redisUrl: string): string | null {
  const target = describeTarget(redisUrl, 6379);
  const where = `Redis at ${target.address}`;
  const safeUrl = redactUrl(redisUrl);

  const network = findNetworkError(err);
  if (network) {
    const tried = triedAddress(network, target);
    return `Cannot connect to ${where}${tried}: ${network.reason}.\n${REDIS_START_ADVICE}\nREDIS_URL is ${safeUrl}`;
  }
  const message = allMessages(err);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return `${where} refused the client: authentication failed or is required. Check the user name and password in REDIS_URL.\nREDIS_URL is ${safeUrl}`;
  }
  if (isTimeout(err) || /connect ETIMEDOUT|Command timed out/i.test(message)) {
    return `Cannot connect to ${where}: no answer within the timeout.\n${REDIS_START_ADVICE}\nREDIS_URL is ${safeUrl}`;
  }
  if (/Connection is closed|MaxRetriesPerRequest|Reached the max retries per request limit/i.test(message)) {
    return `Cannot reach ${where}: the connection is closed and reconnecting has not succeeded.\n${REDIS_START_ADVICE}\nREDIS_URL is ${safeUrl}`;
  }
  if (/LOADING/.test(message)) {
    return `${where} is still loading its data set; try again in a few seconds.\nREDIS_URL is ${safeUrl}`;
  }
  return null;
}

/** The URL with any password replaced by ***, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    // Not parseable: strip anything between "//user:" and "@" by hand.
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

interface Target {
  address: string;
  user?: string;
  database?: string;
}

function describeTarget(url: string, defaultPort: number): Target {
  try {
    const parsed = new URL(url);
    const socketHost = parsed.searchParams.get('host');
    const host = parsed.hostname || socketHost || 'localhost';
    const port = parsed.port || String(defaultPort);
    return {
      address: host.startsWith('/') ? `${host} (Unix socket, port ${port})` : `${host}:${port}`,
      user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
      database: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : undefined,
    };
  } catch {
    return { address: '(unparseable URL)' };
  }
}

/** " (tried 127.0.0.1:5432)" when the socket address adds something to the URL's host:port. */
function triedAddress(network: NetworkFailure, target: Target): string {
  if (!network.address) return '';
  const tried = network.port ? `${network.address}:${network.port}` : network.address;
  return target.address === tried || target.address.startsWith(`${tried}:`) ? '' : ` (tried ${tried})`;
}

interface NetworkFailure {
  reason: string;
  address?: string;
  port?: number;
}

/** Walks the error, its `cause` chain and AggregateError members (Node tries IPv6 and IPv4). */
function* errorsIn(err: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (depth > 5 || err === null || typeof err !== 'object') return;
  const e = err as Record<string, unknown>;
  yield e;
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* errorsIn(inner, depth + 1);
  if (e.cause !== undefined && e.cause !== err) yield* errorsIn(e.cause, depth + 1);
}

function findNetworkError(err: unknown): NetworkFailure | null {
  let found: NetworkFailure | null = null;
  for (const e of errorsIn(err)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (!code || !(code in NETWORK_CODES)) continue;
    // ENOENT also comes from files: count it only for a (Unix) socket connect.
    if (code === 'ENOENT' && e.syscall !== 'connect') continue;
    const address = typeof e.address === 'string' ? e.address : typeof e.hostname === 'string' ? e.hostname : undefined;
    const port = typeof e.port === 'number' ? e.port : undefined;
    const failure: NetworkFailure = { reason: NETWORK_CODES[code]!, address, port };
    // Prefer the member that names an address (AggregateError itself carries none).
    if (address) return failure;
    found ??= failure;
  }
  return found;
}

function findCode(err: unknown, accept: (code: string) => boolean): string | undefined {
  for (const e of errorsIn(err)) {
    if (typeof e.code === 'string' && accept(e.code)) return e.code;
  }
  return undefined;
}

function messageOf(err: unknown, code: string): string {
  for (const e of errorsIn(err)) {
    if (e.code === code && typeof e.message === 'string') return e.message;
  }
  return code;
}

function allMessages(err: unknown): string {
  const parts: string[] = [];
  for (const e of errorsIn(err)) {
    if (typeof e.message === 'string') parts.push(e.message);
    if (typeof e.name === 'string') parts.push(e.name);
  }
  return parts.join('\n');
}

function isTimeout(err: unknown): boolean {
  // pg: "Connection terminated due to connection timeout" / "timeout expired".
  return /connection timeout|timeout expired|connect ETIMEDOUT/i.test(allMessages(err));
}

function isConnectionClosed(err: unknown): boolean {
  return /Connection terminated unexpectedly|server closed the connection unexpectedly/i.test(allMessages(err));
}
