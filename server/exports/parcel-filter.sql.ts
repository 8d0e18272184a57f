import type { ExportFilters } from '../../domain/api/exports.schemas.js';
import type { Scope } from '../auth/scope.js';

/**
 * The one "which parcels" of every parcel export (geodata through ogr2ogr's `-sql`, tables through
 * COPY or Kysely's `sql.raw`): the request's filters and the user's scope as a WHERE condition over
 * `parcels` aliased `p`. It is SQL text, not parameters, because GDAL takes a statement; every value
 * has passed the contract's schema (codes, enums, finite numbers, integer ids) and is still written
 * as a quoted literal or a checked number here, so no value can change the statement's shape.
 */
export function parcelFilterSql(filters: ExportFilters, scope: Scope): string {
  const conditions: string[] = [];
  const districts = scope.districts;
  if (districts !== null) conditions.push(`p.district_code = ANY(${textArray(districts.map((code) => districtCode(code)))})`);
  if (filters.district) {
    const code = literal(districtCode(filters.district));
    conditions.push(`p.district_code IN (SELECT d.code FROM districts d WHERE d.code = ${code} OR d.parent_code = ${code})`);
  }
  if (filters.townOrPark) conditions.push(`p.town_or_park = ${literal(filters.townOrPark)}`);
  if (filters.status) conditions.push(`p.status = ${literal(filters.status)}`);
  if (filters.type) conditions.push(`p.inefficiency_type = ${literal(filters.type)}`);
  if (filters.category) conditions.push(filters.category === 'none' ? 'p.land_category IS NULL' : `p.land_category = ${literal(filters.category)}`);
  if (filters.landUse) conditions.push(`p.land_use_code LIKE ${literal(`${filters.landUse.replace(/[%_\\]/g, '')}%`)}`);
  if (filters.bbox) {
    const [minX, minY, maxX, maxY] = filters.bbox.map(finite);
    conditions.push(`ST_Intersects(p.geom, ST_MakeEnvelope(${minX}, ${minY}, ${maxX}, ${maxY}, 4490))`);
  }
  if (filters.ids) conditions.push(`p.id = ANY('{${filters.ids.map(integer).join(',')}}'::bigint[])`);
  return conditions.length > 0 ? conditions.map((condition) => `(${condition})`).join(' AND ') : 'true';
}

/** A string as an SQL literal (standard_conforming_strings is on since PostgreSQL 9.1: only `'` needs doubling). */
export function literal(value: string): string {
  if (value.includes('\u0000')) throw new RangeError('a NUL character cannot be part of an SQL literal');
  return `'${value.replaceAll("'", "''")}'`;
}

function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map(literal).join(', ')}]::text[]`;
}

function districtCode(code: string): string {
  if (!/^[0-9]{6}$/.test(code)) throw new RangeError(`not a district code: ${code}`);
  return code;
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError('a box corner must be a finite number');
  return value;
}

function integer(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError('a parcel id must be a positive integer');
  return value;
}
