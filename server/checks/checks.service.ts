import type pg from 'pg';
import type { CheckAnswer, CheckedParcel } from '../../domain/rules/check-answer.js';
import { evaluateRuleSet, gapToleranceOf, type ProjectFigures, type RuleSet } from '../../domain/rules/rules.js';
import { areaInUnits, roundTo } from '../../domain/units.js';
import { GeometryError } from '../errors.js';

export interface CheckInput {
  /** GeoJSON Polygon or MultiPolygon, EPSG:4326 (taken as CGCS2000: the two agree to centimetres). */
  boundary: object;
  /** 零星用地 and 配套用房 land drawn inside the boundary: GeoJSON geometries (already checked). */
  fragments: object[];
  supportingLand: object[];
  /** Parcels taken in; null = every parcel intersecting the boundary. */
  parcels: number[] | null;
  /** Parcels the planner marks as 零星用地 (they count whole, inside the boundary). */
  fragmentParcels: number[];
  uncoveredIsFragment: boolean;
  /** The saved area being revised, left out of the overlap. */
  excludeArea: number | null;
  figures: { totalFloorArea: number | null; supportingFloorArea: number | null; factoryFloorArea: number | null };
}

export type { CheckAnswer } from '../../domain/rules/check-answer.js';

/** Largest boundary accepted: 100 km² (a 成片改造区域 is a few km² at most). */
const MAX_AREA_M2 = 100_000_000;

/**
 * The figures of a 成片改造区域 from PostGIS (`geography` areas on CGCS2000), then the pure rule
 * code of domain/rules — the same the browser runs while drawing.
 * - project land = the boundary (holes excluded everywhere);
 * - 零星用地 = drawn fragments ∪ parcels marked so ∪ (if asked) land not covered by a taken parcel,
 *   all cut to the boundary;
 * - 配套用房 land = drawn zones cut to the boundary;
 * - pieces = parts of the boundary, joined when closer than the rule set's gap tolerance, measured
 *   in metres on a transverse Mercator centred on the area.
 */
