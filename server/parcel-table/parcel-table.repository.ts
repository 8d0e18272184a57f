import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type {
  FieldAggregate, ParcelTableFilter, ParcelTableRow, ParcelTableRowsRequest, ParcelTableSummary, TableSort,
} from '../../domain/api/parcel-table.schemas.js';
import { columnName } from '../../domain/parcel-fields.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import type { Database } from '../db/schema.js';
import type { DatabaseClient } from '../db/database.js';
import { AGGREGATES, ROW_COLUMNS, tableFilterSql, tableOrderSql } from './parcel-table.sql.js';

/** A parcel of a bulk edit's selection with its district, as the scope check names it. */
export interface SelectedParcel {
  id: number;
  code: string;
  districtCode: string;
  districtName: string;
}

/** The attribute table's reads and its bulk edit: the only code of the table that talks SQL. */
export function createParcelTableRepository(db: DatabaseClient) {
  return {
    /** One window of the filtered, sorted rows: the ids first (narrow), then their fields. */
    async rows(request: ParcelTableRowsRequest, scope: Scope): Promise<ParcelTableRow[]> {
      if (request.ids) return this.rowsById(request.ids, scope);
      const { rows } = await sql<ParcelTableRow>`
        WITH page AS (
          SELECT p.id, row_number() OVER () AS position
          FROM (SELECT p.id FROM parcels p WHERE ${tableFilterSql(request.filter ?? {}, scope)}
                ORDER BY ${tableOrderSql(request.sort)} OFFSET ${request.offset} LIMIT ${request.limit}) p)
        SELECT ${ROW_COLUMNS}
        FROM page JOIN parcels p ON p.id = page.id JOIN districts d ON d.code = p.district_code
        ORDER BY page.position`.execute(db);
      return rows;
    },

    /** Given parcels in the given order, those of the reader's districts (a window of the id list). */
    async rowsById(ids: readonly number[], scope: Scope): Promise<ParcelTableRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await sql<ParcelTableRow>`
        SELECT ${ROW_COLUMNS}
        FROM unnest(${[...ids]}::bigint[]) WITH ORDINALITY AS page(id, position)
        JOIN parcels p ON p.id = page.id JOIN districts d ON d.code = p.district_code
        WHERE ${scope.sqlCovers('p.district_code')}
        ORDER BY page.position`.execute(db);
      return rows;
    },

    /** The filtered parcels' ids in table order, at most `limit` (one more tells it was cut). */
    async ids(filter: ParcelTableFilter, sort: TableSort | undefined, limit: number, scope: Scope): Promise<{ ids: number[]; truncated: boolean }> {
      const { rows } = await sql<{ id: number }>`
        SELECT p.id FROM parcels p WHERE ${tableFilterSql(filter, scope)}
        ORDER BY ${tableOrderSql(sort)} LIMIT ${limit + 1}`.execute(db);
      return { ids: rows.slice(0, limit).map((row) => Number(row.id)), truncated: rows.length > limit };
    },

    /** How many rows the filter keeps, their extent and the figures' aggregates. */
    async summary(filter: ParcelTableFilter, scope: Scope): Promise<ParcelTableSummary> {
      const { rows: [row] } = await sql<{ count: number; extent: [number, number, number, number] | null; fields: FieldAggregate[] }>`
        SELECT count(*)::int AS count,
               CASE WHEN count(*) > 0 THEN json_build_array(ST_XMin(ST_Extent(p.geom)), ST_YMin(ST_Extent(p.geom)), ST_XMax(ST_Extent(p.geom)), ST_YMax(ST_Extent(p.geom))) END AS extent,
               ${AGGREGATES} AS fields
        FROM parcels p WHERE ${tableFilterSql(filter, scope)}`.execute(db);
      return {
        count: row.count,
        extent: row.extent,
        fields: row.fields.map((field) => ({ ...field, sum: numberOrNull(field.sum), avg: numberOrNull(field.avg), min: numberOrNull(field.min), max: numberOrNull(field.max) })),
      };
    },

    /** The parcels of a selection that exist, with their districts (for the scope check of every one). */
    async selection(ids: readonly number[]): Promise<SelectedParcel[]> {
      const { rows } = await sql<SelectedParcel>`
        SELECT p.id, p.code, p.district_code AS "districtCode", d.name AS "districtName"
        FROM parcels p JOIN districts d ON d.code = p.district_code
        WHERE p.id = ANY(${[...ids]}::bigint[])`.execute(db);
      return rows;
    },

    /**
     * Sets one field of the given parcels in one statement inside the caller's transaction (which
     * names the actor): the history trigger records one row per parcel. Returns the parcels' boxes
     * before and after (the tile cache drops what they cover).
     */
    async setField(transaction: Transaction<Database>, ids: readonly number[], key: string, value: unknown, actor: string): Promise<{ updated: number; bbox: [number, number, number, number] | null }> {
      const { rows: [row] } = await sql<{ updated: number; bbox: [number, number, number, number] | null }>`
        WITH changed AS (
          UPDATE parcels p SET ${sql.ref(columnName(key))} = ${value}, updated_by = ${actor}
          WHERE p.id = ANY(${[...ids]}::bigint[])
          RETURNING p.geom)
        SELECT count(*)::int AS updated,
               CASE WHEN count(*) > 0 THEN json_build_array(ST_XMin(ST_Extent(geom)), ST_YMin(ST_Extent(geom)), ST_XMax(ST_Extent(geom)), ST_YMax(ST_Extent(geom))) END AS bbox
        FROM changed`.execute(transaction);
      return row;
    },
  };
}

function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

export type ParcelTableRepository = ReturnType<typeof createParcelTableRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    parcelTableRepository: ParcelTableRepository;
  }
}

/** The attribute table's repository, built once per app. */
export const parcelTableRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('parcelTableRepository', createParcelTableRepository(app.db));
}, { name: 'parcel-table-repository', dependencies: ['database'] });
