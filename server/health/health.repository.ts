import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { AppInstance } from '../app-instance.js';
import type { DatabaseClient } from '../db/database.js';

export function createHealthRepository(db: DatabaseClient) {
  return {
    /** The versions of PostgreSQL and PostGIS: answering at all proves the database is reachable. */
    async versions(): Promise<{ database: string; postgis: string }> {
      const { rows: [row] } = await sql<{ database: string; postgis: string }>`
        SELECT version() AS database, postgis_full_version() AS postgis`.execute(db);
      return row;
    },
  };
}

export type HealthRepository = ReturnType<typeof createHealthRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    healthRepository: HealthRepository;
  }
}

export const healthRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('healthRepository', createHealthRepository(app.pools.light.db));
}, { name: 'health-repository', dependencies: ['database'] });
