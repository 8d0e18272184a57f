import type pg from 'pg';
import type { PoolSettings, RequestClass } from '../config.js';
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
 */
export function connectRequestPools(connectionString: string, pools: Record<RequestClass, PoolSettings>, options: ConnectOptions = {}): RequestPools {
  const open = (requestClass: RequestClass) => connectDatabase(connectionString, pools[requestClass].connections, {
    ...options, statementTimeoutMs: pools[requestClass].statementTimeoutMs, applicationName: `biaotu-${requestClass}`,
  });
  const handles = { light: open('light'), interactive: open('interactive'), heavy: open('heavy'), bulk: open('bulk') };
  return {
    ...handles,
    async close() {
      await Promise.all(Object.values(handles).map((handle) => handle.close()));
    },
  };
}

/** SQLSTATE query_canceled: a statement stopped by `statement_timeout` (or by an administrator). */
export const QUERY_CANCELED = '57014';

export function isQueryCanceled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === QUERY_CANCELED;
}
