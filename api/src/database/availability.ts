/**
 * When the database cannot be reached — the server restarting or shutting down, a backend terminated by an
 * administrator (pg_terminate_backend), a connection reset, the pool unable to connect in time — the API answers 503
 * DATABASE.UNAVAILABLE with Retry-After (common/http-exception.filter.ts) instead of a 500, and a read outside a
 * transaction is tried once more on a new connection (ResilientDataSource in data-source.ts).
 */

/** Socket errors of Node's net module (the pg driver passes them on as they are). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);

/**
 * SQLSTATEs: 57P01 admin_shutdown (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, shutting down, in recovery), 53300 too_many_connections; and class 08, connection
 * exception, below.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What the pg driver and pg-pool say when a connection breaks or cannot be had; they carry no code. */
const MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
];

/** pg-pool's message when no connection could be had within connectionTimeoutMillis: already a long wait. */
const POOL_TIMEOUT = 'timeout exceeded when trying to connect';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error and the errors it wraps: TypeORM's QueryFailedError.driverError, `cause`, AggregateError.errors. */
function* chain(e: unknown, depth = 0): Generator<ErrorLike> {
  if (!e || typeof e !== 'object' || depth > 4) return;
  const x = e as ErrorLike;
  yield x;
  yield* chain(x.driverError, depth + 1);
  yield* chain(x.cause, depth + 1);
  if (Array.isArray(x.errors)) for (const inner of x.errors) yield* chain(inner, depth + 1);
}

function connectionClass(x: ErrorLike): boolean {
  const code = typeof x.code === 'string' ? x.code : '';
  if (SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  const message = typeof x.message === 'string' ? x.message : '';
  return MESSAGES.some((m) => message.startsWith(m));
}

/** Whether an error means the database is unreachable for now (a connection error, not an error of the statement). */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (const x of chain(e)) if (connectionClass(x)) return true;
  return false;
}

/**
 * Whether a failed statement may be sent again on a new connection: the database was unreachable (not the statement
 * wrong), and not because the pool waited its whole connect timeout already.
 */
export function isRetryableFailure(e: unknown): boolean {
  if (!isDatabaseUnavailable(e)) return false;
  for (const x of chain(e)) if (typeof x.message === 'string' && x.message.startsWith(POOL_TIMEOUT)) return false;
  return true;
}

/** SQL that begins a read (after comments). */
const READ_START = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(?:select|with|values|table|show)\b/i;

/**
 * Anything that may write or take effect beyond the statement: data-modifying statements (also inside WITH), SELECT
 * INTO, row locks, DDL, and the built-in functions with side effects (sequences, advisory locks, settings,
 * notifications, other backends). Matched on the text with string literals, quoted identifiers and comments taken
 * out; a word that happens to match only costs the retry.
 */
const WRITE_WORDS =
  /\b(?:insert|update|delete|merge|truncate|copy|call|do|lock|into|create|alter|drop|grant|revoke|comment|vacuum|analy[sz]e|refresh|cluster|reindex|listen|notify|nextval|setval|set_config|pg_notify|pg_advisory\w*|pg_try_advisory\w*|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|lo_\w+|dblink\w*)\b|\bfor\s+(?:no\s+key\s+)?(?:key\s+)?(?:update|share)\b|\$\w*\$/i;

/**
 * Whether a statement only reads: it begins with SELECT, WITH, VALUES, TABLE or SHOW and names nothing that writes.
 * A user function called from a SELECT could still write; the product's reads call none (its one function is a
 * trigger), and a statement that does must not go through the retrying query.
 */
export function isReadOnlyStatement(sql: string): boolean {
  if (!READ_START.test(sql)) return false;
  const bare = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""');
  return !WRITE_WORDS.test(bare);
}

/** Seconds a client is asked to wait before trying again (the Retry-After header of a 503). */
export const RETRY_AFTER_SECONDS = 2;
