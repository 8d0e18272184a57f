/**
 * Tile SQL, one statement per layer and zoom band, run as named prepared statements.
 * Parameters: $1 = z, $2 = x, $3 = y, $4 = the reader's districts (text[], null = all), $5 = the
 * most features a thinned tile keeps (null = all), $6 = the survey year where there is one.
 *
 * Practices measured in FACTS.md / the tiles issue:
 * - the stored EPSG:3857 column, so no per-request ST_Transform;
 * - `&&` against the tile envelope grown by the buffer (64/4096 of the tile), cheaper than
 *   ST_Intersects and enough since ST_AsMVTGeom clips;
 * - buffer 64 so that outlines and labels do not break at tile edges;
 * - simplification in 3857 before encoding, tolerance half a screen pixel at that zoom;
 * - only the attributes the style needs;
 * - parcels outside the reader's districts keep their shape as context but lose their status
 *   (`restricted`), so a planner sees neighbouring land without its figures.
 *
 * Zoom bands: polygons from POLYGON_MINZOOM up; below it the precomputed grid of `parcel_cells` /
 * `survey_cells`, cells of 1/32 of the tile side (8 px), level z + 5. Measured over 1 M parcels
 * (bench-results/tiles.md): the densest z13 tile is 438 KB raw / 180 KB gzip and 90 ms alone,
 * 120 ms median and 480 ms p95 in a mixed load at concurrency 8, where z13 tiles were 6 % of the
 * requests and half of the database time; z14 is 141 KB / 64 KB and 30 ms; z12 1 MB, z10 11.8 MB
 * in 1.6 s. So polygons start at z14 and the grid (10–50 KB, ~10 ms) serves z0–z13.
 *
 * - no `WHERE geom IS NOT NULL` over an inlined feature CTE: PostgreSQL pushes it into the scan as
 *   a filter and so cuts every geometry twice (EXPLAIN VERBOSE, issue 19); ST_AsMVT skips NULL
 *   geometries itself and `count(geom)` counts only the others;
 * - the polygon feature CTEs are MATERIALIZED: inlined, each aggregate gets its own copy of the
 *   target list, so `count(geom)` cut every geometry a second time beside ST_AsMVT's. Measured
 *   statement by statement over 200 tiles of the bench city: z18 0.59 → 0.51 ms, z17 0.59 → 0.47,
 *   z16 1.87 → 1.33, z15 6.2 → 5.8.
 *
 * Thinning is how the size cap is enforced: a tile over the cap is cut again by the `thinned`
 * statement, which keeps the $5 features with the largest boxes (the service picks $5 from the
 * measured size). Each statement also answers its feature count and the tile epoch of its data
 * family read in the same snapshot, so the persistent cache can refuse a tile that a concurrent
 * change has made stale.
 */
import { visibleOutOfScope } from '../../domain/scope-visibility.js';
import { scopeSqlText } from '../auth/scope.js';

export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;
/** Parcels and 图斑 are polygons from this zoom; below it tiles carry the aggregate grid. */
export const POLYGON_MINZOOM = 14;
/** Cells per tile side in the aggregate band: 2^CELL_LEVEL_OFFSET. */
export const CELL_LEVEL_OFFSET = 5;

/** The tile ($1, $2, $3) and the box rows are fetched with: the tile grown by the buffer. */
const BOUNDS = `bounds AS (
  SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS tile,
         ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${TILE_BUFFER}.0 / ${TILE_EXTENT}) AS query
)`;

/** One 256-px screen pixel at zoom $1, in EPSG:3857 metres. */
const PIXEL = `(40075016.6855784 / (256 * 2 ^ $1::int))`;

/** Simplified geometry: half a pixel below z15. */
const simplified = (column: string) =>
  `CASE WHEN $1::int < 15 THEN ST_Simplify(${column}, ${PIXEL} / 2, true) ELSE ${column} END`;

/** Thinned statements keep the $5 features with the largest boxes; the others keep all. */
const keep = (thinned: boolean, column: string) => thinned
  ? `ORDER BY (ST_XMax(${column}) - ST_XMin(${column})) * (ST_YMax(${column}) - ST_YMin(${column})) DESC LIMIT $5::int`
  : 'AND ($5::int IS NULL OR true)';

