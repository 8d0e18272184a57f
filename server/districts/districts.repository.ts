import { sql } from 'kysely';
import { EFFICIENCY_STATUSES, INEFFICIENCY_TYPES } from '../../domain/efficiency.js';
import type { DistrictStats } from '../../domain/district-figures.js';
import fp from 'fastify-plugin';
import type { AppInstance } from '../app-instance.js';
import type { DatabaseClient } from '../db/database.js';

export interface DistrictSummary {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  bbox: [number, number, number, number];
  areaM2: number;
}

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

    /**
     * Figures of a district, or of a city over all its districts. Parcels belong to a 区县 code;
     * a city's figures are the sums over its child districts, within the reader's districts.
     */
    async stats(code: string, name: string, allowedDistricts: string[] | null): Promise<DistrictStats> {
      const { rows } = await sql<{ status: string; type: string | null; count: number; area_m2: number }>`
        SELECT p.status, p.inefficiency_type AS type, count(*)::int AS count, coalesce(sum(p.area_m2), 0) AS area_m2
        FROM parcels p
        WHERE p.district_code IN (SELECT d.code FROM districts d WHERE d.code = ${code} OR d.parent_code = ${code})
          AND (${allowedDistricts}::text[] IS NULL OR p.district_code = ANY(${allowedDistricts}::text[]))
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
