import { sql } from 'kysely';
import type { Scope } from '../auth/scope.js';
import type { DatabaseClient } from '../db/database.js';
import { encodedLength } from '../../domain/exports/dbf-field-names.js';
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
     * in bytes and holds at most 254). The pass is kept cheap, as it runs before GDAL does: a text
     * that is one of a list of labels (效率状态, 是/否…) is measured from its labels, and only its raw
     * code column in SQL; a free text costs two integer maxima, octet_length and octet_length +
     * char_length, since every character outside ASCII that GBK holds takes 3 bytes in UTF-8 and 2
     * in GBK: GBK bytes = (UTF-8 bytes + characters) / 2.
     */
    async extent(query: GeodataLayerQuery, measureText = false): Promise<GeodataExtent> {
      const texts = measureText ? query.fields.filter((field) => field.type === '文本') : [];
      const measures: string[] = [];
      texts.forEach((field, index) => {
        if (field.labels) {
          if (field.labels.code) measures.push(`max(octet_length(${field.labels.code}))::int AS c${index}`);
        } else {
          measures.push(`max(octet_length(${field.sql}))::int AS u${index}`, `max(octet_length(${field.sql}) + char_length(${field.sql}))::int AS g${index}`);
        }
      });
      const outer = measures.map((measure) => `, ${measure.slice(measure.lastIndexOf(' AS ') + 4)}`).join('');
      const { rows: [row] } = await sql<Omit<GeodataExtent, 'textBytes'> & Record<string, number | null>>`
        SELECT count::int AS count, ST_XMin(e) AS "minLon", ST_YMin(e) AS "minLat", ST_XMax(e) AS "maxLon", ST_YMax(e) AS "maxLat" ${sql.raw(outer)}
        FROM (SELECT count(*) AS count, ST_Extent(${sql.raw(query.geometry)}) AS e ${sql.raw(measures.map((measure) => `, ${measure}`).join(''))} FROM ${sql.raw(query.from)}) extent`.execute(db);
      const value = (name: string) => Number(row[name] ?? 0);
      return {
        count: row.count, minLon: row.minLon, minLat: row.minLat, maxLon: row.maxLon, maxLat: row.maxLat,
        textBytes: texts.map((field, index) => {
          if (!field.labels) return { key: field.key, utf8: value(`u${index}`), gbk: Math.ceil(value(`g${index}`) / 2) };
          // A code no list knows is written as it is: as wide as its UTF-8 bytes at most, in either encoding.
          const code = field.labels.code ? value(`c${index}`) : 0;
          const widest = (encoding: 'UTF-8' | 'GBK') => Math.max(code, ...field.labels!.values.map((label) => encodedLength(label, encoding)));
          return { key: field.key, utf8: widest('UTF-8'), gbk: widest('GBK') };
        }),
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
