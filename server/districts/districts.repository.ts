import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { District, DistrictStats } from '../../domain/api/districts.schemas.js';
import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES } from '../../domain/efficiency.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';

/** A district as stored; whether the reader's scope covers it is the route's to add. */
export type DistrictSummary = Omit<District, 'inScope'>;

export function createDistrictsRepository(db: DatabaseClient) {
  return {
    async list(): Promise<DistrictSummary[]> {
      const { rows } = await sql<{
        code: string; name: string; level: string; parent_code: string | null;
        xmin: number; ymin: number; xmax: number; ymax: number; area_m2: number;
      }>`
        SELECT code, name, level, parent_code, area_m2,
               ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax
        FROM districts
        ORDER BY (level = 'city') DESC, code`.execute(db);
      return rows.map((row) => ({
        code: row.code,
        name: row.name,
        level: row.level,
        parentCode: row.parent_code,
        bbox: [row.xmin, row.ymin, row.xmax, row.ymax],
        areaM2: row.area_m2,
      }));
    },

    async find(code: string): Promise<{ code: string; name: string; level: string } | undefined> {
      return db.selectFrom('districts').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
    },

    /** The codes among `codes` that name a district or city. */
    async existing(codes: readonly string[]): Promise<string[]> {
      if (codes.length === 0) return [];
      const rows = await db.selectFrom('districts').select('code').where('code', 'in', [...codes]).execute();
      return rows.map((row) => row.code);
    },

    /** The first city (市) in the database: accounts created at first start cover it. */
    async firstCity(): Promise<{ code: string; name: string } | undefined> {
      return db.selectFrom('districts').select(['code', 'name']).where('level', '=', 'city').orderBy('code').executeTakeFirst();
    },

    /**
     * Figures of a district, or of a city over all its districts. Parcels belong to a 区县 code;
     * a city's figures are the sums over its child districts, within the reader's scope.
     */
    async stats(code: string, name: string, scope: Scope): Promise<DistrictStats> {
      const { rows } = await sql<{ status: string; type: string | null; count: number; area_m2: number }>`
        SELECT p.status, p.inefficiency_type AS type, count(*)::int AS count, coalesce(sum(p.area_m2), 0) AS area_m2
        FROM parcels p
        WHERE p.district_code IN (SELECT d.code FROM districts d WHERE d.code = ${code} OR d.parent_code = ${code})
          AND ${scope.sqlCovers('p.district_code')}
        GROUP BY p.status, p.inefficiency_type`.execute(db);
      const totals = (matches: (row: (typeof rows)[number]) => boolean) => {
        const matching = rows.filter(matches);
        return {
          count: matching.reduce((sum, row) => sum + row.count, 0),
          areaM2: matching.reduce((sum, row) => sum + row.area_m2, 0),
        };
      };
      const byStatus = EFFICIENCY_STATUSES.map((status) => ({
        status: status.code, label: status.label, ...totals((row) => row.status === status.code),
      }));
      const byType = INEFFICIENCY_TYPES.map((type) => ({
        type: type.code, label: type.label, ...totals((row) => row.type === type.code),
      }));
      return {
        code,
        name,
        parcelCount: totals(() => true).count,
        areaM2: totals(() => true).areaM2,
        byStatus,
        byType,
      };
    },
  };
}

export type DistrictsRepository = ReturnType<typeof createDistrictsRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    districtsRepository: DistrictsRepository;
  }
}

/** The districts repository, built once per app (fastify/demo's repository-as-plugin shape). */
export const districtsRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('districtsRepository', createDistrictsRepository(app.db));
}, { name: 'districts-repository', dependencies: ['database'] });
