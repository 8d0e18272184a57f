import { sql } from 'kysely';
import type { Scope } from '../auth/scope.js';
import { containsPattern, SEARCH_TEXT } from '../parcel-table/parcel-table.sql.js';

/**
 * SQL of the map's search box. Each statement is bounded by its LIMIT and served by an index of
 * migrations 0026 and 0035: 宗地编号 by prefix (code in the "C" collation), the other texts by
 * trigrams, a two-character needle by the character pairs of owner and 坐落, 街道/园区 names by
 * skipping through (town_or_park, district_code).
 */

const BOX = sql`json_build_array(ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom))`;

export interface ParcelCandidate {
  id: number;
  code: string;
  districtCode: string;
  districtName: string;
  owner: string | null;
  location: string | null;
  contractNo: string | null;
  certificateNo: string | null;
  bbox: [number, number, number, number];
  covered: boolean;
}

/** Parcels whose 宗地编号 starts with `prefix` (LIKE pattern), in code order; texts only in scope. */
export function codePrefixSql(prefix: string, limit: number, scope: Scope) {
  const covered = scope.sqlCovers('p.district_code');
  return sql<ParcelCandidate>`
    SELECT p.id, p.code, p.district_code AS "districtCode", d.name AS "districtName",
           CASE WHEN ${covered} THEN p.owner END AS owner, CASE WHEN ${covered} THEN p.location END AS location,
           NULL AS "contractNo", NULL AS "certificateNo", ${BOX} AS bbox, ${covered} AS covered
    FROM parcels p JOIN districts d ON d.code = p.district_code
    WHERE (p.code COLLATE "C") LIKE ${prefix}
    ORDER BY (p.code COLLATE "C")
    LIMIT ${limit}`;
}

/** A parcel of the reader's districts as a candidate, every text shown: over `parcels p JOIN districts d`. */
const IN_SCOPE_CANDIDATE = sql`
    p.id, p.code, p.district_code AS "districtCode", d.name AS "districtName", p.owner, p.location,
    p.contract_no AS "contractNo", p.certificate_no AS "certificateNo", ${BOX} AS bbox, true AS covered`;

/** Parcels of the reader's districts whose searched texts contain `pattern` (LIKE, lower-case): trigram index. */
export function textMatchSql(pattern: string, limit: number, scope: Scope) {
  return sql<ParcelCandidate>`
    SELECT ${IN_SCOPE_CANDIDATE}
    FROM parcels p JOIN districts d ON d.code = p.district_code
    WHERE ${SEARCH_TEXT} LIKE ${pattern} AND ${scope.sqlCovers('p.district_code')}
    LIMIT ${limit}`;
}

/**
 * Parcels of the reader's districts whose owner or 坐落 contains the two characters `pair`
 * (lower-case): one entry of the character-pair index (0035), where trigrams have none to offer.
 * The text test comes first so that a scan (a common pair, ended early by the LIMIT) computes the
 * pairs of the matching rows only (see migration 0035).
 */
export function namePairMatchSql(pair: string, limit: number, scope: Scope) {
  const pattern = containsPattern(pair);
  return sql<ParcelCandidate>`
    SELECT ${IN_SCOPE_CANDIDATE}
    FROM parcels p JOIN districts d ON d.code = p.district_code
    WHERE parcel_names_contain(p.owner, p.location, ${pattern})
      AND parcel_name_bigrams(p.owner, p.location) @> ARRAY[${pair.trim().toLowerCase()}]::text[] AND ${scope.sqlCovers('p.district_code')}
    LIMIT ${limit}`;
}

/** Districts (and the city) whose name contains `pattern`. */
export function districtMatchSql(pattern: string, limit: number) {
  return sql<{ code: string; name: string; parentName: string | null; bbox: [number, number, number, number] | null }>`
    SELECT d.code, d.name, parent.name AS "parentName",
           json_build_array(ST_XMin(d.geom), ST_YMin(d.geom), ST_XMax(d.geom), ST_YMax(d.geom)) AS bbox
    FROM districts d LEFT JOIN districts parent ON parent.code = d.parent_code
    WHERE lower(d.name) LIKE ${pattern}
    ORDER BY length(d.name), d.code
    LIMIT ${limit}`;
}

/**
 * 街道/园区 of the reader's districts whose name contains `pattern`: the distinct (name, district)
 * pairs read by skipping through their index (one probe per pair, not a scan of the parcels).
 */
export function townOrParkMatchSql(pattern: string, limit: number, scope: Scope) {
  return sql<{ name: string; districtCode: string; districtName: string }>`
    WITH RECURSIVE names(name, district) AS (
      (SELECT p.town_or_park, p.district_code FROM parcels p WHERE p.town_or_park IS NOT NULL
       ORDER BY p.town_or_park, p.district_code LIMIT 1)
      UNION ALL
      SELECT next.town_or_park, next.district_code
      FROM names, LATERAL (
        SELECT p.town_or_park, p.district_code FROM parcels p
        WHERE (p.town_or_park, p.district_code) > (names.name, names.district)
        ORDER BY p.town_or_park, p.district_code LIMIT 1) next)
    SELECT n.name, n.district AS "districtCode", d.name AS "districtName"
    FROM names n JOIN districts d ON d.code = n.district
    WHERE lower(n.name) LIKE ${pattern} AND ${scope.sqlCovers('n.district')}
    ORDER BY length(n.name), n.name
    LIMIT ${limit}`;
}
