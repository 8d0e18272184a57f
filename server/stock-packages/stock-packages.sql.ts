import { sql } from 'kysely';
import { COMPARISON_IGNORED_COLUMNS, PACKAGE_PARCEL_STATUSES } from '../../domain/stock-packages.js';
import { LEGACY_STATUSES } from '../../domain/legacy-land.js';
import { PROBLEM_FINAL_STATUSES } from '../../domain/problems.js';
import { PARCEL_FIELDS, type GeodataField, type GeodataLayerQuery } from '../exports/geodata.sql.js';
import { literal } from '../exports/parcel-filter.sql.js';
import { SQUARE_METRES_PER_MU } from '../../domain/units.js';

/** The columns of a package as PackageRow, over `stock_packages s JOIN districts d` (counts from its items). */
export const PACKAGE_COLUMNS = sql`s.id::int AS id, s.district_code AS "districtCode", d.name AS "districtName", s.version, to_char(s.as_of, 'YYYY-MM-DD') AS "asOf",
  s.title, s.status, s.status_at AS "statusAt", s.previous_id::int AS "previousId", s.assembled_at AS "assembledAt", s.assembled_by AS "assembledBy",
  s.consent_document_no AS "consentDocumentNo", to_char(s.consent_date, 'YYYY-MM-DD') AS "consentDate", s.consent_note AS "consentNote",
  s.consent_file_name AS "consentFileName", s.consent_media_type AS "consentMediaType", s.consent_byte_size::int AS "consentByteSize",
  s.review_remarks AS "reviewRemarks", s.created_by AS "createdBy", s.created_at AS "createdAt",
  coalesce(c.parcel_count, 0)::int AS "parcelCount", coalesce(c.legacy_count, 0)::int AS "legacyCount", coalesce(c.problem_count, 0)::int AS "problemCount",
  coalesce(c.parcel_area, 0)::float8 AS "parcelAreaM2", coalesce(c.legacy_area, 0)::float8 AS "legacyAreaM2"`;

/** The counts of each package's items (a LATERAL join on `s`). */
export const PACKAGE_COUNTS = sql`LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE i.kind = 'parcel') AS parcel_count, count(*) FILTER (WHERE i.kind = 'legacy') AS legacy_count,
           count(*) FILTER (WHERE i.kind = 'problem') AS problem_count,
           sum(i.area_m2) FILTER (WHERE i.kind = 'parcel') AS parcel_area, sum(i.area_m2) FILTER (WHERE i.kind = 'legacy') AS legacy_area
    FROM stock_package_items i WHERE i.package_id = s.id) c ON true`;

/**
 * Takes the snapshot of a package: every 低效用地 parcel of the district (PACKAGE_PARCEL_STATUSES),
 * every 历史遗留用地 record and every problem, each row whole (to_jsonb without its geometry), in one
 * statement (one consistent view of the three).
 */
export const snapshotSql = (packageId: number, districtCode: string) => sql`
  INSERT INTO stock_package_items (package_id, kind, item_id, item_key, fields, geom, geom_hash, area_m2)
  SELECT ${packageId}::bigint, 'parcel', p.id, p.code, to_jsonb(p) - 'geom' - 'geom_3857' - 'label_point', p.geom, md5(ST_AsBinary(p.geom)), p.area_m2
  FROM parcels p WHERE p.district_code = ${districtCode} AND p.status = ANY(${[...PACKAGE_PARCEL_STATUSES]}::text[])
  UNION ALL
  SELECT ${packageId}::bigint, 'legacy', l.id, l.number, to_jsonb(l) - 'geom' - 'geom_3857', l.geom, md5(ST_AsBinary(l.geom)), l.area_m2
  FROM legacy_lands l WHERE l.district_code = ${districtCode}
  UNION ALL
  SELECT ${packageId}::bigint, 'problem', q.id, q.number, to_jsonb(q), NULL, NULL, NULL
  FROM stock_problems q WHERE q.district_code = ${districtCode}`;

/** Counts and areas of a package's items by one of their fields. */
export const groupSql = (packageId: number, kind: string, field: string) => sql<{ code: string; count: number; areaM2: number }>`
  SELECT coalesce(fields->>${field}, 'none') AS code, count(*)::int AS count, coalesce(sum(area_m2), 0)::float8 AS "areaM2"
  FROM stock_package_items WHERE package_id = ${packageId} AND kind = ${kind} GROUP BY 1 ORDER BY 2 DESC, 1`;

/** Problems of a package overdue on its date: 办结时限 before it and not 办结. */
export const overdueSql = (packageId: number) => sql<{ overdue: number }>`
  SELECT count(*)::int AS overdue FROM stock_package_items i JOIN stock_packages s ON s.id = i.package_id
  WHERE i.package_id = ${packageId} AND i.kind = 'problem' AND (i.fields->>'due_date')::date < s.as_of
    AND NOT (i.fields->>'status' = ANY(${[...PROBLEM_FINAL_STATUSES]}::text[]))`;