/** The row's district is in the reader's scope ($4, the `Scope.districts` of the request). */
const inScope = (column: string) => scopeSqlText(column, 4);

/**
 * The attributes of a parcel feature: [attribute, ParcelDetail key, value]. An attribute whose key
 * an out-of-scope reader may not see (OUT_OF_SCOPE_PARCEL_KEYS) is `restricted` for them, as the
 * parcel card and the GeoJSON by box mask it.
 */
export const PARCEL_TILE_ATTRIBUTES: readonly (readonly [string, string, string])[] = [
  ['status', 'status', 'p.status'],
  ['type', 'inefficiencyType', `coalesce(p.inefficiency_type, 'none')`],
  ['grade', 'evaluationGrade', `coalesce(p.evaluation_grade, 'none')`],
  ['category', 'landCategory', `coalesce(p.land_category, 'none')`],
];

const PARCEL_ATTRIBUTES = [
  ...PARCEL_TILE_ATTRIBUTES.map(([attribute, key, value]) => visibleOutOfScope(key)
    ? `${value} AS ${attribute}`
    : `CASE WHEN ${inScope('p.district_code')} THEN ${value} ELSE 'restricted' END AS ${attribute}`),
  `CASE WHEN ${inScope('p.district_code')} THEN 0 ELSE 1 END AS restricted`,
].join(',\n         ');

/** Parcel labels (宗地编号, then 权利人) are drawn from this zoom: the `parcel-labels` tiles start there. */
export const LABEL_MINZOOM = 16;

/**
 * The label text of a parcel, in the source layer `parcel_labels` of the `parcel-labels` tiles: one
 * point per parcel (on its surface, in the one tile holding it, so a parcel cut by tile edges is
 * labelled once) with `code` (宗地编号, visible to every reader) and `owner` (权利人, masked out of
 * scope like the card masks it; NULL, which ST_AsMVT leaves out).
 */
const LABEL_ATTRIBUTES = [
  'p.code AS code',
  visibleOutOfScope('owner') ? `nullif(p.owner, '') AS owner` : `CASE WHEN ${inScope('p.district_code')} THEN nullif(p.owner, '') END AS owner`,
].join(',\n         ');

/**
 * Every statement takes the same parameters; one that does not use the scope or thinning still has
 * to name them so that PostgreSQL can type them. These are always true and planned away.
 */
const UNUSED_SCOPE = `($4::text[] IS NULL OR true)`;
const UNUSED_SCOPE_AND_THINNING = `${UNUSED_SCOPE} AND ($5::int IS NULL OR true)`;

const epochOf = (family: string) => `(SELECT epoch FROM tile_epochs WHERE family = '${family}') AS epoch`;

/** The cells of tile ($1, $2, $3): level z + 5, columns and rows x·32 … x·32 + 31. */
const CELLS_OF_TILE = `level = $1::int + ${CELL_LEVEL_OFFSET}
    AND cx BETWEEN $2::int * ${2 ** CELL_LEVEL_OFFSET} AND $2::int * ${2 ** CELL_LEVEL_OFFSET} + ${2 ** CELL_LEVEL_OFFSET - 1}
    AND cy BETWEEN $3::int * ${2 ** CELL_LEVEL_OFFSET} AND $3::int * ${2 ** CELL_LEVEL_OFFSET} + ${2 ** CELL_LEVEL_OFFSET - 1}`;

/** A cell's square in EPSG:3857, cut into tile coordinates (no buffer: cells never cross tiles). */
const CELL_GEOMETRY = `ST_AsMVTGeom(ST_MakeEnvelope(
    -20037508.342789244 + cx * (40075016.68557849 / 2 ^ ($1::int + ${CELL_LEVEL_OFFSET})),
    20037508.342789244 - (cy + 1) * (40075016.68557849 / 2 ^ ($1::int + ${CELL_LEVEL_OFFSET})),
    -20037508.342789244 + (cx + 1) * (40075016.68557849 / 2 ^ ($1::int + ${CELL_LEVEL_OFFSET})),
    20037508.342789244 - cy * (40075016.68557849 / 2 ^ ($1::int + ${CELL_LEVEL_OFFSET})), 3857),
    bounds.tile, ${TILE_EXTENT}, 0, false)`;

