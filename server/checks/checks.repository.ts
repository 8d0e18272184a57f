import fp from 'fastify-plugin';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import { figuresSql, overlapsSql, validitySql, zonesSql, type CheckGeometries, type ZoneOptions } from './checks.sql.js';

/** Runs the check statements of checks.sql.ts; the service decides what their rows mean. */
export function createChecksRepository(db: DatabaseClient) {
  return {
    /** Every part's validity; rejects when PostGIS cannot read a geometry at all. */
    async validity(geometries: CheckGeometries) {
      return (await validitySql(geometries).execute(db)).rows;
    },

    async figures(geometries: CheckGeometries, options: Parameters<typeof figuresSql>[1]) {
      const { rows: [row] } = await figuresSql(geometries, options).execute(db);
      return row;
    },

    /** The boundary, 零星用地 and 配套用房 land of an area (the land the figures measure), as GeoJSON. */
    async zones(geometries: CheckGeometries, options: ZoneOptions) {
      const { rows: [row] } = await zonesSql(geometries, options).execute(db);
      return row;
    },

    async overlaps(boundary: object, excludeArea: number | null, scope: Scope) {
      return (await overlapsSql(boundary, excludeArea, scope).execute(db)).rows;
    },
  };
}

export type ChecksRepository = ReturnType<typeof createChecksRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    checksRepository: ChecksRepository;
  }
}

/** The checks repository, built once per app. */
export const checksRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('checksRepository', createChecksRepository(app.pools.heavy.db));
}, { name: 'checks-repository', dependencies: ['database'] });
