import type pg from 'pg';
import type { PoolSettings, RequestClass } from '../config.js';
import { DatabaseAvailability } from './availability.js';
import { connectDatabase, type ConnectOptions, type DatabaseClient, type DatabaseHandles } from './database.js';

/** A pool and its Kysely, as repositories receive them. */
export interface PoolHandles {
  db: DatabaseClient;
  pool: pg.Pool;
}

/**
 * The pools other than the interactive one (`app.db`/`app.pool`), decorated as `app.pools`:
 * `light` for tiles, health and session lookups, `heavy` for policy checks, `bulk` for imports.
 */
export type ClassPools = Record<Exclude<RequestClass, 'interactive'>, PoolHandles>;

export interface RequestPools extends ClassPools {
  interactive: DatabaseHandles;
  close(): Promise<void>;
}

/**
 * One pool per request class, each with its own connections and `statement_timeout` (settings
 * `databasePools`). Separate pools, not one shared: checks that take every connection they are
 * allowed wait for each other in the heavy pool, while tiles, health and logins keep theirs in the
 * light pool; a statement past its class's timeout is cancelled by PostgreSQL (SQLSTATE 57014),
 * answered 503 by server/errors.ts.
 *
 * The pools share one availability tracker (an outage is logged once). The client-side wait for an
 * answer (`queryTimeoutMs`, for a hung database) is kept above each class's `statement_timeout`, so a
 * statement that is merely slow ends as PostgreSQL's timeout (503 `query_timeout`), not as
 * "database unavailable"; the bulk class (imports, no statement timeout) has no client-side wait.
 */
export function connectRequestPools(connectionString: string, pools: Record<RequestClass, PoolSettings>, options: ConnectOptions = {}): RequestPools {
  const availability = options.availability ?? new DatabaseAvailability();
  const answerWait = (statementTimeoutMs: number) => {
    if (!options.queryTimeoutMs || statementTimeoutMs <= 0) return statementTimeoutMs <= 0 ? 0 : options.queryTimeoutMs;
    return Math.max(options.queryTimeoutMs, statementTimeoutMs + ANSWER_MARGIN_MS);
  };
  const open = (requestClass: RequestClass) => connectDatabase(connectionString, pools[requestClass].connections, {
    ...options, availability, statementTimeoutMs: pools[requestClass].statementTimeoutMs, applicationName: `biaotu-${requestClass}`,
    queryTimeoutMs: answerWait(pools[requestClass].statementTimeoutMs),
    // A tile is one small statement among many at once: parallel workers cost more to start and to
    // combine (ST_AsMVT partials) than they save, and took cores from the other tiles (issue 19).
    ...(requestClass === 'light' ? { parallelWorkersPerGather: 0 } : {}),
  });
  const handles = { light: open('light'), interactive: open('interactive'), heavy: open('heavy'), bulk: open('bulk') };
  return {
    ...handles,
    async close() {
      await Promise.all(Object.values(handles).map((handle) => handle.close()));
    },
  };
}

/** How much longer than a class's statement timeout the client waits for an answer before calling the database hung. */
const ANSWER_MARGIN_MS = 2_000;

/** SQLSTATE query_canceled: a statement stopped by `statement_timeout` (or by an administrator). */
export const QUERY_CANCELED = '57014';

export function isQueryCanceled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === QUERY_CANCELED;
}