export const parcelsTileSql = (thinned: boolean) => `
WITH ${BOUNDS}, features AS MATERIALIZED (
  SELECT p.id,
         ${PARCEL_ATTRIBUTES},
         ST_AsMVTGeom(${simplified('p.geom_3857')}, bounds.tile, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
  FROM parcels p, bounds
  WHERE p.geom_3857 && bounds.query ${keep(thinned, 'p.geom_3857')}
)
SELECT coalesce(ST_AsMVT(features, 'parcels', ${TILE_EXTENT}, 'geom', 'id'), ''::bytea) AS tile, count(features.geom)::int AS features, ${epochOf('parcels')}
FROM features`;

/**
 * The label points of the parcels (source layer `parcel_labels`, tile layer `parcel-labels`), a
 * tile source of their own from LABEL_MINZOOM (issue 19): they were 2/3 of the bytes of a z16
 * parcel tile, and a map that draws no labels, or a zoom below them, should not pay for them.
 * The parcel's attributes come along so the labels follow the map's filter like the fills.
 */
export const PARCEL_LABELS_TILE_SQL = `
WITH ${BOUNDS}, labels AS MATERIALIZED (
  SELECT p.id,
         ${PARCEL_ATTRIBUTES},
         ${LABEL_ATTRIBUTES},
         ST_AsMVTGeom(l.point, bounds.tile, ${TILE_EXTENT}, 0, true) AS geom
  FROM parcels p CROSS JOIN LATERAL (SELECT ST_PointOnSurface(p.geom_3857) AS point OFFSET 0) l, bounds
  WHERE p.geom_3857 && bounds.tile AND l.point && bounds.tile AND ($5::int IS NULL OR true)
)
SELECT coalesce(ST_AsMVT(labels, 'parcel_labels', ${TILE_EXTENT}, 'geom', 'id'), ''::bytea) AS tile, count(*)::int AS features, ${epochOf('parcels')}
FROM labels WHERE labels.geom IS NOT NULL`;

/**
 * The zooms whose parcel geometries are cut ahead of time (`parcel_tile_geometries`, migrations
 * 0015, 0048, 0051; the database's `parcel_precut_zooms()` lists the same, a test compares them).
 * z14 is the heaviest polygon zoom (~4.6 k parcels in the densest tile: 3–4× cheaper read than
 * cut); z16–z18 are where a band served alone was bound by the server process plus PostgreSQL
 * (issue 19): read, a z16 tile cost 0.95 ms against 1.42 cut, z17 0.42 against 0.74, and with the
 * attributes stored beside the cuts (0050) the z16 statement halves again. z15 is cut per request.
 */
export const PRECUT_ZOOMS: readonly number[] = [14, 16, 17, 18];

/**
 * Parcels at a precut zoom from `parcel_tile_geometries` alone: the cuts (as `parcelsTileSql` would
 * cut them) and the tile attributes stored beside them (migration 0050), both kept by triggers; the
 * attribute expressions and the scope masking are the same SQL as every parcel statement. Above
 * z14 a parcel over 2 km on a side is not stored (migration 0049: it would be thousands of cuts);
 * it is cut here, found through the partial index `parcels_precut_large_idx`, which holds only them.
 */
export const PARCELS_PRECUT_TILE_SQL = `
WITH features AS (
  SELECT p.parcel_id AS id,
         ${PARCEL_ATTRIBUTES},
         p.geom
  FROM parcel_tile_geometries p
  WHERE p.z = $1::int AND p.x = $2::int AND p.y = $3::int AND ($5::int IS NULL OR true)
  UNION ALL
  SELECT p.id,
         ${PARCEL_ATTRIBUTES},
         ST_AsMVTGeom(p.geom_3857, ST_TileEnvelope($1::int, $2::int, $3::int), ${TILE_EXTENT}, ${TILE_BUFFER}, true)
  FROM parcels p
  WHERE $1::int > 14 AND parcel_precut_large(p.geom_3857)
    AND p.geom_3857 && ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${TILE_BUFFER}.0 / ${TILE_EXTENT})
)
SELECT coalesce(ST_AsMVT(features, 'parcels', ${TILE_EXTENT}, 'geom', 'id'), ''::bytea) AS tile, count(features.geom)::int AS features, ${epochOf('parcels')}
FROM features`;

