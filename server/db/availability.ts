import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * When the database goes away (stopped, restarting, crashed, unreachable, hung), the server does not
 * die and does not hang: every database-backed request ends in a 503 with `Retry-After` (mapped in
 * server/errors.ts), the outage is logged once when it starts and once when it ends, and the pool
 * serves again by itself once the database answers.
 */

/** The database cannot answer: stopped, restarting, crashed, unreachable or hung. */
export const DATABASE_UNAVAILABLE = 'database_unavailable';
/** Every connection of the pool stayed busy for the whole connection wait. */
export const DATABASE_BUSY = 'database_busy';
export type DatabaseFault = typeof DATABASE_UNAVAILABLE | typeof DATABASE_BUSY;

/** Seconds a client should wait before trying again (the `Retry-After` of the 503). */
export const RETRY_AFTER_SECONDS: Record<DatabaseFault, number> = { [DATABASE_UNAVAILABLE]: 5, [DATABASE_BUSY]: 2 };

/**
 * SQLSTATEs of a database that is going or not there yet: 57P01 admin shutdown (`pg_ctl stop`,
 * restart, an ended backend), 57P02 crash shutdown (another backend crashed), 57P03 cannot connect
 * now ("the database system is starting up / shutting down"), 53300 too many connections; and the
 * whole class 08 (connection exception).
 */
const AWAY_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors that mean the server is not reachable, when they come from a database connection. */
const AWAY_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN']);
/** What pg and pg-pool say when a connection ended, could not be made in time, or a query got no answer in time. */
const AWAY_MESSAGES = [
  'Connection terminated', // "… unexpectedly", "… due to connection timeout"
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
];
const BUSY_MESSAGE = 'timeout exceeded when trying to connect';

/** Marks errors that came out of a database connection (a socket error elsewhere, say an aborted upload, is not an outage). */
const FROM_DATABASE = Symbol('biaotu.fromDatabase');

function markFromDatabase(error: unknown): void {
  if (error instanceof Error) (error as Error & { [FROM_DATABASE]?: true })[FROM_DATABASE] = true;
}

/** Whether an error means the database is away or busy, and so the request deserves a 503 rather than a 500. */
export function databaseFault(error: unknown, depth = 0): DatabaseFault | null {
  if (!(error instanceof Error) || depth > 4) return null;
  const code = (error as { code?: unknown }).code;
  const fromDatabase = error instanceof pg.DatabaseError || (error as { [FROM_DATABASE]?: true })[FROM_DATABASE] === true;
  if (fromDatabase && typeof code === 'string') {
    if (AWAY_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || AWAY_SOCKET_CODES.has(code)) return DATABASE_UNAVAILABLE;
  }
  if (AWAY_MESSAGES.some((message) => error.message.startsWith(message))) return DATABASE_UNAVAILABLE;
  if (error.message === BUSY_MESSAGE) return DATABASE_BUSY;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      if (fromDatabase) markFromDatabase(inner);
      const fault = databaseFault(inner, depth + 1);
      if (fault) return fault;
    }
  }
  if (fromDatabase) markFromDatabase(error.cause);
  return databaseFault(error.cause, depth + 1);
}

export interface AvailabilityLog {
  warn(message: string): void;
  info(message: string): void;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code} ${error.message}` : error.message;
}

/**
 * Whether the database answers, as the pool sees it: every failed connection or query that means
 * an outage marks it away, every connection made and query answered marks it back. Only the
 * changes are logged: one line when the database goes away, one when it is back (with how long it
 * was away and how many requests got a 503 meanwhile), not one per request.
 */
export class DatabaseAvailability {
  #awaySince: number | null = null;
  #refused = 0;
  log: AvailabilityLog = { warn: (message) => console.warn(message), info: (message) => console.log(message) };

  get available(): boolean {
    return this.#awaySince === null;
  }

  /** A connection or query failed; when the failure means an outage and none is known yet, it starts one. */
  failed(error: unknown): void {
    if (this.#awaySince !== null || databaseFault(error) !== DATABASE_UNAVAILABLE) return;
    this.#awaySince = performance.now();
    this.#refused = 0;
    this.log.warn(`数据库不可用，数据库请求将得到 503 直到恢复 / database unavailable, answering 503 until it is back: ${describe(error)}`);
  }

  /** A request was answered 503 because of `error` (counted while the database is away). */
  refused(error: unknown): void {
    this.failed(error);
    if (this.#awaySince !== null && databaseFault(error)) this.#refused++;
  }

  /**
   * A connection was made or a query answered: the end of an outage, if there was one and the
   * attempt began after it (an answer to a query sent before is no news: during a restart it may
   * land just after the first failure).
   */
  answered(attemptStartedAt = performance.now()): void {
    if (this.#awaySince === null || attemptStartedAt < this.#awaySince) return;
    const seconds = ((performance.now() - this.#awaySince) / 1000).toFixed(1);
    this.log.info(`数据库已恢复 / database is back after ${seconds} s; ${this.#refused} request(s) got 503 meanwhile`);
    this.#awaySince = null;
    this.#refused = 0;
  }
}

