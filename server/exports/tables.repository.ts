import type { ExportFilters } from '../../domain/api/exports.schemas.js';
import type { DistrictStats } from '../../domain/district-figures.js';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import { createDistrictsRepository } from '../districts/districts.repository.js';
import { MEASURED_NUMBER_COLUMNS, MEASURED_TEXT_COLUMNS, type ParcelTableRow, type ParcelTableSummary } from './parcel-table.js';
import { parcelFilterSql } from './parcel-filter.sql.js';
import { parcelTableBatch, parcelTableSummary, placesByCode } from './tables.sql.js';

/** Rows per batch: a few MB of rows in Node at a time, whatever the selection's size. */
export const PARCEL_TABLE_BATCH = 2000;

/** The selection of a parcel table export, read inside one snapshot. */
export interface ParcelTableReader {
  summary: ParcelTableSummary;
  /** The rows in id order, `size` at a time (keyset: never the whole selection in memory). */
  batches(size?: number): AsyncGenerator<ParcelTableRow[]>;
}

export interface Place {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  cityName: string | null;
}

/**
 * The SQL of the table exports (parcel attribute lists, district figures). Each export reads in one
 * REPEATABLE READ READ ONLY transaction, so the row count measured first is the number of rows
 * written, and a city's total is the sum of its districts even while others edit parcels.
 */
export function createTablesExportsRepository(db: DatabaseClient) {
  const snapshot = <T>(work: (trx: DatabaseClient) => Promise<T>): Promise<T> =>
    db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work);

  return {
    /** Runs `work` over the parcels `filters` select within `scope` (parcelFilterSql: the one filter). */
    readParcels<T>(filters: ExportFilters, scope: Scope, work: (reader: ParcelTableReader) => Promise<T>): Promise<T> {
      const where = parcelFilterSql(filters, scope);
      return snapshot(async (trx) => {
        const { rows: [measured] } = await parcelTableSummary(where).execute(trx);
        const summary: ParcelTableSummary = {
          count: Number(measured?.count ?? 0),
          textWidths: Object.fromEntries(MEASURED_TEXT_COLUMNS.map((column) => [column, Number(measured?.[`text:${column}`] ?? 0)])),
          maxNumbers: Object.fromEntries(MEASURED_NUMBER_COLUMNS.map((column) => [column, Number(measured?.[`number:${column}`] ?? 0)])),
        };
        return work({
          summary,
          async *batches(size = PARCEL_TABLE_BATCH) {
            let afterId = 0;
            for (;;) {
              const { rows } = await parcelTableBatch(where, afterId, size).execute(trx);
              if (rows.length === 0) return;
              yield rows;
              if (rows.length < size) return;
              afterId = rows[rows.length - 1].id;
            }
          },
        });
      });
    },

    /** Districts and cities by code, each with its city's name. */
    async places(codes: readonly string[]): Promise<Place[]> {
      if (codes.length === 0) return [];
      const { rows } = await placesByCode(codes).execute(db);
      return rows.map((row) => ({ code: row.code, name: row.name, level: row.level, parentCode: row.parent_code, cityName: row.city_name }));
    },

    /**
     * The map panel's figures (districts.repository.ts `stats`, the same function the districts
     * stats route answers with) for a city and each of `districts`, within `scope`, in one snapshot.
     */
    districtFigures(city: { code: string; name: string } | null, districts: readonly { code: string; name: string }[], scope: Scope): Promise<{ city: DistrictStats | null; districts: DistrictStats[] }> {
      return snapshot(async (trx) => {
        const figures = createDistrictsRepository(trx);
        const rows: DistrictStats[] = [];
        for (const district of districts) rows.push(await figures.stats(district.code, district.name, scope));
        return { city: city ? await figures.stats(city.code, city.name, scope) : null, districts: rows };
      });
    },
  };
}

export type TablesExportsRepository = ReturnType<typeof createTablesExportsRepository>;