/**
 * The parcel grid below POLYGON_MINZOOM: per cell the parcels of the reader's districts, their
 * land and the share of it 疑似 or 已认定低效, and the 低效类型 with the most land in the cell
 * (`type`, 'none' when no parcel of the cell has one) with its share of the cell's land
 * (`type_share`), so the map can colour the grid by type as it colours parcels. A cell holding
 * only parcels outside the reader's districts is `restricted` with no figures.
 */
export const PARCEL_CELLS_TILE_SQL = `
WITH ${BOUNDS}, sums AS (
  SELECT cx, cy,
         sum(parcels) FILTER (WHERE ${inScope('district_code')}) AS parcels,
         sum(area_m2) FILTER (WHERE ${inScope('district_code')}) AS area_m2,
         sum(inefficient_m2) FILTER (WHERE ${inScope('district_code')}) AS inefficient_m2
  FROM parcel_cells
  WHERE ${CELLS_OF_TILE} AND ($5::int IS NULL OR true)
  GROUP BY cx, cy
), types AS (
  SELECT DISTINCT ON (cx, cy) cx, cy, type, sum(area_m2) AS type_m2
  FROM parcel_type_cells
  WHERE ${CELLS_OF_TILE} AND ${inScope('district_code')}
  GROUP BY cx, cy, type
  ORDER BY cx, cy, sum(area_m2) DESC, type
), features AS (
  SELECT coalesce(s.parcels, 0)::int AS parcels,
         round(coalesce(s.area_m2, 0)::numeric / 10000, 2)::float8 AS area_ha,
         CASE WHEN s.area_m2 > 0 THEN round((s.inefficient_m2 / s.area_m2)::numeric, 4)::float8 ELSE 0 END AS ineff_share,
         CASE WHEN s.parcels IS NULL THEN 'restricted' ELSE coalesce(t.type, 'none') END AS type,
         CASE WHEN s.area_m2 > 0 AND t.type_m2 IS NOT NULL THEN round(least(1, t.type_m2 / s.area_m2)::numeric, 4)::float8 ELSE 0 END AS type_share,
         CASE WHEN s.parcels IS NULL THEN 1 ELSE 0 END AS restricted,
         ${CELL_GEOMETRY} AS geom
  FROM sums s LEFT JOIN types t USING (cx, cy), bounds
)
SELECT coalesce(ST_AsMVT(features, 'cells', ${TILE_EXTENT}, 'geom'), ''::bytea) AS tile, count(features.geom)::int AS features, ${epochOf('parcels')}
FROM features`;

const CURRENT_SURVEY_LAYER = `survey_layers l ON l.superseded_at IS NULL AND l.committed AND l.year = $6::int`;

/** 变更调查 图斑 of the current layer of one year ($6); class = 一级类 for the legend. */
export const surveyTileSql = (thinned: boolean) => `
WITH ${BOUNDS}, features AS MATERIALIZED (
  SELECT p.id, p.land_use_code AS dlbm,
         CASE WHEN p.land_use_code ~ '^(0[0-9]|1[0-2])' THEN substr(p.land_use_code, 1, 2) ELSE 'xx' END AS class,
         ST_AsMVTGeom(${simplified('p.geom_3857')}, bounds.tile, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
  FROM survey_patches p
  JOIN ${CURRENT_SURVEY_LAYER} AND l.id = p.layer_id, bounds
  WHERE p.geom_3857 && bounds.query AND ${UNUSED_SCOPE} ${keep(thinned, 'p.geom_3857')}
)
SELECT coalesce(ST_AsMVT(features, 'survey', ${TILE_EXTENT}, 'geom', 'id'), ''::bytea) AS tile, count(features.geom)::int AS features, ${epochOf('survey')}
FROM features`;

