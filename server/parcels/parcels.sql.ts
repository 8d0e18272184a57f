import { sql, type RawBuilder } from 'kysely';
import { PARCEL_FIELDS, columnName } from '../../domain/parcel-fields.js';
import { visibleOutOfScope } from '../../domain/scope-visibility.js';
import type { Scope } from '../auth/scope.js';

/** The field list's columns of a parcel `p` under the API's keys (`p.floor_area_ratio AS "floorAreaRatio"`). */
const FIELD_COLUMNS = sql.join(PARCEL_FIELDS.map((field) => sql`${sql.ref(`p.${columnName(field.key)}`)} AS ${sql.ref(field.key)}`));

/** Every attribute of a parcel `p` with its district `d`, under the API's keys (ParcelDetail). */
export const DETAIL_COLUMNS = sql`
  p.id, ${FIELD_COLUMNS}, d.name AS "districtName",
  json_build_array(ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)) AS bbox,
  ST_AsGeoJSON(p.geom, 8)::json AS geometry, p.updated_at AS "updatedAt", p.updated_by AS "updatedBy", p.version,
  false AS restricted`;

/** A GeoJSON body as a CGCS2000 geometry. */
export const geometryFromGeoJson = (geometry: unknown): RawBuilder<string> =>
  sql<string>`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4490)`;

/** Validity of a candidate geometry, and whether it meets the parcel's district at all. */
export const checkGeometrySql = (geometry: unknown, districtCode: string) => sql<{ valid: boolean; reason: string; inside: boolean; empty: boolean }>`
  WITH candidate AS (SELECT ${geometryFromGeoJson(geometry)} AS geom)
  SELECT ST_IsValid(c.geom) AS valid, ST_IsValidReason(c.geom) AS reason, ST_IsEmpty(c.geom) AS empty,
         ST_Intersects(d.geom, c.geom) AS inside
  FROM candidate c, districts d WHERE d.code = ${districtCode}`;

/**
 * The other districts a (valid) candidate geometry of parcel `id` reaches, with the land it would
 * hold in each (m², ellipsoidal) and the land the parcel holds there now: the generalised district
 * boundaries leave some parcels on a sliver of a neighbour, which an edit may keep but not grow.
 */
export const otherDistrictsSql = (id: number, geometry: unknown, districtCode: string) => sql<{ code: string; name: string; after_m2: number; before_m2: number }>`
  WITH candidate AS (SELECT ${geometryFromGeoJson(geometry)} AS geom)
  SELECT d.code, d.name,
         ST_Area(ST_Intersection(d.geom, c.geom)::geography) AS after_m2,
         CASE WHEN ST_Intersects(d.geom, p.geom) THEN ST_Area(ST_Intersection(d.geom, p.geom)::geography) ELSE 0 END AS before_m2
  FROM candidate c, parcels p, districts d
  WHERE p.id = ${id} AND d.level = 'district' AND d.code <> ${districtCode} AND ST_Intersects(d.geom, c.geom)
  ORDER BY after_m2 DESC`;

/** GeoJSON properties of a parcel `p` in a FeatureCollection by box: [property, ParcelDetail key, value]. */
const FEATURE_PROPERTIES: readonly [string, string, RawBuilder<unknown>][] = [
  ['id', 'id', sql`p.id`],
  ['code', 'code', sql`p.code`],
  ['districtCode', 'districtCode', sql`p.district_code`],
  ['areaM2', 'areaM2', sql`round(p.area_m2::numeric, 2)`],
  ['status', 'status', sql`p.status`],
  ['type', 'inefficiencyType', sql`p.inefficiency_type`],
];

/**
 * The properties of a parcel `p` (ParcelFeatureProperties): an attribute an out-of-scope reader may
 * not see is null for them (`visibleOutOfScope`), the same masking as the parcel card and the tiles.
 */
