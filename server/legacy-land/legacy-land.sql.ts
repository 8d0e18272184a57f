import { sql, type RawBuilder } from 'kysely';

/** A GeoJSON polygon as the MultiPolygon (CGCS2000) legacy_lands stores: made valid, polygons only. */
export const storedGeometry = (geometry: object): RawBuilder<unknown> =>
  sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4490)), 3))`;

/** The district holding most of a shape (null outside every district). */
export const districtOfGeometrySql = (geometry: object) => sql<{ code: string; name: string }>`
  WITH g AS (SELECT ${storedGeometry(geometry)} AS g)
  SELECT d.code, d.name FROM districts d, g
  WHERE d.level = 'district' AND d.geom && g.g AND ST_Intersects(d.geom, g.g)
  ORDER BY ST_Area(ST_Intersection(d.geom, g.g)) DESC LIMIT 1`;

/** The columns of a record as LegacyLandRow, over `legacy_lands l JOIN districts d`. */
export const LEGACY_COLUMNS = sql`l.id::int AS id, l.number, l.district_code AS "districtCode", d.name AS "districtName", l.name, l.location,
  l.user_name AS "userName", l.current_use AS "currentUse", l.land_use_code AS "landUseCode", l.floor_area_m2 AS "floorAreaM2",
  l.period, l.period_version AS "periodVersion", l.survey_year AS "surveyYear", l.survey_bsm AS "surveyBsm", l.standard,
  l.disposal_policy AS "disposalPolicy", l.status, l.status_at AS "statusAt", l.note, l.source, l.area_m2 AS "areaM2",
  json_build_array(ST_XMin(l.geom), ST_YMin(l.geom), ST_XMax(l.geom), ST_YMax(l.geom)) AS bbox,
  l.version, l.created_by AS "createdBy", l.created_at AS "createdAt", l.updated_by AS "updatedBy", l.updated_at AS "updatedAt"`;

/** Records in a box as GeoJSON features (simplified to about 1 m), in the reader's districts. */
export const legacyFeaturesSql = (box: [number, number, number, number], covers: RawBuilder<boolean>, limit: number) => sql<{ feature: unknown }>`
  SELECT json_build_object('type', 'Feature', 'id', l.id,
    'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(l.geom, 0.00001), 7)::json,
    'properties', json_build_object('id', l.id, 'number', l.number, 'status', l.status, 'period', l.period, 'currentUse', l.current_use, 'areaM2', round(l.area_m2::numeric, 2))) AS feature
  FROM legacy_lands l
  WHERE l.geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4490) AND ${covers}
  ORDER BY l.area_m2 DESC
  LIMIT ${limit + 1}`;