/** The survey grid: per cell the 一级类 with the most land, the 图斑 count and their land. */
export const SURVEY_CELLS_TILE_SQL = `
WITH ${BOUNDS}, cells AS (
  SELECT c.cx, c.cy, c.class, c.patches, c.area_m2
  FROM survey_cells c JOIN ${CURRENT_SURVEY_LAYER} AND l.id = c.layer_id
  WHERE ${CELLS_OF_TILE.replace(/\b(level|cx|cy)\b/g, 'c.$1')} AND ${UNUSED_SCOPE_AND_THINNING}
), features AS (
  SELECT DISTINCT ON (cx, cy) class,
         (sum(patches) OVER cell)::int AS patches,
         round((sum(area_m2) OVER cell)::numeric / 10000, 2)::float8 AS area_ha,
         ${CELL_GEOMETRY} AS geom
  FROM cells, bounds
  WINDOW cell AS (PARTITION BY cx, cy)
  ORDER BY cx, cy, area_m2 DESC, class
)
SELECT coalesce(ST_AsMVT(features, 'survey_cells', ${TILE_EXTENT}, 'geom'), ''::bytea) AS tile, count(features.geom)::int AS features, ${epochOf('survey')}
FROM features`;

export const DISTRICTS_TILE_SQL = `
WITH ${BOUNDS}, polygons AS (
  SELECT d.code, d.name, d.level,
         ST_AsMVTGeom(ST_Simplify(d.geom_3857, ${PIXEL} / 2, true), bounds.tile, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
  FROM districts d, bounds
  WHERE d.level = 'district' AND d.geom_3857 && bounds.query AND ${UNUSED_SCOPE_AND_THINNING}
), labels AS (
  SELECT d.code, d.name,
         ST_AsMVTGeom(d.label_point, bounds.tile, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
  FROM districts d, bounds
  WHERE d.level = 'district' AND d.label_point && bounds.query
)
SELECT coalesce((SELECT ST_AsMVT(polygons, 'districts', ${TILE_EXTENT}, 'geom') FROM polygons WHERE geom IS NOT NULL), ''::bytea)
    || coalesce((SELECT ST_AsMVT(labels, 'district_labels', ${TILE_EXTENT}, 'geom') FROM labels WHERE geom IS NOT NULL), ''::bytea) AS tile,
    (SELECT count(*) FROM polygons)::int AS features, NULL::bigint AS epoch`;

/**
 * Saved 成片改造区域 (not deleted): few and large, so polygons at every zoom, simplified; plus one
 * label point per area (`area_labels`, in the tile holding it) so a name is written once.
 */
export const AREAS_TILE_SQL = `
WITH ${BOUNDS}, shown AS (
  SELECT a.id, a.geom_3857,
         CASE WHEN ${inScope('a.district_code')} THEN a.name ELSE '' END AS name,
         CASE WHEN ${inScope('a.district_code')} THEN a.status ELSE 'restricted' END AS status,
         CASE WHEN NOT ${inScope('a.district_code')} OR a.pass IS NULL THEN -1 WHEN a.pass THEN 1 ELSE 0 END AS pass
  FROM areas a, bounds
  WHERE a.deleted_at IS NULL AND a.geom_3857 && bounds.query AND ($5::int IS NULL OR true)
), polygons AS (
  SELECT id, name, status, pass, ST_AsMVTGeom(ST_Simplify(geom_3857, ${PIXEL} / 2, true), bounds.tile, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
  FROM shown, bounds
), labels AS (
  SELECT id, name, status, ST_AsMVTGeom(ST_PointOnSurface(geom_3857), bounds.tile, ${TILE_EXTENT}, 0, true) AS geom
  FROM shown, bounds
  WHERE name <> '' AND ST_PointOnSurface(geom_3857) && bounds.tile
)
SELECT coalesce((SELECT ST_AsMVT(polygons, 'areas', ${TILE_EXTENT}, 'geom', 'id') FROM polygons WHERE geom IS NOT NULL), ''::bytea)
    || coalesce((SELECT ST_AsMVT(labels, 'area_labels', ${TILE_EXTENT}, 'geom', 'id') FROM labels WHERE geom IS NOT NULL), ''::bytea) AS tile,
    (SELECT count(*) FROM polygons WHERE geom IS NOT NULL)::int AS features, ${epochOf('areas')}`;
