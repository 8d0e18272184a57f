import fp from 'fastify-plugin';
import type pg from 'pg';
import type { AppInstance } from '../app-instance.js';
import { availabilityOf, type DatabaseAvailability } from './availability.js';
import type { DatabaseClient } from './database.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Kysely over the pool: the way repositories talk SQL. */
    db: DatabaseClient;
    /** The pool itself, for the few places that need a dedicated connection (LISTEN, COPY, tiles). */
    pool: pg.Pool;
    /** Whether the database answers: the error handler reports each 503 to it, it logs outages once. */
    databaseAvailability: DatabaseAvailability;
  }
}

/** The database handles every repository depends on (opened by bootstrap, closed by it too). */
export const databasePlugin = fp(async (app: AppInstance, options: { db: DatabaseClient; pool: pg.Pool }) => {
  app.decorate('db', options.db);
  app.decorate('pool', options.pool);
  const availability = availabilityOf(options.pool);
  availability.log = { warn: (message) => app.log.warn(message), info: (message) => app.log.info(message) };
  app.decorate('databaseAvailability', availability);
}, { name: 'database' });
