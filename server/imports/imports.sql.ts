import { sql, type RawBuilder } from 'kysely';
import { SURVEY_RANGES } from '../../domain/import/field-mapping.js';

/**
 * The valid features of a staged layer, tested set-based in one UPDATE: in range, valid, no
 * repeated vertices, a positive area. CASE keeps ST_IsValid away from NaN or huge coordinates,
 * which import_check_geometry() reports feature by feature.
 */
export const IMPORT_CHECK_FAST_PATH = sql`CASE WHEN _geom IS NULL OR ST_IsEmpty(_geom) THEN false
  WHEN NOT coalesce(ST_XMin(_geom) >= -180 AND ST_XMax(_geom) <= 180 AND ST_YMin(_geom) >= -90 AND ST_YMax(_geom) <= 90, false) THEN false
  ELSE ST_IsValid(_geom) AND ST_NPoints(_geom) = ST_NPoints(ST_RemoveRepeatedPoints(_geom)) AND ST_Area(_geom) > 0 END`;

/**
 * A staged row `s` as validation left it. Validation writes only the exceptions: a feature the
 * fast path accepts keeps `_status` NULL (valid) and its geometry in `_geom`, so a million valid
 * rows are read, never rewritten; a feature checked one by one has its status, messages, repaired
 * geometry (`_fixed`) and area written.
 */
export const STAGED_STATUS = sql<string>`coalesce(s._status, 'valid')`;
/**
 * The geometry to keep of a valid or repaired staged row `s` (meaningless for a rejected one): cut
 * to the importer's scope when they chose 裁剪 (`_clipped`), else repaired, else as read.
 */
export const STAGED_GEOMETRY = sql`coalesce(s._clipped, s._fixed, s._geom)`;
/** The ellipsoidal area of a staged row `s`, m²: computed for fast-path and cut rows, stored for the others (NULL when rejected). */
export const STAGED_AREA = sql<number | null>`CASE WHEN s._clipped IS NOT NULL THEN ST_Area(s._clipped::geography) WHEN s._status IS NULL THEN ST_Area(s._geom::geography) ELSE s._area_m2 END`;
/**
 * Staged rows `s` that are written: valid or repaired, not wholly outside the importer's scope
 * (every commit leaves those out, 跳过 and 裁剪 alike, and none is made without a decision when
 * there are some: no row is rewritten to say so), and not left out otherwise (`_excluded`: a cut
 * that left nothing).
 */
export const STAGED_KEPT = sql<boolean>`coalesce(s._status, 'valid') IN ('valid', 'repaired') AND s._extent IS DISTINCT FROM 'outside' AND s._excluded IS NOT TRUE`;

/**
 * The source attributes of a staged row `s` as jsonb, built from the field list: `to_jsonb(row)`
 * would first turn the row's geometries into GeoJSON text, the most expensive part of a
 * million-row commit. In chunks of 40 pairs: jsonb_build_object takes at most 100 arguments.
 */
export function attributesExpression(fields: readonly string[]): RawBuilder<unknown> {
  if (fields.length === 0) return sql`'{}'::jsonb`;
  const chunks: RawBuilder<unknown>[] = [];
  for (let start = 0; start < fields.length; start += 40) {
    const pairs = fields.slice(start, start + 40).flatMap((field) => [sql`${field}::text`, sql`${sql.id('s', field)}`]);
    chunks.push(sql`jsonb_build_object(${sql.join(pairs)})`);
  }
  return sql.join(chunks, sql` || `);
}

/**
 * The source attributes of a staged row \`s\` as jsonb, from a lateral row of the source fields:
 * \`FROM staging s ${attributesLateral(fields)}\` and \`to_jsonb(a)\` in the select list. The same
 * value as attributesExpression, at less than half its cost (one row conversion instead of a
 * jsonb_build_object of every pair).
 */
export function attributesLateral(fields: readonly string[]): RawBuilder<unknown> {
  if (fields.length === 0) return sql`CROSS JOIN LATERAL (SELECT) a`;
  return sql`CROSS JOIN LATERAL (SELECT ${sql.join(fields.map((field) => sql`${sql.id('s', field)} AS ${sql.id(field)}`))}) a`;
}