export async function runCheck(pool: pg.Pool, ruleSet: RuleSet, input: CheckInput, allowedDistricts: string[] | null): Promise<CheckAnswer> {
  const tolerance = gapToleranceOf(ruleSet);
  const client = await pool.connect();
  try {
    // Validity first, so that a bad geometry is a 400 naming the problem and where it is.
    // The boundary's area comes with it (valid or not, it is only read when valid), so an oversized
    // boundary is refused before the overlay work: one of a province would read every parcel.
    const validity = await client.query<{ part: string; index: number; valid: boolean; reason: string; area: number | null }>(
      `SELECT part, index, ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason,
              CASE WHEN part = 'boundary' AND ST_IsValid(g) THEN ST_Area(g::geography) END AS area
       FROM (SELECT 'boundary' AS part, 0 AS index, ST_SetSRID(ST_GeomFromGeoJSON($1), 4490) AS g
             UNION ALL SELECT 'fragments', i - 1, ST_SetSRID(ST_GeomFromGeoJSON(f), 4490) FROM unnest($2::text[]) WITH ORDINALITY AS u(f, i)
             UNION ALL SELECT 'supportingLand', i - 1, ST_SetSRID(ST_GeomFromGeoJSON(f), 4490) FROM unnest($3::text[]) WITH ORDINALITY AS u(f, i)) parts`,
      [JSON.stringify(input.boundary), input.fragments.map((geometry) => JSON.stringify(geometry)), input.supportingLand.map((geometry) => JSON.stringify(geometry))],
    ).catch((error: Error) => {
      throw new GeometryError(`PostGIS 无法读取图形：${error.message}`, 'boundary');
    });
    for (const row of validity.rows) {
      if (!row.valid) {
        const where = row.part === 'boundary' ? 'boundary' : `${row.part}.features[${row.index}]`;
        throw new GeometryError(`${translateReason(row.reason)}（${row.reason}）`, where);
      }
    }
    const area = validity.rows.find((row) => row.part === 'boundary')?.area ?? 0;
    if (area > MAX_AREA_M2) {
      throw new GeometryError(`边界面积 ${(area / 1e6).toFixed(1)} 平方千米，超过 ${MAX_AREA_M2 / 1e6} 平方千米的上限：请检查坐标或分片提交`, 'boundary');
    }

    const { rows: [figures] } = await client.query<{
      project_m2: number; fragment_m2: number; uncovered_m2: number; supporting_m2: number; parcel_m2: number;
      inefficient_m2: number; pieces: number; parcels: CheckedParcel[] | null;
    }>(
      `WITH boundary AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4490) AS g),
       taken AS (
         SELECT p.id, p.code, p.district_code, p.status, p.area_m2, ST_Intersection(p.geom, b.g) AS inside
         FROM parcels p, boundary b
         WHERE p.geom && b.g AND ST_Intersects(p.geom, b.g) AND ($4::bigint[] IS NULL OR p.id = ANY($4::bigint[]))
       ),
       taken_land AS (SELECT coalesce(ST_Union(inside), 'SRID=4490;POLYGON EMPTY'::geometry) AS g FROM taken),
       uncovered AS (SELECT ST_Difference(b.g, t.g) AS g FROM boundary b, taken_land t),
       drawn_fragments AS (
         SELECT coalesce(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(f), 4490)), 'SRID=4490;POLYGON EMPTY'::geometry) AS g FROM unnest($2::text[]) f
       ),
       marked_fragments AS (
         SELECT coalesce(ST_Union(inside), 'SRID=4490;POLYGON EMPTY'::geometry) AS g FROM taken WHERE id = ANY($6::bigint[])
       ),
       fragments AS (
         SELECT ST_Intersection(ST_Union(ARRAY[d.g, m.g, CASE WHEN $5 THEN u.g ELSE 'SRID=4490;POLYGON EMPTY'::geometry END]), b.g) AS g
         FROM boundary b, drawn_fragments d, marked_fragments m, uncovered u
       ),
       supporting AS (
         SELECT ST_Intersection(coalesce(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(s), 4490)), 'SRID=4490;POLYGON EMPTY'::geometry), (SELECT g FROM boundary)) AS g
         FROM unnest($3::text[]) s
       ),
       parts AS (
         SELECT ST_Transform((ST_Dump(b.g)).geom,
                  format('+proj=tmerc +lat_0=0 +lon_0=%s +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs', ST_X(ST_Centroid(b.g)))) AS g
         FROM boundary b
       ),
       clusters AS (SELECT ST_ClusterDBSCAN(g, eps => $7::float8, minpoints => 1) OVER () AS cluster FROM parts)
       SELECT ST_Area(b.g::geography) AS project_m2,
              coalesce(ST_Area((SELECT g FROM fragments)::geography), 0) AS fragment_m2,
              coalesce(ST_Area((SELECT g FROM uncovered)::geography), 0) AS uncovered_m2,
              coalesce(ST_Area((SELECT g FROM supporting)::geography), 0) AS supporting_m2,
              coalesce(ST_Area((SELECT g FROM taken_land)::geography), 0) AS parcel_m2,
              coalesce((SELECT sum(ST_Area(inside::geography)) FROM taken
                        WHERE status IN ('suspected', 'identified') AND ($8::text[] IS NULL OR district_code = ANY($8::text[]))), 0) AS inefficient_m2,
              (SELECT count(DISTINCT cluster)::int FROM clusters) AS pieces,
              (SELECT json_agg(json_build_object(
                  'id', id, 'code', code, 'districtCode', district_code,
                  'status', CASE WHEN $8::text[] IS NULL OR district_code = ANY($8::text[]) THEN status END,
                  'areaM2', round(area_m2::numeric, 2), 'insideM2', round(ST_Area(inside::geography)::numeric, 2),
                  'share', CASE WHEN area_m2 > 0 THEN round((ST_Area(inside::geography) / area_m2)::numeric, 4) ELSE 0 END) ORDER BY id)
               FROM taken) AS parcels
       FROM boundary b`,
      [
        JSON.stringify(input.boundary), input.fragments.map((geometry) => JSON.stringify(geometry)),
        input.supportingLand.map((geometry) => JSON.stringify(geometry)), input.parcels, input.uncoveredIsFragment,
        input.fragmentParcels, tolerance, allowedDistricts,
      ],
    );
    if (figures.project_m2 <= 0) throw new GeometryError('边界面积为 0：请检查坐标顺序是否为 [经度, 纬度]', 'boundary');

    // Other saved areas meeting this one: each with its overlap, and the overlap of their union.
    const { rows: overlaps } = await client.query<{ id: string; name: string; status: string; overlap_m2: number; union_m2: number }>(
      `WITH boundary AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4490) AS g),
       others AS (
         SELECT a.id, CASE WHEN $3::text[] IS NULL OR a.district_code = ANY($3::text[]) THEN a.name ELSE '管辖范围外的区域' END AS name,
                a.status, ST_Intersection(a.geom, b.g) AS shared
         FROM areas a, boundary b
         WHERE a.deleted_at IS NULL AND a.geom && b.g AND ST_Intersects(a.geom, b.g) AND a.id IS DISTINCT FROM $2::bigint
       )
       SELECT id, name, status, ST_Area(shared::geography) AS overlap_m2,
              (SELECT ST_Area(ST_Union(shared)::geography) FROM others) AS union_m2
       FROM others ORDER BY id`,
      [JSON.stringify(input.boundary), input.excludeArea, allowedDistricts],
    );
    const overlapM2 = overlaps[0]?.union_m2 ?? 0;

    const projectFigures: ProjectFigures = {
      projectLandM2: figures.project_m2,
      fragmentLandM2: figures.fragment_m2,
      supportingLandM2: figures.supporting_m2,
      totalFloorAreaM2: input.figures.totalFloorArea,
      supportingFloorAreaM2: input.figures.supportingFloorArea,
      factoryFloorAreaM2: input.figures.factoryFloorArea,
      pieces: figures.pieces,
    };
    return {
      area: areaInUnits(figures.project_m2),
      checks: evaluateRuleSet(ruleSet, projectFigures),
      pieces: figures.pieces,
      ruleSetVersion: ruleSet.version,
      ruleSet: { id: ruleSet.id, version: ruleSet.version, name: ruleSet.name, city: ruleSet.city },
      figures: {
        projectLandM2: roundTo(figures.project_m2, 2),
        fragmentLandM2: roundTo(figures.fragment_m2, 2),
        uncoveredLandM2: roundTo(figures.uncovered_m2, 2),
        supportingLandM2: roundTo(figures.supporting_m2, 2),
        parcelLandM2: roundTo(figures.parcel_m2, 2),
        inefficientLandM2: roundTo(figures.inefficient_m2, 2),
        inefficientShare: figures.project_m2 > 0 ? roundTo(figures.inefficient_m2 / figures.project_m2, 4) : null,
        gapToleranceM: tolerance,
        overlapM2: roundTo(overlapM2, 2),
        totalFloorAreaM2: input.figures.totalFloorArea,
        supportingFloorAreaM2: input.figures.supportingFloorArea,
        factoryFloorAreaM2: input.figures.factoryFloorArea,
      },
      parcels: (figures.parcels ?? []).map((parcel) => ({ ...parcel, areaM2: Number(parcel.areaM2), insideM2: Number(parcel.insideM2), share: Number(parcel.share) })),
      overlaps: overlaps.map((overlap) => ({ id: Number(overlap.id), name: overlap.name, status: overlap.status, overlapM2: roundTo(overlap.overlap_m2, 2) })),
    };
  } finally {
    client.release();
  }
}

/** GEOS validity reasons in Chinese, with what to do. */
function translateReason(reason: string): string {
  if (/Self-intersection/i.test(reason)) return '边界自相交：请移动交叉处的折点，使边线不相交';
  if (/Ring Self-intersection/i.test(reason)) return '环自相交';
  if (/Too few points/i.test(reason)) return '环的点数不足（至少 4 个点且首尾相同）';
  if (/Hole lies outside shell/i.test(reason)) return '洞在外环之外';
  if (/Nested shells/i.test(reason)) return '多边形互相嵌套';
  if (/Interior is disconnected/i.test(reason)) return '洞把多边形切成了不相连的部分';
  if (/Duplicate Rings/i.test(reason)) return '有重复的环';
  return '图形无效';
}