/** A readable name of an item: the parcel's owner, the record's name, the problem's title. */
const LABEL = (alias: string) => `CASE ${alias}.kind WHEN 'parcel' THEN coalesce(${alias}.fields->>'owner', ${alias}.fields->>'location') WHEN 'legacy' THEN coalesce(${alias}.fields->>'name', ${alias}.fields->>'current_use') ELSE ${alias}.fields->>'title' END`;

export const itemsSql = (packageId: number, kind: string, limit: number, offset: number) => sql<{ kind: string; itemId: number; key: string; label: string | null; areaM2: number | null; fields: Record<string, unknown> }>`
  SELECT i.kind, i.item_id::int AS "itemId", i.item_key AS key, ${sql.raw(LABEL('i'))} AS label, i.area_m2 AS "areaM2", i.fields
  FROM stock_package_items i WHERE i.package_id = ${packageId} AND i.kind = ${kind}
  ORDER BY i.item_key LIMIT ${limit} OFFSET ${offset}`;

/** The items of two packages as CTEs `a` (earlier) and `b` (later). */
const pairs = (fromId: number, toId: number) => sql`a AS (SELECT * FROM stock_package_items WHERE package_id = ${fromId}),
  b AS (SELECT * FROM stock_package_items WHERE package_id = ${toId})`;
/** An item of both differs: its shape, or a column that is not bookkeeping. */
const differs = sql`(a.geom_hash IS DISTINCT FROM b.geom_hash
  OR (a.fields - ${[...COMPARISON_IGNORED_COLUMNS]}::text[]) IS DISTINCT FROM (b.fields - ${[...COMPARISON_IGNORED_COLUMNS]}::text[]))`;

/**
 * What changed from package `fromId` to `toId`: items added, removed, and changed (matched by kind
 * and record id), with the changed columns (bookkeeping columns left out) and `geometry` when the
 * shape differs. `limit` rows at most, in kind and key order; `total` counts them all.
 */
export const comparisonSql = (fromId: number, toId: number, limit: number) => sql<{
  kind: string; change: 'added' | 'removed' | 'changed'; itemId: number; key: string; label: string | null;
  areaBeforeM2: number | null; areaAfterM2: number | null; fields: { field: string; before: unknown; after: unknown }[]; total: number;
}>`
  WITH ${pairs(fromId, toId)},
  joined AS (
    SELECT coalesce(b.kind, a.kind) AS kind, coalesce(b.item_id, a.item_id) AS item_id, coalesce(b.item_key, a.item_key) AS key,
      coalesce(${sql.raw(LABEL('b'))}, ${sql.raw(LABEL('a'))}) AS label,
      CASE WHEN a.item_id IS NULL THEN 'added' WHEN b.item_id IS NULL THEN 'removed' ELSE 'changed' END AS change,
      a.area_m2 AS area_before, b.area_m2 AS area_after, a.fields AS before_fields, b.fields AS after_fields,
      a.geom_hash IS DISTINCT FROM b.geom_hash AS geometry_changed
    FROM a FULL JOIN b ON a.kind = b.kind AND a.item_id = b.item_id
    WHERE a.item_id IS NULL OR b.item_id IS NULL OR ${differs}
  )
  SELECT j.kind, j.change, j.item_id::int AS "itemId", j.key, j.label, j.area_before AS "areaBeforeM2", j.area_after AS "areaAfterM2",
    CASE WHEN j.change <> 'changed' THEN '[]'::jsonb ELSE (
      SELECT coalesce(jsonb_agg(jsonb_build_object('field', k.key, 'before', j.before_fields->k.key, 'after', j.after_fields->k.key) ORDER BY k.key), '[]'::jsonb)
      FROM (SELECT jsonb_object_keys(j.before_fields) AS key UNION SELECT jsonb_object_keys(j.after_fields)) k
      WHERE NOT (k.key = ANY(${[...COMPARISON_IGNORED_COLUMNS]}::text[])) AND (j.before_fields->k.key) IS DISTINCT FROM (j.after_fields->k.key)
    ) || CASE WHEN j.geometry_changed THEN jsonb_build_array(jsonb_build_object('field', 'geometry', 'before', round(j.area_before::numeric, 2), 'after', round(j.area_after::numeric, 2))) ELSE '[]'::jsonb END
    END AS fields,
    count(*) OVER ()::int AS total
  FROM joined j
  ORDER BY CASE j.kind WHEN 'parcel' THEN 1 WHEN 'legacy' THEN 2 ELSE 3 END, CASE j.change WHEN 'added' THEN 1 WHEN 'removed' THEN 2 ELSE 3 END, j.key
  LIMIT ${limit}`;