/** Columns of survey_patches filled from mapped fields: column, mapping target, numeric. */
export const SURVEY_COLUMNS: readonly [column: string, target: string, numeric: boolean][] = [
  ['bsm', 'bsm', false],
  ['land_use_code', 'landUseCode', false],
  ['land_use_name', 'landUseName', false],
  ['owner_unit_name', 'ownerUnitName', false],
  ['located_unit_name', 'locatedUnitName', false],
  ['patch_area_m2', 'patchArea', true],
  ['deduction_area_m2', 'deductionArea', true],
  ['patch_land_area_m2', 'patchLandArea', true],
  ['urban_rural_code', 'urbanRuralCode', false],
];

/** The source field mapped to `target`, or null. */
export function sourceFieldFor(mapping: Record<string, string | null>, target: string): string | null {
  return Object.entries(mapping).find(([, mapped]) => mapped === target)?.[0] ?? null;
}

/** The largest value a numeric survey column takes (SURVEY_RANGES, inside the column's precision). */
export function surveyColumnMaximum(target: string): number {
  return SURVEY_RANGES[target]?.maximum ?? 1e12;
}

/** A mapped numeric field of a staged row `s` as numeric (NULL when it is no number). */
export function stagedNumber(field: string, types: StagedTypes = NO_TYPES): RawBuilder<number | null> {
  const column = sql.id('s', field);
  const type = types.get(field);
  // A column GDAL wrote as a number needs no text pattern (about 1 µs a value on a million rows).
  if (type === 'integer' || type === 'bigint' || type === 'smallint') return sql<number | null>`${column}::numeric`;
  if (type === 'double precision' || type === 'real') return sql<number | null>`import_float_to_numeric(${column}::float8)`;
  return sql<number | null>`import_to_numeric(${column}::text)`;
}

/** The types of a staged table's columns by name (format_type), as GDAL created them. */
export type StagedTypes = ReadonlyMap<string, string>;
const NO_TYPES: StagedTypes = new Map();

/**
 * The values of SURVEY_COLUMNS for a staged row `s`: trimmed text or import_to_numeric(), NULL when
 * unmapped, and NULL for a figure past its maximum (validation noted it): never a numeric overflow.
 */
export function surveyColumnValues(mapping: Record<string, string | null>, options: { aliased?: boolean; types?: StagedTypes } = {}): RawBuilder<unknown> {
  return sql.join(SURVEY_COLUMNS.map(([, target, numeric], index) => {
    const field = sourceFieldFor(mapping, target);
    const value = !field ? sql`NULL`
      : numeric ? sql`CASE WHEN abs(${stagedNumber(field, options.types)}) <= ${surveyColumnMaximum(target)} THEN ${stagedNumber(field, options.types)} END`
        : sql`nullif(trim(${sql.id('s', field)}::text), '')`;
    // Named v0, v1 … when selected into a CTE: NULL alone would have type text.
    return options.aliased ? sql`${numeric ? sql`(${value})::numeric` : sql`(${value})::text`} AS ${sql.id(`v${index}`)}` : value;
  }));
}

/**
 * The CTEs `scope` (the union of the importer's districts; `districts` null: every district),
 * `city` (the city's outline, else the union of its districts) and `pieces` (the scope cut into
 * small pieces) of the extent check.
 */
export function extentScopeCtes(districts: readonly string[] | null): RawBuilder<unknown> {
  const inScope = districts === null ? sql`true` : sql`code = ANY(${[...districts]}::text[])`;
  return sql`scope AS MATERIALIZED (SELECT ST_Union(geom) AS g FROM districts WHERE level = 'district' AND ${inScope}),
    city AS MATERIALIZED (SELECT coalesce((SELECT geom FROM districts WHERE level = 'city' ORDER BY code LIMIT 1), (SELECT ST_Union(geom) FROM districts WHERE level = 'district')) AS g),
    pieces AS MATERIALIZED (SELECT ST_Subdivide(g, 64) AS g FROM scope)`;
}

