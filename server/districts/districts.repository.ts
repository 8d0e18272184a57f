import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { ChildFigures, District, DistrictStats, SubdistrictFeatureCollection, SubdistrictStats } from '../../domain/api/districts.schemas.js';
import { summariseFigures } from '../../domain/district-figures.js';
import { UNASSIGNED } from '../../domain/subdistricts.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import { placeGroupsSql, subdistrictFeaturesSql, subdistrictListSql, subdistrictSql } from './districts.sql.js';

/** A district as stored; whether the reader's scope covers it is the route's to add. */
export type DistrictSummary = Omit<District, 'inScope'>;

export function createDistrictsRepository(db: DatabaseClient) {
  /** The 区县 a level's figures cover: a city's districts, or the district itself. */
  const districtsOf = (code: string): Promise<{ code: string; name: string; level: string }[]> =>
    db.selectFrom('districts').select(['code', 'name', 'level'])
      .where((eb) => eb.or([eb('code', '=', code), eb('parent_code', '=', code)]))
      .orderBy('code').execute();

  /** A 街道/镇/园区 with its 区县, or undefined. */
  const findSubdistrict = async (code: string) => (await subdistrictSql(code).execute(db)).rows[0];

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

    /** The 园区 and 街道/镇 among `codes`, with their kind and district. */
    async subdistrictsOf(codes: readonly string[]): Promise<{ code: string; name: string; kind: string; districtCode: string; districtName: string }[]> {
      if (codes.length === 0) return [];
      return db.selectFrom('subdistricts as s').innerJoin('districts as d', 'd.code', 's.district_code')
        .select(['s.code', 's.name', 's.kind', 's.district_code as districtCode', 'd.name as districtName'])
        .where('s.code', 'in', [...codes]).orderBy('s.code').execute();
    },

    /** The first city (市) in the database: accounts created at first start cover it. */
    async firstCity(): Promise<{ code: string; name: string } | undefined> {
      return db.selectFrom('districts').select(['code', 'name']).where('level', '=', 'city').orderBy('code').executeTakeFirst();
    },

    /**
     * Figures of a city (over its districts in the reader's scope, each a child) or of a district
     * (its 园区, 街道/镇 and 未划入街道 as children), all from one statement so that they tie out.
     */
    async stats(code: string, name: string, scope: Scope): Promise<DistrictStats> {
      const levels = await districtsOf(code);
      const district = { code, name, level: levels.find((entry) => entry.code === code)?.level ?? 'district' };
      const districts = levels.filter((entry) => entry.level === 'district' && scope.covers(entry.code));
      const codes = districts.map((entry) => entry.code);
      const { rows: groups } = await placeGroupsSql(codes, scope).execute(db);
      if (district.level === 'city') {
        const { rows: extents } = await sql<{ code: string; xmin: number; ymin: number; xmax: number; ymax: number }>`
          SELECT code, ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax
          FROM districts WHERE code = ANY(${codes}::text[])`.execute(db);
        const children = districts.map((entry) => {
          const extent = extents.find((row) => row.code === entry.code);
          return {
            code: entry.code, name: entry.name, kind: 'district' as const,
            bbox: extent ? [extent.xmin, extent.ymin, extent.xmax, extent.ymax] as [number, number, number, number] : null,
            ...summariseFigures(groups.filter((group) => group.districtCode === entry.code)),
          };
        });
        return { code: district.code, name: district.name, level: 'city', ...summariseFigures(groups), children };
      }
      const { rows: places } = await subdistrictListSql(codes).execute(db);
      const known = new Set(places.map((place) => place.code));
      const children: ChildFigures[] = places.map((place) => ({
        code: place.code, name: place.name, kind: place.kind,
        bbox: [place.xmin, place.ymin, place.xmax, place.ymax],
        ...summariseFigures(groups.filter((group) => group.place === place.code)),
      }));
      const unassigned = groups.filter((group) => group.place === null || !known.has(group.place));
      if (unassigned.length > 0) children.push({ code: null, name: UNASSIGNED.label, kind: UNASSIGNED.code, bbox: null, ...summariseFigures(unassigned) });
      return { code: district.code, name: district.name, level: 'district', ...summariseFigures(groups), children };
    },

    findSubdistrict,

    /** Figures of a 街道/镇 (its 园区外 parcels) or a 园区 (its parcels). */
    async subdistrictStats(code: string, scope: Scope): Promise<SubdistrictStats | undefined> {
      const place = await findSubdistrict(code);
      if (!place) return undefined;
      const { rows: groups } = await placeGroupsSql([place.districtCode], scope, place.code).execute(db);
      return {
        code: place.code, name: place.name, level: place.kind, districtCode: place.districtCode, districtName: place.districtName,
        bbox: [place.xmin, place.ymin, place.xmax, place.ymax], source: place.source,
        ...summariseFigures(groups), children: [],
      };
    },

    /** The choropleth of a city's districts in scope, or of one district. */
    async subdistrictFeatures(code: string, scope: Scope): Promise<SubdistrictFeatureCollection> {
      const codes = (await districtsOf(code)).filter((entry) => entry.level === 'district' && scope.covers(entry.code)).map((entry) => entry.code);
      const { rows: [row] } = await subdistrictFeaturesSql(codes, scope).execute(db);
      return row.collection as SubdistrictFeatureCollection;
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
