import fp from 'fastify-plugin';
import type pg from 'pg';
import type { AppInstance } from '../app-instance.js';
import type { DatabaseClient } from './database.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Kysely over the pool: the way repositories talk SQL. */
    db: DatabaseClient;
    /** The pool itself, for the few places that need a dedicated connection (LISTEN, COPY, tiles). */
    pool: pg.Pool;
  }
}

/** The database handles every repository depends on (opened by bootstrap, closed by it too). */
export const databasePlugin = fp(async (app: AppInstance, options: { db: DatabaseClient; pool: pg.Pool }) => {
  app.decorate('db', options.db);
  app.decorate('pool', options.pool);
}, { name: 'database' });