/**
 * The area (m², ellipsoidal) of `geometry` inside the scope of extentScopeCtes: 0 when there is
 * none or it does not meet it, else summed over the scope's small pieces (an intersection with the
 * whole scope costs milliseconds a feature).
 */
export function scopeShare(geometry: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`CASE WHEN scope.g IS NULL OR NOT ST_Intersects(scope.g, ${geometry}) THEN 0
    ELSE (SELECT coalesce(sum(ST_Area(ST_Intersection(pieces.g, ${geometry})::geography)), 0) FROM pieces WHERE pieces.g && ${geometry}) END`;
}

/** Outside the scope: less than 0.5 % of `area` inside (`inside`, see scopeShare); partly: more than 0.5 % and more than 1 m² outside. */
export const EXTENT_OF = (area: RawBuilder<unknown>, inside: RawBuilder<unknown>) => sql<string>`CASE WHEN ${inside} < 0.005 * ${area} THEN 'outside' ELSE 'partly' END`;
export const SOME_OUTSIDE = (area: RawBuilder<unknown>, inside: RawBuilder<unknown>) => sql<boolean>`${area} - ${inside} > 0.005 * ${area} AND ${area} - ${inside} > 1`;

/** The note on a feature whose ellipsoidal `area` differs from its TBMJ (`declared`) by more than 0.5 %. */
export const areaMismatchNote = (area: RawBuilder<unknown>, declared: RawBuilder<unknown>) =>
  sql<string>`format('椭球面积 %s m² 与 TBMJ %s m² 相差 %s%%', round((${area})::numeric, 2), ${declared}, round((abs(${area} - (${declared})::float8) / nullif((${declared})::float8, 0) * 100)::numeric, 2))`;

/**
 * One batch (`from` ≤ fid < `to`) of a staged survey layer checked and written into its prepared
 * layer, in one statement and one read of each feature:
 * - `checked`: the few features off the fast path (IMPORT_CHECK_FAST_PATH), through
 *   import_check_geometry() (repaired or rejected);
 * - `kept`: the valid and repaired ones, each one's ellipsoidal area computed once;
 * - `outside`: those not covered by the importer's scope, by their share inside it;
 * - `rows`: a layer id for every one not wholly outside, and the TBMJ comparison;
 * - `written`: the rows of the prepared layer, and `cells` the batch's count and area per finest
 *   grid cell (level 18) and 一级类;
 * - `flagged`: only the exceptions written back to staging (status, repair, extent, layer row of
 *   a feature partly outside, TBMJ note), as validateBatch, checkExtent and flagAreaMismatch do.
 * Answers how many features differ from their TBMJ.
 */
