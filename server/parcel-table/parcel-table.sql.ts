import { sql, type RawBuilder } from 'kysely';
import type { ParcelTableFilter, TableSort } from '../../domain/api/parcel-table.schemas.js';
import { TABLE_NUMBER_KEYS } from '../../domain/api/parcel-table.schemas.js';
import { columnName, PARCEL_FIELDS } from '../../domain/parcel-fields.js';
import type { Scope } from '../auth/scope.js';
import { parcelFilterSql } from '../exports/parcel-filter.sql.js';

/**
 * SQL of the attribute table over `parcels p`. Which parcels is one condition: the exports' filter
 * (district, 街道/园区, status, type, land use, box and the reader's scope, `parcelFilterSql`) and
 * the table's own keys (industry, text search, ranges, a drawn polygon) as parameters.
 */

/** The five searched texts in one lower-case text: the expression of the trigram index (migration 0026). */
export const SEARCH_TEXT = sql<string>`parcel_search_text(p.code, p.owner, p.location, p.contract_no, p.certificate_no)`;

/** `%text%` for LIKE, lower-cased, with LIKE's own characters taken literally. */
export function containsPattern(text: string): string {
  return `%${text.trim().toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** `text%` for a prefix match, LIKE's characters taken literally. */
export function prefixPattern(text: string): string {
  return `${text.trim().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The condition of the filter and the scope over `parcels p`. */
export function tableFilterSql(filter: ParcelTableFilter, scope: Scope): RawBuilder<boolean> {
  const { district, townOrPark, status, type, category, landUse, bbox } = filter;
  const conditions: RawBuilder<unknown>[] = [sql.raw(parcelFilterSql({ district, townOrPark, status, type, category, landUse, bbox }, scope))];
  if (filter.industry) conditions.push(sql`p.industry_code LIKE ${prefixPattern(filter.industry)}`);
  if (filter.q && filter.q.trim() !== '') conditions.push(sql`${SEARCH_TEXT} LIKE ${containsPattern(filter.q)}`);
  for (const range of filter.ranges ?? []) {
    const column = sql.ref(`p.${columnName(range.key)}`);
    const cast = TABLE_NUMBER_KEYS.includes(range.key) ? sql`numeric` : sql`date`;
    if (range.min !== undefined) conditions.push(sql`${column} >= ${String(range.min)}::${cast}`);
    if (range.max !== undefined) conditions.push(sql`${column} <= ${String(range.max)}::${cast}`);
  }
  if (filter.polygon) {
    conditions.push(sql`ST_Intersects(p.geom, ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(filter.polygon)}), 4490)))`);
  }
  return sql<boolean>`(${sql.join(conditions, sql` AND `)})`;
}

/** ORDER BY of a sort (empty values last), the id breaking ties. */
export function tableOrderSql(sort: TableSort | undefined): RawBuilder<unknown> {
  if (!sort) return sql`p.id`;
  const direction = sort.direction === 'desc' ? sql`DESC` : sql`ASC`;
  return sql`${sql.ref(`p.${columnName(sort.key)}`)} ${direction} NULLS LAST, p.id ${direction}`;
}

/** Every field of a parcel `p` under its API key, with its district `d`, version and box. */
export const ROW_COLUMNS = sql.join([
  sql`p.id`,
  sql`p.version`,
  sql`json_build_array(ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)) AS bbox`,
  sql`d.name AS "districtName"`,
  ...PARCEL_FIELDS.filter((field) => field.key !== 'areaM2').map((field) => sql`${sql.ref(`p.${columnName(field.key)}`)} AS ${sql.ref(field.key)}`),
  sql`round(p.area_m2::numeric, 2)::float8 AS "areaM2"`,
]);

/** count, sum, avg, min and max of every figure over the filtered rows, as one JSON array. */
export const AGGREGATES = sql`json_build_array(${sql.join(TABLE_NUMBER_KEYS.map((key) => {
  const column = sql.ref(`p.${columnName(key)}`);
  return sql`json_build_object('key', ${sql.lit(key)}, 'count', count(${column}), 'sum', sum(${column}), 'avg', avg(${column}), 'min', min(${column}), 'max', max(${column}))`;
}))})`;