const trackers = new WeakMap<pg.Pool, DatabaseAvailability>();

/** The availability tracker of a pool (made by connectDatabase; a bare pool gets one on first ask). */
export function availabilityOf(pool: pg.Pool): DatabaseAvailability {
  let tracker = trackers.get(pool);
  if (!tracker) trackers.set(pool, tracker = new DatabaseAvailability());
  return tracker;
}

export function trackAvailability(pool: pg.Pool, tracker: DatabaseAvailability): void {
  trackers.set(pool, tracker);
  // An idle connection closed by the server (restart, stop, DROP DATABASE … FORCE) must not crash the process.
  pool.on('error', (error) => {
    markFromDatabase(error);
    if (databaseFault(error)) tracker.failed(error);
    else tracker.log.warn(`数据库连接中断 / idle database connection lost: ${describe(error)}`);
  });
}

/** The longest timer Node keeps (≈ 24.8 days): "no client-side limit" for pg, where 0 means "the pool's limit". */
const NO_LIMIT_MS = 2_147_483_647;
const longWork = new AsyncLocalStorage<true>();

/**
 * Runs work whose statements may legitimately take longer than the client-side query timeout (an
 * import's load, validation and commit: one statement over a million features takes tens of
 * seconds). Its statements are still bounded server-side where a statement_timeout is set, and end
 * at once when the connection is lost.
 */
export function allowLongQueries<T>(work: () => Promise<T>): Promise<T> {
  return longWork.run(true, work);
}

type QueryCallback = (error: Error | null, result?: unknown) => void;
type AnyQuery = (config: unknown, values?: unknown, callback?: QueryCallback) => unknown;

/**
 * The pool's client class: a pg client that
 * - never crashes the process with an unhandled `error` event when its connection dies while it is
 *   checked out (the pool listens only to idle clients; the failed query already carries the error);
 * - closes its connection when a query got no answer within `query_timeout` (a hung database), so
 *   that the pool destroys it instead of handing out a connection with a query still running;
 * - reports to the availability tracker: failures that mean an outage, and answers that end one.
 */
export function guardedClientClass(tracker: DatabaseAvailability): typeof pg.Client {
  return class GuardedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', (error) => {
        markFromDatabase(error);
        tracker.failed(error);
      });
      const settle = (startedAt: number, error: Error | null | undefined) => {
        if (!error) return tracker.answered(startedAt);
        markFromDatabase(error);
        if (error instanceof pg.DatabaseError && !databaseFault(error)) return tracker.answered(startedAt); // it answered, with an error
        tracker.failed(error);
        if (error.message === 'Query read timeout') {
          // The statement may still run (or the server be frozen): nothing else may be sent on this
          // connection. Closing the socket is what pg itself does on a timeout; `_queryable` is
          // what the pool reads to destroy rather than keep a client released before the close lands.
          const client = this as unknown as { _queryable: boolean; connection: { stream: { destroy(): void } } };
          client._queryable = false;
          client.connection.stream.destroy();
        }
      };

      const connect = this.connect.bind(this) as (callback?: (error: Error | null) => void) => Promise<void> | void;
      this.connect = ((callback?: (error: Error | null) => void) => {
        const startedAt = performance.now();
        if (callback) return connect((error) => { settle(startedAt, error); callback(error); });
        return (connect() as Promise<void>).then(() => settle(startedAt, null), (error: Error) => { settle(startedAt, error); throw error; });
      }) as pg.Client['connect'];

      const query = this.query.bind(this) as AnyQuery;
      this.query = ((config: unknown, values?: unknown, callback?: QueryCallback) => {
        // Cursors and COPY streams report through their own events: passed through unchanged.
        if (typeof (config as { submit?: unknown } | null)?.submit === 'function') return query(config, values, callback);
        if (typeof values === 'function') {
          callback = values as QueryCallback;
          values = undefined;
        }
        const startedAt = performance.now();
        const long = longWork.getStore() ? { query_timeout: NO_LIMIT_MS } : null;
        const effective = long ? { ...(typeof config === 'string' ? { text: config } : config as object), ...long } : config;
        if (callback) {
          const answer = callback;
          return query(effective, values, (error, result) => { settle(startedAt, error); answer(error, result); });
        }
        return new Promise((resolve, reject) => {
          query(effective, values, (error, result) => {
            settle(startedAt, error);
            if (error) reject(error);
            else resolve(result);
          });
        });
      }) as pg.Client['query'];
    }
  };
}