export function preparedBatchSql(batch: {
  staged: RawBuilder<unknown>; prepared: RawBuilder<unknown>; cells: RawBuilder<unknown>; layerId: number; year: number;
  mapping: Record<string, string | null>; fields: readonly string[]; types: StagedTypes; districts: readonly string[] | null; areaField: string | null; from: number; to: number;
}): RawBuilder<{ mismatches: number }> {
  const range = sql`s._fid >= ${batch.from} AND s._fid < ${batch.to}`;
  const declared = batch.areaField ? stagedNumber(batch.areaField, batch.types) : sql`NULL::numeric`;
  // The messages before the TBMJ note: the check's for a feature checked one by one, else as they were.
  const messages = sql`CASE WHEN n.was_checked THEN n.messages ELSE s._messages END`;
  return sql<{ mismatches: number }>`
    WITH ${extentScopeCtes(batch.districts)},
    checked AS MATERIALIZED (
      SELECT f._fid, c.status, c.messages, c.fixed
      FROM (SELECT s._fid, s._geom FROM ${batch.staged} s WHERE ${range} AND NOT coalesce(${IMPORT_CHECK_FAST_PATH}, false)) f
      CROSS JOIN LATERAL import_check_geometry(f._geom) c),
    kept AS MATERIALIZED (
      SELECT s._fid, g.geom, ST_Area(g.geom::geography) AS area, ${declared} AS declared
      FROM ${batch.staged} s LEFT JOIN checked c ON c._fid = s._fid
      CROSS JOIN LATERAL (SELECT coalesce(c.fixed, s._geom) AS geom) g
      WHERE ${range} AND (c._fid IS NULL OR c.status IN ('valid', 'repaired'))),
    shares AS MATERIALIZED (
      SELECT k._fid, k.geom, k.area, ${scopeShare(sql`k.geom`)} AS inside
      FROM kept k, scope WHERE scope.g IS NULL OR NOT ST_Covers(scope.g, k.geom)),
    outside AS MATERIALIZED (
      SELECT x._fid, ${EXTENT_OF(sql`x.area`, sql`x.inside`)} AS extent, city.g IS NULL OR NOT ST_Intersects(city.g, x.geom) AS outside_city
      FROM shares x, city WHERE ${SOME_OUTSIDE(sql`x.area`, sql`x.inside`)}),
    rows AS MATERIALIZED (
      SELECT k._fid, k.geom, k.area, k.declared, o.extent, o.outside_city,
        CASE WHEN o.extent IS DISTINCT FROM 'outside' THEN nextval('survey_patches_id_seq') END AS pid,
        coalesce(k.declared > 0 AND k.declared < 1e15 AND abs(k.area - k.declared::float8) / k.declared::float8 > 0.005, false) AS mismatch
      FROM kept k LEFT JOIN outside o ON o._fid = k._fid),
    written AS (
      INSERT INTO ${batch.prepared} (id, layer_id, year, ${sql.raw(SURVEY_COLUMNS.map(([column]) => column).join(', '))}, attributes, geom, geom_3857, area_m2)
      SELECT r.pid, ${batch.layerId}, ${batch.year}, ${surveyColumnValues(batch.mapping, { types: batch.types })}, to_jsonb(a), r.geom, ST_Transform(r.geom, 3857), r.area
      FROM rows r JOIN ${batch.staged} s ON s._fid = r._fid AND ${range} ${attributesLateral(batch.fields)}
      WHERE r.pid IS NOT NULL
      RETURNING geom_3857, land_use_code, area_m2),
    cells AS (
      INSERT INTO ${batch.cells} (cx, cy, class, patches, area_m2)
      SELECT cell_column((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / 2, 18), cell_row((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / 2, 18),
        survey_cell_class(land_use_code), count(*)::integer, sum(area_m2)
      FROM written GROUP BY 1, 2, 3),
    notes AS MATERIALIZED (
      SELECT coalesce(c._fid, r._fid) AS _fid, c._fid IS NOT NULL AS was_checked, c.status, c.messages, c.fixed,
        r.area, r.declared, r.extent, r.outside_city, r.pid, coalesce(r.mismatch, false) AS mismatch
      FROM checked c FULL JOIN rows r ON r._fid = c._fid
      WHERE c._fid IS NOT NULL OR r.extent IS NOT NULL OR r.mismatch),
    flagged AS (
      UPDATE ${batch.staged} s SET
        _status = CASE WHEN n.was_checked THEN n.status ELSE s._status END,
        _fixed = CASE WHEN n.was_checked THEN n.fixed ELSE s._fixed END,
        _area_m2 = CASE WHEN n.was_checked THEN n.area ELSE s._area_m2 END,
        _messages = CASE WHEN n.mismatch THEN coalesce(${messages}, ARRAY[]::text[]) || ${areaMismatchNote(sql`n.area`, sql`n.declared`)} ELSE ${messages} END,
        _extent = n.extent, _outside_city = n.outside_city,
        _patch_id = CASE WHEN n.extent = 'partly' THEN n.pid ELSE s._patch_id END
      FROM notes n WHERE s._fid = n._fid
      RETURNING n.mismatch)
    SELECT count(*) FILTER (WHERE mismatch)::int AS mismatches FROM flagged`;
}
