import { sql } from 'kysely';
import { ADJACENCY_GAP_M, SPLIT_DENSIFY_M } from '../../domain/parcel-lineage.js';

/** SQL of splits and merges (parcel-lineage.repository.ts). */

const lineSql = (line: unknown) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(line)}), 4490)`;

/** Whether a drawn line can split parcel `id`: valid, meeting the parcel, ends outside it. */
export const splitLineFactsSql = (id: number, line: unknown) => sql<{ valid: boolean; reason: string; meets: boolean; start_inside: boolean; end_inside: boolean }>`
  WITH l AS (SELECT ${lineSql(line)} AS g)
  SELECT ST_IsValid(l.g) AS valid, ST_IsValidReason(l.g) AS reason, ST_Intersects(p.geom, l.g) AS meets,
         ST_Contains(p.geom, ST_StartPoint(l.g)) AS start_inside, ST_Contains(p.geom, ST_EndPoint(l.g)) AS end_inside
  FROM parcels p, l WHERE p.id = ${id}`;

/**
 * The parts of parcel `id` cut by the line, west to east: each part's ellipsoidal area, GeoJSON and
 * EWKB (hex, as the insert takes it). Edges longer than SPLIT_DENSIFY_M are first densified along
 * the geodesic (ST_Segmentize on geography): a cut point then lies on the geodesic edge, not on
 * the straight line in degrees beside it, so the parts add up to the whole (to well under 0.01 m²
 * on parcels of kilometres; without it a 1 km edge loses ~0.06 m²).
 */
export const splitPartsSql = (id: number, line: unknown) => sql<{ area_m2: number; geometry: unknown; ewkb: string }>`
  WITH l AS (SELECT ${lineSql(line)} AS g),
  parts AS (
    SELECT (ST_Dump(ST_Split(ST_SetSRID(ST_Segmentize(p.geom::geography, ${SPLIT_DENSIFY_M})::geometry, 4490), l.g))).geom AS g
    FROM parcels p, l WHERE p.id = ${id}
  )
  SELECT ST_Area(g::geography) AS area_m2, ST_AsGeoJSON(ST_Multi(g), 8)::json AS geometry, encode(ST_AsEWKB(ST_Multi(g)), 'hex') AS ewkb
  FROM parts
  ORDER BY ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g)) DESC`;

/** The parcels' rows as JSON (snake_case columns, without geometry), in the order of `ids`. */
export const parcelRowsSql = (ids: readonly number[]) => sql<{ row: Record<string, unknown> }>`
  SELECT to_jsonb(p) - 'geom' - 'geom_3857' AS row
  FROM parcels p JOIN unnest(${ids}::bigint[]) WITH ORDINALITY AS wanted (id, n) ON wanted.id = p.id
  ORDER BY wanted.n`;

/** What the 并宗 conditions are judged on, per parcel. */
export const mergeCandidatesSql = (ids: readonly number[]) => sql<{
  id: string; code: string; version: number; owner: string | null; ownership_nature: string | null; land_use_code: string | null;
  district_code: string; district_name: string; area_m2: number;
}>`
  SELECT p.id, p.code, p.version, p.owner, p.ownership_nature, p.land_use_code, p.district_code, d.name AS district_name, p.area_m2
  FROM parcels p JOIN districts d ON d.code = p.district_code
  JOIN unnest(${ids}::bigint[]) WITH ORDINALITY AS wanted (id, n) ON wanted.id = p.id
  ORDER BY wanted.n`;

/**
 * Pairs of the parcels whose boundaries run together: the length (m, geodesic) of a's boundary
 * within ADJACENCY_GAP_M of b. A corner touch gives centimetres, a shared edge its length.
 */
export const sharedBoundariesSql = (ids: readonly number[]) => sql<{ a: string; b: string; shared_m: number }>`
  SELECT a.id AS a, b.id AS b,
         ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_SetSRID(ST_Buffer(b.geom::geography, ${ADJACENCY_GAP_M})::geometry, 4490))::geography) AS shared_m
  FROM parcels a JOIN parcels b ON a.id < b.id
  WHERE a.id = ANY(${ids}::bigint[]) AND b.id = ANY(${ids}::bigint[])
    AND ST_DWithin(a.geom::geography, b.geom::geography, ${ADJACENCY_GAP_M})`;

/** The union of the parcels (EWKB hex), its ellipsoidal area and the sum of theirs. */
export const mergeUnionSql = (ids: readonly number[]) => sql<{ ewkb: string; union_m2: number; sum_m2: number }>`
  WITH u AS (SELECT ST_Multi(ST_Union(geom)) AS g, sum(area_m2) AS sum_m2 FROM parcels WHERE id = ANY(${ids}::bigint[]))
  SELECT encode(ST_AsEWKB(g), 'hex') AS ewkb, ST_Area(g::geography) AS union_m2, sum_m2 FROM u`;

/** Codes among `codes` held by a live or a retired parcel. */
export const takenCodesSql = (codes: readonly string[]) => sql<{ code: string }>`
  SELECT code FROM parcels WHERE code = ANY(${codes}::text[])
  UNION SELECT code FROM retired_parcels WHERE code = ANY(${codes}::text[])`;

/**
 * Inserts a parcel with the columns of `row` (snake_case; any column of parcels, so columns added
 * later are copied too), a new id and the geometry `ewkb`; area and tile copies are derived by
 * the table's trigger.
 */
export const insertParcelSql = (row: Record<string, unknown>, ewkb: string, actor: string) => sql<{ id: string; area_m2: number }>`
  INSERT INTO parcels
  SELECT (jsonb_populate_record(NULL::parcels, ${JSON.stringify(row)}::jsonb || jsonb_build_object(
    'id', nextval(pg_get_serial_sequence('parcels', 'id')), 'geom', ${ewkb}::text,
    'version', 1, 'created_at', now(), 'updated_at', now(), 'updated_by', ${actor}::text))).*
  RETURNING id, area_m2`;

/**
 * Moves parcels into the archive (same transaction as their successors' insert) and out of parcels;
 * their yearly 产值/税收 go with them into `attributes` (the rows themselves are deleted with the parcel).
 */
export const retireParcelsSql = (ids: readonly number[], reason: 'split' | 'merge', successors: readonly number[], operationId: string, actor: string) => sql`
  WITH moved AS (
    INSERT INTO retired_parcels (id, code, district_code, owner, area_m2, geom, attributes, retired_by, retired_reason, successor_ids, operation_id)
    SELECT p.id, p.code, p.district_code, p.owner, p.area_m2, p.geom,
           to_jsonb(p) - 'geom' - 'geom_3857' || jsonb_build_object('yearly_figures', coalesce((
             SELECT jsonb_agg(jsonb_build_object('year', y.year, 'output_wan', y.output_wan, 'tax_wan', y.tax_wan) ORDER BY y.year)
             FROM parcel_yearly_figures y WHERE y.parcel_id = p.id), '[]'::jsonb)),
           ${actor}, ${reason}, ${successors}::bigint[], ${operationId}::bigint
    FROM parcels p WHERE p.id = ANY(${ids}::bigint[])
    RETURNING id
  )
  DELETE FROM parcels p USING moved WHERE p.id = moved.id`;

/**
 * The 用地单位 accounts linked to the retiring parcels (enterprise_parcels) are linked to their
 * successors before the parents leave `parcels` (whose delete cascades the old links): the parts of a
 * split, or the merged parcel, stay the enterprise's. Each new link is a history row, granted by the writer.
 */
export const carryEnterpriseLinksSql = (parents: readonly number[], children: readonly number[], actor: string) => sql`
  INSERT INTO enterprise_parcels (user_id, parcel_id, granted_by)
  SELECT DISTINCT ep.user_id, child.id, ${actor}
  FROM enterprise_parcels ep CROSS JOIN unnest(${children}::bigint[]) AS child(id)
  WHERE ep.parcel_id = ANY(${parents}::bigint[])
  ON CONFLICT DO NOTHING`;

/** The operations that made or retired parcel `id`, with each parcel's retired state. */
export const operationsOfSql = (id: number) => sql<{
  id: string; kind: 'split' | 'merge'; at: Date; actor: string; note: string | null;
  parent_ids: string[]; parent_codes: string[]; child_ids: string[]; child_codes: string[]; retired_ids: string[];
}>`
  SELECT o.id, o.kind, o.at, o.actor, o.note, o.parent_ids, o.parent_codes, o.child_ids, o.child_codes,
         ARRAY(SELECT r.id FROM retired_parcels r WHERE r.id = ANY(o.parent_ids || o.child_ids)) AS retired_ids
  FROM parcel_lineage o
  WHERE o.parent_ids @> ARRAY[${id}]::bigint[] OR o.child_ids @> ARRAY[${id}]::bigint[]
  ORDER BY o.id`;

/** A retired parcel with its district's name and the live parcels it became. */
export const retiredParcelSql = (id: number) => sql<{
  id: string; code: string; district_code: string; district_name: string; retired_at: Date; retired_reason: 'split' | 'merge';
  successors: { id: number; code: string }[];
}>`
  SELECT r.id, r.code, r.district_code, d.name AS district_name, r.retired_at, r.retired_reason,
         coalesce((SELECT json_agg(json_build_object('id', p.id, 'code', p.code) ORDER BY p.id)
                   FROM parcels p WHERE p.id = ANY(parcel_successors(ARRAY[r.id]))), '[]'::json) AS successors
  FROM retired_parcels r JOIN districts d ON d.code = r.district_code
  WHERE r.id = ${id}`;

/** The yearly 产值/税收 (万元) of parcels (seed 003 附件4). */
export const yearlyFiguresSql = (ids: readonly number[]) => sql<{ parcel_id: string; year: number; output_wan: string | null; tax_wan: string | null }>`
  SELECT parcel_id, year, output_wan, tax_wan FROM parcel_yearly_figures WHERE parcel_id = ANY(${ids}::bigint[]) ORDER BY year, parcel_id`;

/** Writes yearly figures of new parcels. */
export const insertYearlyFiguresSql = (rows: readonly { parcelId: number; year: number; outputWan: number | null; taxWan: number | null }[], actor: string) => sql`
  INSERT INTO parcel_yearly_figures (parcel_id, year, output_wan, tax_wan, updated_by)
  SELECT f.parcel_id, f.year, f.output_wan, f.tax_wan, ${actor}
  FROM unnest(${rows.map((row) => row.parcelId)}::bigint[], ${rows.map((row) => row.year)}::int[],
              ${rows.map((row) => row.outputWan)}::numeric[], ${rows.map((row) => row.taxWan)}::numeric[]) AS f (parcel_id, year, output_wan, tax_wan)`;