/** Counts of a comparison by kind and change (complete, whatever the listed rows' limit). */
export const comparisonCountsSql = (fromId: number, toId: number) => sql<{ kind: string; added: number; removed: number; changed: number }>`
  WITH ${pairs(fromId, toId)}
  SELECT coalesce(b.kind, a.kind) AS kind,
    count(*) FILTER (WHERE a.item_id IS NULL)::int AS added, count(*) FILTER (WHERE b.item_id IS NULL)::int AS removed,
    count(*) FILTER (WHERE a.item_id IS NOT NULL AND b.item_id IS NOT NULL AND ${differs})::int AS changed
  FROM a FULL JOIN b ON a.kind = b.kind AND a.item_id = b.item_id
  GROUP BY 1`;

// Export layers ---------------------------------------------------------------------------------

const id = (value: number) => {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError('a package id must be a positive integer');
  return value;
};

/** The package's parcels as the parcel export writes parcels: the same fields, read back from the snapshot. */
export function packageParcelsQuery(packageId: number): GeodataLayerQuery {
  return {
    name: 'dixiao_parcels',
    title: '低效用地',
    fields: PARCEL_FIELDS,
    from: `stock_package_items i CROSS JOIN LATERAL jsonb_populate_record(NULL::parcels, i.fields) p LEFT JOIN districts d ON d.code = p.district_code
      WHERE i.package_id = ${id(packageId)} AND i.kind = 'parcel'`,
    geometry: 'i.geom',
  };
}

const legacyStatusSql = `CASE l.status ${LEGACY_STATUSES.map((status) => `WHEN ${literal(status.code)} THEN ${literal(status.label)}`).join(' ')} ELSE l.status END`;

const LEGACY_FIELDS: GeodataField[] = [
  { key: 'id', name: '系统编号', label: '系统编号', type: '整数', sql: 'l.id' },
  { key: 'number', name: '编号', label: '编号', type: '文本', sql: 'l.number' },
  { key: 'districtName', name: '行政区', label: '行政区', type: '文本', sql: 'd.name' },
  { key: 'name', name: '名称', label: '名称', type: '文本', sql: 'l.name' },
  { key: 'location', name: '坐落', label: '坐落', type: '文本', sql: 'l.location' },
  { key: 'userName', name: '使用人', label: '使用人', type: '文本', sql: 'l.user_name' },
  { key: 'currentUse', name: '现状用途', label: '现状用途', type: '文本', sql: 'l.current_use' },
  { key: 'landUseCode', name: '地类编码', label: '现状地类编码', type: '文本', sql: 'l.land_use_code' },
  { key: 'floorAreaM2', name: '建筑面积', label: '建筑面积', unit: 'm²', type: '数值', sql: 'round(l.floor_area_m2::numeric, 2)::numeric(20,2)' },
  { key: 'period', name: '发生时期', label: '发生时期（代码）', type: '文本', sql: 'l.period' },
  { key: 'surveyYear', name: '调查年度', label: '国土调查年度', type: '整数', sql: 'l.survey_year' },
  { key: 'surveyBsm', name: '图斑标识码', label: '调查图斑 BSM', type: '文本', sql: 'l.survey_bsm' },
  { key: 'standard', name: '认定标准', label: '认定标准', type: '文本', sql: 'l.standard' },
  { key: 'disposalPolicy', name: '处置政策', label: '处置政策', type: '文本', sql: 'l.disposal_policy' },
  { key: 'status', name: '状态', label: '状态', type: '文本', sql: legacyStatusSql, labels: { values: LEGACY_STATUSES.map((status) => status.label), code: 'l.status' } },
  { key: 'areaM2', name: '椭球面积', label: '椭球面积', unit: 'm²', type: '数值', sql: 'round(i.area_m2::numeric, 2)::numeric(20,2)' },
  { key: 'areaMu', name: '椭球面积亩', label: '椭球面积', unit: '亩', type: '数值', sql: `round(i.area_m2::numeric / ${SQUARE_METRES_PER_MU}, 4)::numeric(20,4)` },
];

/** The package's 历史遗留用地 records, read back from the snapshot. */
export function packageLegacyQuery(packageId: number): GeodataLayerQuery {
  return {
    name: 'legacy_lands',
    title: '历史遗留用地',
    fields: LEGACY_FIELDS,
    from: `stock_package_items i CROSS JOIN LATERAL jsonb_populate_record(NULL::legacy_lands, i.fields) l LEFT JOIN districts d ON d.code = l.district_code
      WHERE i.package_id = ${id(packageId)} AND i.kind = 'legacy'`,
    geometry: 'i.geom',
  };
}
