import { sql, type RawBuilder } from 'kysely';
import { INEFFICIENT_STATUS_CODES } from '../../domain/district-figures.js';
import type { Scope } from '../auth/scope.js';

/** A group of parcels for the district tree: its 区县, its place (园区 when 园区内, else 街道/镇, else null), status, type and 低效用地类别. */
export interface PlaceGroupRow {
  districtCode: string;
  place: string | null;
  status: string;
  type: string | null;
  category: string | null;
  count: number;
  areaM2: number;
}

/**
 * The parcels of the given 区县 within the scope, grouped by place, status and type: every level of
 * the tree (市, 区, 街道/园区) is a sum of these groups, taken from one statement (one snapshot), so a
 * level and its children always tie out.
 */
export const placeGroupsSql = (districtCodes: readonly string[], scope: Scope, place?: string): RawBuilder<PlaceGroupRow> => sql<PlaceGroupRow>`
  SELECT p.district_code AS "districtCode", coalesce(p.park_code, p.subdistrict_code) AS place,
         p.status, p.inefficiency_type AS type, p.land_category AS category, count(*)::int AS count, coalesce(sum(p.area_m2), 0)::float8 AS "areaM2"
  FROM parcels p
  WHERE p.district_code = ANY(${[...districtCodes]}::text[]) AND ${scope.sqlCovers('p.district_code')}
    ${place === undefined ? sql`` : sql`AND coalesce(p.park_code, p.subdistrict_code) = ${place}`}
  GROUP BY 1, 2, 3, 4, 5`;

/** The 街道/镇/园区 of the given 区县 with their extents, 街道/镇 first. */
export const subdistrictListSql = (districtCodes: readonly string[]) => sql<{
  code: string; name: string; kind: 'street' | 'town' | 'park'; districtCode: string; source: string;
  xmin: number; ymin: number; xmax: number; ymax: number;
}>`
  SELECT s.code, s.name, s.kind, s.district_code AS "districtCode", s.source,
         ST_XMin(s.geom) AS xmin, ST_YMin(s.geom) AS ymin, ST_XMax(s.geom) AS xmax, ST_YMax(s.geom) AS ymax
  FROM subdistricts s
  WHERE s.district_code = ANY(${[...districtCodes]}::text[])
  ORDER BY s.district_code, (s.kind = 'park'), s.code`;

/** One 街道/镇/园区 with its 区县. */
export const subdistrictSql = (code: string) => sql<{
  code: string; name: string; kind: 'street' | 'town' | 'park'; districtCode: string; districtName: string; source: string;
  xmin: number; ymin: number; xmax: number; ymax: number;
}>`
  SELECT s.code, s.name, s.kind, s.district_code AS "districtCode", d.name AS "districtName", s.source,
         ST_XMin(s.geom) AS xmin, ST_YMin(s.geom) AS ymin, ST_XMax(s.geom) AS xmax, ST_YMax(s.geom) AS ymax
  FROM subdistricts s JOIN districts d ON d.code = s.district_code
  WHERE s.code = ${code}`;

/**
 * The choropleth: the 街道/镇/园区 of the given 区县 as a GeoJSON FeatureCollection (simplified to
 * about 10 m, 6 decimals), each with its parcels' 低效 share (园区: its parcels; 街道/镇: its 园区外
 * parcels), 街道/镇 before 园区 so that 园区 draw on top.
 */
export const subdistrictFeaturesSql = (districtCodes: readonly string[], scope: Scope) => sql<{ collection: unknown }>`
  WITH figures AS (
    SELECT coalesce(p.park_code, p.subdistrict_code) AS code, count(*)::int AS parcels, coalesce(sum(p.area_m2), 0)::float8 AS area_m2,
           coalesce(sum(p.area_m2) FILTER (WHERE p.status = ANY(${[...INEFFICIENT_STATUS_CODES]}::text[])), 0)::float8 AS inefficient_m2
    FROM parcels p
    WHERE p.district_code = ANY(${[...districtCodes]}::text[]) AND ${scope.sqlCovers('p.district_code')}
    GROUP BY 1
  )
  SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', s.code,
    'geometry', ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(s.geom, 0.0001)), 6)::json,
    'properties', json_build_object(
      'code', s.code, 'name', s.name, 'kind', s.kind, 'districtCode', s.district_code,
      'parcelCount', coalesce(f.parcels, 0), 'areaM2', coalesce(f.area_m2, 0), 'inefficientAreaM2', coalesce(f.inefficient_m2, 0),
      'inefficientShare', CASE WHEN f.area_m2 > 0 THEN least(1, greatest(0, f.inefficient_m2 / f.area_m2)) END)
  ) ORDER BY (s.kind = 'park'), s.code), '[]'::json)) AS collection
  FROM subdistricts s LEFT JOIN figures f ON f.code = s.code
  WHERE s.district_code = ANY(${[...districtCodes]}::text[])`;
