import fp from 'fastify-plugin';
import type pg from 'pg';
import type { AppInstance } from '../app-instance.js';
import { availabilityOf, type DatabaseAvailability } from './availability.js';
import type { DatabaseClient } from './database.js';
import type { ClassPools } from './pools.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Kysely over the pool: the way repositories talk SQL. */
    db: DatabaseClient;
    /** The pool itself, for the few places that need a dedicated connection (LISTEN, COPY, tiles). */
    pool: pg.Pool;
    /** Whether the database answers: the error handler reports each 503 to it, it logs outages once. */
    databaseAvailability: DatabaseAvailability;
    /**
     * The pools of the other request classes (server/db/pools.ts): `light` (tiles, health,
     * sessions), `heavy` (checks), `bulk` (imports). `db`/`pool` above are the interactive class.
     */
    pools: ClassPools;
  }
}

/**
 * The database handles every repository depends on (opened by bootstrap, closed by it too). Without
 * `pools` (scripts that open one pool) every class shares the one given.
 */
export const databasePlugin = fp(async (app: AppInstance, options: { db: DatabaseClient; pool: pg.Pool; pools?: ClassPools }) => {
  app.decorate('db', options.db);
  app.decorate('pool', options.pool);
  const availability = availabilityOf(options.pool);
  availability.log = { warn: (message) => app.log.warn(message), info: (message) => app.log.info(message) };
  app.decorate('databaseAvailability', availability);
  const shared = { db: options.db, pool: options.pool };
  app.decorate('pools', options.pools ?? { light: shared, heavy: shared, bulk: shared });
}, { name: 'database' });
