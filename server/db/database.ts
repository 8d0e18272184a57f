import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatabaseAvailability, guardedClientClass, trackAvailability } from './availability.js';
import type { Database } from './schema.js';

// numeric and bigint columns hold figures well inside double precision: return numbers, not strings.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Dates are calendar dates (认定时间, 投产时间): keep 'YYYY-MM-DD', never shift them through a time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type DatabaseClient = Kysely<Database>;

export interface DatabaseHandles {
  pool: pg.Pool;
  db: DatabaseClient;
  /** Whether the database answers (outages logged once, see availability.ts). */
  availability: DatabaseAvailability;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** `SET ROLE` on every connection: the app's privileges when it logs in with an owner's URL. */
  role?: string;
  /** Longest wait for a connection, new or from a full pool (ms; 0 = none): then the request gets 503. */
  connectTimeoutMs?: number;
  /**
   * Longest wait for the answer to a query, client side (ms; 0 = none): a hung database then gives a
   * 503, and the connection is closed. Work that may take longer runs in `allowLongQueries`.
   */
  queryTimeoutMs?: number;
  /** The tracker to report to, when several pools share one (else each pool has its own). */
  availability?: DatabaseAvailability;
  /** `statement_timeout` of every connection (ms; 0 = none), set at connection start (server/db/pools.ts). */
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity, so an operator sees which pool a connection belongs to. */
  applicationName?: string;
  /** `max_parallel_workers_per_gather` of every connection (unset: the server's setting). */
  parallelWorkersPerGather?: number;
}

export function connectDatabase(connectionString: string, maxConnections = 16, options: ConnectOptions = {}): DatabaseHandles {
  const availability = options.availability ?? new DatabaseAvailability();
  const serverOptions = [
    ...(options.statementTimeoutMs !== undefined ? [`-c statement_timeout=${Math.max(0, Math.round(options.statementTimeoutMs))}`] : []),
    ...(options.parallelWorkersPerGather !== undefined ? [`-c max_parallel_workers_per_gather=${Math.max(0, Math.round(options.parallelWorkersPerGather))}`] : []),
  ];
  const pool = new pg.Pool({
    connectionString, max: maxConnections, application_name: options.applicationName ?? 'biaotu',
    Client: guardedClientClass(availability),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 0,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    ...(serverOptions.length > 0 ? { options: serverOptions.join(' ') } : {}),
  });
  trackAvailability(pool, availability);
  if (options.role) {
    const role = options.role;
    if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`invalid role name: ${role}`);
    pool.on('connect', (client) => {
      client.query(`SET ROLE ${role}`).catch((error: Error) => console.error(`SET ROLE ${role} failed: ${error.message}`));
    });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    pool,
    db,
    availability,
    async close() {
      await db.destroy();
    },
  };
}

/** Creates the database when it does not exist yet (used by the embedded cluster and the tests). */
export async function ensureDatabaseExists(baseUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
  const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
  const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Hides the password of a connection URL before it is printed. */
/**
 * For a child program given a postgres:// URL (pg_dump, pg_restore, psql): the URL without its
 * password and the environment carrying it (PGPASSWORD), since a command line shows in every
 * local user's `ps`.
 */
export function libpqTarget(connectionString: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(connectionString);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = '';
  return { url: url.toString(), env: password === undefined ? {} : { PGPASSWORD: password } };
}

export function redactUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return connectionString.replace(/:[^:@/]+@/, ':***@');
  }
}
