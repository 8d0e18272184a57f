import { sql } from 'kysely';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import { SURELY_GBK, textOf, type GeodataLayerQuery } from './geodata.sql.js';

export interface GeodataExtent {
  count: number;
  /** Longitude/latitude bounds (CGCS2000), null when no row. */
  minLon: number | null;
  minLat: number | null;
  maxLon: number | null;
  maxLat: number | null;
  /** Longest value of each text field, in bytes (only when measured). */
  textBytes: { key: string; utf8: number; gbk: number }[];
}

/** What geodata writers need to know before GDAL runs: how many rows, where, whether GBK can hold their text. */
export function createGeodataExportsRepository(db: DatabaseClient) {
  return {
    /**
     * Rows of a layer and their extent (for the Gauss-Kruger zone), in one pass; with `measureText`,
     * also the longest value of each text field in bytes, in UTF-8 and in GBK (a DBF field is sized
     * in bytes and holds at most 254). GBK bytes are counted from UTF-8 ones: every character outside
     * ASCII that GBK holds takes 3 bytes in UTF-8 and 2 in GBK.
     */
    async extent(query: GeodataLayerQuery, measureText = false): Promise<GeodataExtent> {
      const texts = measureText ? query.fields.filter((field) => field.type === '文本') : [];
      const outer = texts.map((_, index) => `, u${index}, g${index}`).join('');
      const measures = texts.map((field, index) => `, max(octet_length(${field.sql})) AS u${index}, max(ceil(char_length(${field.sql}) + (octet_length(${field.sql}) - char_length(${field.sql})) / 2.0)) AS g${index}`).join('');
      const { rows: [row] } = await sql<Omit<GeodataExtent, 'textBytes'> & Record<string, number | null>>`
        SELECT count::int AS count, ST_XMin(e) AS "minLon", ST_YMin(e) AS "minLat", ST_XMax(e) AS "maxLon", ST_YMax(e) AS "maxLat" ${sql.raw(outer)}
        FROM (SELECT count(*) AS count, ST_Extent(${sql.raw(query.geometry)}) AS e ${sql.raw(measures)} FROM ${sql.raw(query.from)}) extent`.execute(db);
      return {
        count: row.count, minLon: row.minLon, minLat: row.minLat, maxLon: row.maxLon, maxLat: row.maxLat,
        textBytes: texts.map((field, index) => ({ key: field.key, utf8: Number(row[`u${index}`] ?? 0), gbk: Number(row[`g${index}`] ?? 0) })),
      };
    },

    /**
     * Rows whose text GBK cannot hold (a rare character in an owner's name, an emoji…), with a few
     * examples: texts of characters outside a set surely in GBK are converted by PostgreSQL's own
     * GBK table, one by one, in a temporary function of this session.
     */
    async outsideGbk(query: GeodataLayerQuery, examples = 3): Promise<{ count: number; examples: string[] }> {
      return db.connection().execute(async (connection) => {
        await sql`CREATE OR REPLACE FUNCTION pg_temp.biaotu_fits_gbk(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
          BEGIN PERFORM convert_to(value, 'GBK'); RETURN true; EXCEPTION WHEN OTHERS THEN RETURN false; END $$`.execute(connection);
        const { rows } = await sql<{ text: string; total: number }>`
          WITH suspects AS (
            SELECT t FROM (SELECT ${sql.raw(textOf(query))} AS t FROM ${sql.raw(query.from)}) texts
            WHERE t !~ ${SURELY_GBK}
          ), outside AS (SELECT t FROM suspects WHERE NOT pg_temp.biaotu_fits_gbk(t))
          SELECT t AS text, (SELECT count(*)::int FROM outside) AS total FROM outside LIMIT ${examples}`.execute(connection);
        return { count: rows[0]?.total ?? 0, examples: rows.map((row) => row.text) };
      });
    },

    /** The current layer of a survey year (the newest year when none is given), or null. */
    async currentSurveyLayer(year: number | undefined): Promise<{ id: number; year: number } | null> {
      let query = db.selectFrom('survey_layers').select(['id', 'year']).where('superseded_at', 'is', null).where('committed', '=', true);
      if (year !== undefined) query = query.where('year', '=', year);
      const row = await query.orderBy('year', 'desc').orderBy('id', 'desc').executeTakeFirst();
      return row ? { id: Number(row.id), year: row.year } : null;
    },

    /** An area's name, for the file name (null when there is none by that id). */
    async areaName(id: number): Promise<string | null> {
      const row = await db.selectFrom('areas').select('name').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      return row?.name ?? null;
    },

    /**
     * The place a file name starts with: the district asked for (厦门市湖里区), else the user's only
     * district, else the city.
     */
    async placeName(district: string | undefined, scope: Scope): Promise<string> {
      const code = district ?? (scope.districts?.length === 1 ? scope.districts[0] : null);
      if (code) {
        const { rows: [row] } = await sql<{ name: string }>`
          SELECT concat(c.name, d.name) AS name FROM districts d LEFT JOIN districts c ON c.code = d.parent_code AND c.level = 'city'
          WHERE d.code = ${code}`.execute(db);
        if (row) return row.name;
      }
      const city = await db.selectFrom('districts').select('name').where('level', '=', 'city').orderBy('code').executeTakeFirst();
      return city?.name ?? '';
    },
  };
}

export type GeodataExportsRepository = ReturnType<typeof createGeodataExportsRepository>;
