import { sql } from 'kysely';
import type { Scope } from '../auth/scope.js';

/** The geometries of a check, as GeoJSON text bound to the statements below. */
export interface CheckGeometries {
  boundary: object;
  fragments: object[];
  supportingLand: object[];
}

const json = (geometry: object) => JSON.stringify(geometry);

/**
 * Validity of every part (boundary, each drawn fragment and 配套 zone) with GEOS's reason, and the
 * boundary's ellipsoidal area when valid: asked first, so that a bad geometry is a 400 naming the
 * part, and an oversized boundary is refused before the overlay work (one of a province would read
 * every parcel).
 */
export function validitySql(geometries: CheckGeometries) {
  return sql<{ part: 'boundary' | 'fragments' | 'supportingLand'; index: number; valid: boolean; reason: string; area: number | null }>`
    SELECT part, index, ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
           CASE WHEN part = 'boundary' AND ST_IsValid(g) THEN ST_Area(g::geography) END AS area
    FROM (SELECT 'boundary' AS part, 0 AS index, ST_SetSRID(ST_GeomFromGeoJSON(${json(geometries.boundary)}), 4490) AS g
          UNION ALL SELECT 'fragments', i - 1, ST_SetSRID(ST_GeomFromGeoJSON(f), 4490)
            FROM unnest(${geometries.fragments.map(json)}::text[]) WITH ORDINALITY AS u(f, i)
          UNION ALL SELECT 'supportingLand', i - 1, ST_SetSRID(ST_GeomFromGeoJSON(f), 4490)
            FROM unnest(${geometries.supportingLand.map(json)}::text[]) WITH ORDINALITY AS u(f, i)) parts`;
}

/** A parcel the boundary takes in, with its land inside the boundary (areas rounded as answered). */
export interface TakenParcelRow {
  id: number;
  code: string;
  districtCode: string;
  status: string;
  areaM2: number;
  insideM2: number;
  share: number;
  inScope: boolean;
}

export interface FiguresRow {
  project_m2: number;
  fragment_m2: number;
  uncovered_m2: number;
  supporting_m2: number;
  parcel_m2: number;
  inefficient_m2: number;
  pieces: number;
  /** Distinct 土地使用权人 of the taken parcels that are not 零星用地 (the projects, when not entered). */
  owners: number;
  /** Taken parcels that are not 零星用地 (宗地). */
  project_parcels: number;
  parcels: TakenParcelRow[] | null;
}

/** What decides the zones of an area: the parcels taken in, those marked 零星, whether uncovered land is 零星. */
export interface ZoneOptions {
  parcels: number[] | null;
  fragmentParcels: number[];
  uncoveredIsFragment: boolean;
}

/**
 * The land of an area as common table expressions (`boundary`, `taken`, `taken_land`, `uncovered`,
 * `drawn_fragments`, `marked_fragments`, `fragments`, `supporting`), shared by the figures and by
 * the zones a report draws, so both are the same land:
 * - project land = the boundary (holes excluded everywhere);
 * - taken = parcels meeting the boundary (or the ids given, a parcel split or merged since read as
 *   its successors: parcel_successors, migration 0028), each cut to it;
 * - 零星用地 = drawn fragments ∪ parcels marked so ∪ (if asked) land not covered by a taken parcel,
 *   all cut to the boundary;
 * - 配套用房 land = drawn zones cut to the boundary.
 */
function zoneCtes(geometries: CheckGeometries, options: ZoneOptions) {
  return sql`
    boundary AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${json(geometries.boundary)}), 4490) AS g),
    taken AS (
      SELECT p.id, p.code, p.district_code, p.status, p.area_m2, p.owner, ST_Intersection(p.geom, b.g) AS inside
      FROM parcels p, boundary b
      WHERE p.geom && b.g AND ST_Intersects(p.geom, b.g) AND (${options.parcels}::bigint[] IS NULL OR p.id = ANY(parcel_successors(${options.parcels}::bigint[])))
    ),
    taken_land AS (SELECT coalesce(ST_Union(inside), 'SRID=4490;POLYGON EMPTY'::geometry) AS g FROM taken),
    uncovered AS (SELECT ST_Difference(b.g, t.g) AS g FROM boundary b, taken_land t),
    drawn_fragments AS (
      SELECT coalesce(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(f), 4490)), 'SRID=4490;POLYGON EMPTY'::geometry) AS g
      FROM unnest(${geometries.fragments.map(json)}::text[]) f
    ),
    marked_fragments AS (
      SELECT coalesce(ST_Union(inside), 'SRID=4490;POLYGON EMPTY'::geometry) AS g FROM taken WHERE id = ANY(parcel_fragment_successors(${options.fragmentParcels}::bigint[], ${options.parcels}::bigint[]))
    ),
    fragments AS (
      SELECT ST_Intersection(ST_Union(ARRAY[d.g, m.g, CASE WHEN ${options.uncoveredIsFragment} THEN u.g ELSE 'SRID=4490;POLYGON EMPTY'::geometry END]), b.g) AS g
      FROM boundary b, drawn_fragments d, marked_fragments m, uncovered u
    ),
    supporting AS (
      SELECT ST_Intersection(coalesce(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(s), 4490)), 'SRID=4490;POLYGON EMPTY'::geometry), (SELECT g FROM boundary)) AS g
      FROM unnest(${geometries.supportingLand.map(json)}::text[]) s
    )`;
}

