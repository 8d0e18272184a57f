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
/** Staged rows `s` that are written: valid or repaired, and not left out as outside the importer's scope (`_excluded`). */
export const STAGED_KEPT = sql<boolean>`coalesce(s._status, 'valid') IN ('valid', 'repaired') AND s._excluded IS NOT TRUE`;

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
export const stagedNumber = (field: string) => sql<number | null>`import_to_numeric(${sql.id('s', field)}::text)`;

/**
 * The values of SURVEY_COLUMNS for a staged row `s`: trimmed text or import_to_numeric(), NULL when
 * unmapped, and NULL for a figure past its maximum (validation noted it): never a numeric overflow.
 */
export function surveyColumnValues(mapping: Record<string, string | null>, options: { aliased?: boolean } = {}): RawBuilder<unknown> {
  return sql.join(SURVEY_COLUMNS.map(([, target, numeric], index) => {
    const field = sourceFieldFor(mapping, target);
    const value = !field ? sql`NULL`
      : numeric ? sql`CASE WHEN abs(${stagedNumber(field)}) <= ${surveyColumnMaximum(target)} THEN ${stagedNumber(field)} END`
        : sql`nullif(trim(${sql.id('s', field)}::text), '')`;
    // Named v0, v1 … when selected into a CTE: NULL alone would have type text.
    return options.aliased ? sql`${numeric ? sql`(${value})::numeric` : sql`(${value})::text`} AS ${sql.id(`v${index}`)}` : value;
  }));
}
