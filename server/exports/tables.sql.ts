import { sql, type RawBuilder } from 'kysely';
import { MEASURED_NUMBER_COLUMNS, MEASURED_TEXT_COLUMNS, PARCEL_TABLE_SOURCE_COLUMNS, type ParcelTableRow } from './parcel-table.js';

/**
 * SQL of the table exports (tables.repository.ts runs it). `where` is always parcelFilterSql's text
 * (the request's filters and the user's scope over `parcels p`); column names come from the field
 * list (domain/parcel-fields.ts), never from a request.
 */

function identifier(column: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new RangeError(`not a column name: ${column}`);
  return column;
}

const SELECT_LIST = ['p.id', ...PARCEL_TABLE_SOURCE_COLUMNS.map((column) => `p.${identifier(column)}`), 'd.name AS district_name'].join(', ');

/** One batch of the selection after parcel `afterId`, in id order (keyset: each batch is an index range scan). */
export function parcelTableBatch(where: string, afterId: number, size: number): RawBuilder<ParcelTableRow> {
  return sql<ParcelTableRow>`
    SELECT ${sql.raw(SELECT_LIST)}
    FROM parcels p
    LEFT JOIN districts d ON d.code = p.district_code
    WHERE ${sql.raw(where)} AND p.id > ${afterId}
    ORDER BY p.id
    LIMIT ${size}`;
}

/**
 * The selection measured in one pass: its row count, each text column's widest value in display
 * columns (a CJK character is 3 bytes in UTF-8 and 2 columns wide: (characters + bytes) / 2), each
 * number column's largest absolute value. The writers size columns and report progress from it.
 */
export function parcelTableSummary(where: string): RawBuilder<Record<string, number | null>> {
  const measures = [
    'count(*)::int AS count',
    ...MEASURED_TEXT_COLUMNS.map((column) => {
      const value = column === 'district_name' ? 'd.name' : `p.${identifier(column)}`;
      return `max((length(${value}::text) + octet_length(${value}::text)) / 2)::int AS "text:${identifier(column)}"`;
    }),
    ...MEASURED_NUMBER_COLUMNS.map((column) => `max(abs(p.${identifier(column)}))::float8 AS "number:${identifier(column)}"`),
  ].join(',\n      ');
  return sql<Record<string, number | null>>`
    SELECT ${sql.raw(measures)}
    FROM parcels p
    LEFT JOIN districts d ON d.code = p.district_code
    WHERE ${sql.raw(where)}`;
}

/** Districts and cities by code, with the city a district belongs to (for names: 厦门市湖里区). */
export function placesByCode(codes: readonly string[]): RawBuilder<{ code: string; name: string; level: string; parent_code: string | null; city_name: string | null }> {
  return sql<{ code: string; name: string; level: string; parent_code: string | null; city_name: string | null }>`
    SELECT d.code, d.name, d.level, d.parent_code, c.name AS city_name
    FROM districts d
    LEFT JOIN districts c ON c.code = d.parent_code
    WHERE d.code = ANY(${[...codes]}::text[])
    ORDER BY d.code`;
}