/**
 * The figures of a 成片改造区域 in one statement (`geography` areas on CGCS2000), over the land of
 * `zoneCtes`:
 * - pieces = parts of the boundary, joined when closer than `gapToleranceM`, measured in metres on a
 *   transverse Mercator centred on the area;
 * - 低效 land counts only the parcels in the reader's scope (outside it, status is not theirs to see);
 * - owners = distinct 土地使用权人 of the taken parcels not marked 零星用地 (a count only: names stay
 *   in the database, whatever the reader's scope).
 */
export function figuresSql(geometries: CheckGeometries, options: ZoneOptions & { gapToleranceM: number; scope: Scope }) {
  return sql<FiguresRow>`
    WITH ${zoneCtes(geometries, options)},
    parts AS (
      SELECT ST_Transform((ST_Dump(b.g)).geom,
               format('+proj=tmerc +lat_0=0 +lon_0=%s +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs', ST_X(ST_Centroid(b.g)))) AS g
      FROM boundary b
    ),
    clusters AS (SELECT ST_ClusterDBSCAN(g, eps => ${options.gapToleranceM}::float8, minpoints => 1) OVER () AS cluster FROM parts)
    SELECT ST_Area(b.g::geography) AS project_m2,
           coalesce(ST_Area((SELECT g FROM fragments)::geography), 0) AS fragment_m2,
           coalesce(ST_Area((SELECT g FROM uncovered)::geography), 0) AS uncovered_m2,
           coalesce(ST_Area((SELECT g FROM supporting)::geography), 0) AS supporting_m2,
           coalesce(ST_Area((SELECT g FROM taken_land)::geography), 0) AS parcel_m2,
           coalesce((SELECT sum(ST_Area(inside::geography)) FROM taken
                     WHERE status IN ('suspected', 'identified') AND ${options.scope.sqlCovers('district_code')}), 0) AS inefficient_m2,
           (SELECT count(DISTINCT cluster)::int FROM clusters) AS pieces,
           (SELECT count(DISTINCT nullif(btrim(owner), ''))::int FROM taken WHERE NOT (id = ANY(parcel_fragment_successors(${options.fragmentParcels}::bigint[], ${options.parcels}::bigint[])))) AS owners,
           (SELECT count(*)::int FROM taken WHERE NOT (id = ANY(parcel_fragment_successors(${options.fragmentParcels}::bigint[], ${options.parcels}::bigint[])))) AS project_parcels,
           (SELECT json_agg(json_build_object(
               'id', id, 'code', code, 'districtCode', district_code, 'status', status,
               'areaM2', round(area_m2::numeric, 2), 'insideM2', round(ST_Area(inside::geography)::numeric, 2),
               'share', CASE WHEN area_m2 > 0 THEN round((ST_Area(inside::geography) / area_m2)::numeric, 4) ELSE 0 END,
               'inScope', ${options.scope.sqlCovers('district_code')}) ORDER BY id)
            FROM taken) AS parcels
    FROM boundary b`;
}

/** The zones of an area as GeoJSON (CGCS2000 [经度, 纬度], 8 decimals ≈ 1 mm), null when empty: what a report draws. */
export function zonesSql(geometries: CheckGeometries, options: ZoneOptions) {
  return sql<{ boundary: object; fragments: object | null; supporting: object | null }>`
    WITH ${zoneCtes(geometries, options)}
    SELECT ST_AsGeoJSON(b.g, 8)::json AS boundary,
           (SELECT CASE WHEN ST_IsEmpty(g) THEN NULL ELSE ST_AsGeoJSON(ST_CollectionExtract(g, 3), 8)::json END FROM fragments) AS fragments,
           (SELECT CASE WHEN ST_IsEmpty(g) THEN NULL ELSE ST_AsGeoJSON(ST_CollectionExtract(g, 3), 8)::json END FROM supporting) AS supporting
    FROM boundary b`;
}

/**
 * Other saved areas meeting this boundary: each with its overlap and the overlap of their union,
 * and whether it is in the reader's scope (the service masks the others' name and status).
 */
export function overlapsSql(boundary: object, excludeArea: number | null, scope: Scope) {
  return sql<{ id: number; name: string; status: string; in_scope: boolean; overlap_m2: number; union_m2: number }>`
    WITH boundary AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${json(boundary)}), 4490) AS g),
    others AS (
      SELECT a.id, a.name, a.status, ${scope.sqlCovers('a.district_code')} AS in_scope, ST_Intersection(a.geom, b.g) AS shared
      FROM areas a, boundary b
      WHERE a.deleted_at IS NULL AND a.geom && b.g AND ST_Intersects(a.geom, b.g) AND a.id IS DISTINCT FROM ${excludeArea}::bigint
    )
    SELECT id, name, status, in_scope, ST_Area(shared::geography) AS overlap_m2,
           (SELECT ST_Area(ST_Union(shared)::geography) FROM others) AS union_m2
    FROM others ORDER BY id`;
}