export function featurePropertiesSql(scope: Scope): RawBuilder<unknown> {
  const covered = scope.sqlCovers('p.district_code');
  const pairs = FEATURE_PROPERTIES.map(([property, key, value]) =>
    sql`${sql.lit(property)}, ${visibleOutOfScope(key) ? value : sql`CASE WHEN ${covered} THEN ${value} END`}`);
  return sql`json_build_object(${sql.join(pairs)}, 'restricted', NOT ${covered})`;
}

/** 地类编码 of the survey's transport land that a 四至 names as road or railway (三调: 1001 铁路, 1002 轨道交通, 1003 公路, 1004 城镇村道路, 1006 农村道路). */
const ROAD_CODES = ['1003', '1004', '1006'];
const RAIL_CODES = ['1001', '1002'];

/**
 * The nearest neighbour of parcel `id` on each side (东/南/西/北) within `metres` (ellipsoidal): other
 * parcels, and the roads and railways of the current survey layer. A candidate's side is the
 * bearing (in EPSG:3857, where angles are true) from the parcel's centroid to the candidate's point
 * nearest that centroid: 45°–135° east, 135°–225° south, 225°–315° west, else north. A neighbour
 * outside the reader's districts is named by its 宗地编号 only (its owner is not theirs to see).
 * On equal distances a parcel goes before a road.
 */
export const boundariesProposalSql = (id: number, metres: number, scope: Scope) => sql<{
  side: 'east' | 'south' | 'west' | 'north'; kind: 'parcel' | 'road'; text: string; parcel_id: number | null; parcel_code: string | null; distance_m: number;
}>`
  WITH me AS (
    SELECT p.id, p.geom, ST_Centroid(p.geom) AS centre,
           ${metres} / 111320.0 / greatest(cos(radians(ST_Y(ST_Centroid(p.geom)))), 0.1) AS pad
    FROM parcels p WHERE p.id = ${id}
  ),
  current_layer AS (
    SELECT id FROM survey_layers WHERE superseded_at IS NULL AND committed ORDER BY year DESC, id DESC LIMIT 1
  ),
  candidates AS (
    SELECT 'parcel'::text AS kind, n.id AS parcel_id, n.code AS parcel_code,
           CASE WHEN ${scope.sqlCovers('n.district_code')} THEN coalesce(nullif(btrim(n.owner), ''), n.code) ELSE n.code END AS text,
           n.geom
    FROM parcels n, me
    WHERE n.id <> me.id AND n.geom && ST_Expand(me.geom, me.pad)
    UNION ALL
    SELECT 'road', NULL, NULL,
           CASE WHEN s.land_use_code IN (${sql.join(RAIL_CODES)}) THEN '铁路' ELSE '道路' END,
           s.geom
    FROM survey_patches s, me
    WHERE s.layer_id = (SELECT id FROM current_layer)
      AND s.land_use_code IN (${sql.join([...ROAD_CODES, ...RAIL_CODES])})
      AND s.geom_3857 && ST_Transform(ST_Expand(me.geom, me.pad), 3857)
  ),
  measured AS (
    SELECT c.kind, c.parcel_id, c.parcel_code, c.text,
           ST_Distance(c.geom::geography, me.geom::geography) AS distance_m,
           ST_ClosestPoint(c.geom, me.centre) AS towards, me.centre
    FROM candidates c, me
  ),
  sided AS (
    SELECT m.*, degrees(ST_Azimuth(ST_Transform(m.centre, 3857), ST_Transform(m.towards, 3857))) AS bearing
    FROM measured m
    WHERE m.distance_m <= ${metres} AND NOT ST_Equals(m.towards, m.centre)
  )
  SELECT DISTINCT ON (side) side, kind, text, parcel_id, parcel_code, distance_m
  FROM (
    SELECT s.*, CASE WHEN bearing >= 45 AND bearing < 135 THEN 'east'
                     WHEN bearing >= 135 AND bearing < 225 THEN 'south'
                     WHEN bearing >= 225 AND bearing < 315 THEN 'west'
                     ELSE 'north' END AS side
    FROM sided s
  ) located
  ORDER BY side, round(distance_m::numeric, 1), kind = 'road', parcel_id`;
