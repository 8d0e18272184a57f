import { sql, type RawBuilder } from 'kysely';
import { visibleOutOfScope } from '../../domain/scope-visibility.js';
import type { Scope } from '../auth/scope.js';

/** Every attribute of a parcel `p` with its district `d`, under the API's keys (ParcelDetail). */
export const DETAIL_COLUMNS = sql`
  p.id, p.code, p.district_code AS "districtCode", d.name AS "districtName", p.owner,
  p.town_or_park AS "townOrPark", p.location, p.registered_area_m2 AS "registeredAreaM2",
  p.area_m2 AS "areaM2", p.contract_no AS "contractNo", p.certificate_no AS "certificateNo",
  p.land_use_code AS "landUseCode", p.planned_function AS "plannedFunction",
  p.industry_code AS "industryCode", p.floor_area_m2 AS "floorAreaM2",
  p.floor_area_ratio AS "floorAreaRatio", p.building_coverage AS "buildingCoverage",
  p.investment_intensity AS "investmentIntensity", p.output_per_mu AS "outputPerMu",
  p.tax_per_mu AS "taxPerMu", p.production_start AS "productionStart",
  p.production_stop AS "productionStop", p.admin_facility_share AS "adminFacilityShare",
  p.undeveloped_area_m2 AS "undevelopedAreaM2", p.meets_safety AS "meetsSafety",
  p.meets_environment AS "meetsEnvironment", p.meets_energy AS "meetsEnergy", p.status,
  p.inefficiency_type AS "inefficiencyType", p.identified_at AS "identifiedAt",
  p.redevelopment_intent AS "redevelopmentIntent", p.evaluation_grade AS "evaluationGrade",
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
